"""The public surface of the channel and the simulation is pinned: changes are deliberate."""

import hotline.protocol.channel as channel
import hotline.protocol.channel_errors as channel_errors
import hotline.protocol.events as events
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
    "SimNetwork", "SimResult", "Simulation", "SimulationError",
    "placeholder_card", "run_simulation", "sample_charter", "sample_configs",
    "sample_party", "snapshot",
}  # fmt: skip


def test_the_channel_modules_export_their_public_names() -> None:
    modules = (channel, channel_errors, events)
    assert {name for m in modules for name in m.__all__} == CHANNEL_NAMES
    assert all(hasattr(m, name) for m in modules for name in m.__all__)


def test_testing_exports_are_pinned() -> None:
    assert set(testing.__all__) == TESTING_NAMES
    assert all(hasattr(testing, name) for name in testing.__all__)
