"""hotline.protocol: the sans-IO channel core (no sockets, no disk, no clock reads).

The channel state machine (see docs/protocol.md, "Channel state machine"): ``Channel`` with its
``ChannelConfig``, ``LocalKeys`` and ``Tuning``; the events it returns (``Persist``,
``Outgoing``, ``NotificationReceived``, ...); its precise errors (``ChannelNotOpenError``, ...).
"""

from hotline.protocol.channel import Channel, ChannelConfig, ChannelStats, LocalKeys, PeerStatus
from hotline.protocol.channel_errors import (
    ChainRuleError,
    ChannelNotOpenError,
    CorruptStoreError,
    FalseReceiptError,
    ForeignChannelError,
    ReflectedEnvelopeError,
    UnknownReferenceError,
)
from hotline.protocol.events import (
    AckOverdue,
    AckReceived,
    ChannelOpened,
    CharterAccepted,
    CharterProposed,
    CheckpointCosigned,
    ClockSkewMeasured,
    EquivocationDetected,
    Event,
    LinkTestMissed,
    LinkTestPassed,
    NotificationReceived,
    Outgoing,
    PeerReachable,
    PeerTestOverdue,
    PeerUnreachable,
    Persist,
    ReceiptReceived,
    ReplyReceived,
    Role,
)
from hotline.protocol.link import Tuning

__all__ = [
    "AckOverdue",
    "AckReceived",
    "ChainRuleError",
    "Channel",
    "ChannelConfig",
    "ChannelNotOpenError",
    "ChannelOpened",
    "ChannelStats",
    "CharterAccepted",
    "CharterProposed",
    "CheckpointCosigned",
    "ClockSkewMeasured",
    "CorruptStoreError",
    "EquivocationDetected",
    "Event",
    "FalseReceiptError",
    "ForeignChannelError",
    "LinkTestMissed",
    "LinkTestPassed",
    "LocalKeys",
    "NotificationReceived",
    "Outgoing",
    "PeerReachable",
    "PeerStatus",
    "PeerTestOverdue",
    "PeerUnreachable",
    "Persist",
    "ReceiptReceived",
    "ReflectedEnvelopeError",
    "ReplyReceived",
    "Role",
    "Tuning",
    "UnknownReferenceError",
]
