"""The public surface of the channel and the simulation is pinned: changes are deliberate."""

import hotline.protocol as protocol
import hotline.testing as testing

CHANNEL_NAMES = {
    "Channel", "ChannelConfig", "ChannelStats", "LocalKeys", "PeerStatus", "Tuning", "Event",
    "Persist", "Role", "Outgoing", "AckOverdue", "AckReceived", "ChannelOpened", "CharterAccepted",
    "CharterProposed", "CheckpointCosigned", "ClockSkewMeasured", "EquivocationDetected",
    "LinkTestMissed", "LinkTestPassed", "NotificationReceived", "PeerReachable",
    "PeerTestOverdue", "PeerUnreachable", "ReceiptReceived", "ReplyReceived", "ChainRuleError",
    "ChannelNotOpenError", "CorruptStoreError", "FalseReceiptError", "ForeignChannelError",
    "ReflectedEnvelopeError", "UnknownReferenceError",
}  # fmt: skip
TESTING_NAMES = {
    "FAULTS", "T0_MS", "Driver", "FakeClock", "Pipe", "PipeDriver", "SampleParty", "SimConfig",
    "SimNetwork", "SimResult", "Simulation", "SimulationError", "SweepResult",
    "placeholder_card", "replay_command", "run_simulation", "sample_charter", "sample_configs",
    "sample_party", "snapshot", "sweep",
}  # fmt: skip


def test_protocol_exports_the_channel() -> None:
    assert set(protocol.__all__) >= CHANNEL_NAMES
    assert all(hasattr(protocol, name) for name in protocol.__all__)


def test_testing_exports_are_pinned() -> None:
    assert set(testing.__all__) == TESTING_NAMES
    assert all(hasattr(testing, name) for name in testing.__all__)
