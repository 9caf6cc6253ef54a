"""What operators see of a channel: messages with their three separate states.

Receipt (the peer *node* verified and stored it), acknowledgement (a peer *operator* read and
understood it) and reply (a substantive answer) are kept apart, and none of them means approval.
Everything here is derived from the store and the channel machine; nothing is stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.protocol.channel import Channel
from hotline.protocol.envelope import Kind, parse_header, split_frame
from hotline.protocol.types import Precedence
from hotline.storage.store import Role, Store, StoredEnvelope


@dataclass(frozen=True, slots=True)
class Answer:
    party: str
    seq: int
    at_ms: int  # when it was stored here
    kind: str


@dataclass(frozen=True, slots=True)
class MessageView:
    channel: str
    sender: str
    seq: int
    id: str
    kind: str  # notification | reply
    prec: str
    mark: str
    direction: str  # out (we sent it) | in
    sent_ms: int  # the sender's clock
    stored_ms: int  # ours
    to: list[str]
    refs: list[tuple[str, int]]
    body: str | None  # UTF-8 text (catalogue JSON), None if withheld or not for us
    receipted_by: list[str]  # peers whose node has stored it (out); [] for in
    acks: list[Answer] = field(default_factory=list)
    replies: list[Answer] = field(default_factory=list)
    ack_due_ms: int = 0
    awaiting_ack_from: list[str] = field(default_factory=list)
    overdue: bool = False


def messages(
    store: Store, channel: Channel, now_ms: int, after_n: int = 0, limit: int = 500
) -> list[MessageView]:
    """Operator messages of a channel in storage order, with their states."""
    cid, me = channel.channel_id, channel.me
    answers: dict[tuple[str, int], list[Answer]] = {}
    rows: list[StoredEnvelope] = []
    for env in store.envelopes(cid):
        if env.kind in (Kind.ACK, Kind.REPLY):
            header = parse_header(split_frame(env.raw)[2])
            for ref in header.refs:
                answers.setdefault((ref.party, ref.seq), []).append(
                    Answer(env.sender, env.seq, env.stored_ms, env.kind)
                )
        operator_message = env.kind in (Kind.NOTIFICATION, Kind.REPLY)
        if operator_message and env.role in (Role.OWN, Role.PEER) and env.n > after_n:
            rows.append(env)
    views = []
    for env in rows[:limit]:
        _, _, header_bytes, body = split_frame(env.raw)
        header = parse_header(header_bytes)
        assert header.prec is not None
        assert header.mark is not None
        recipients = header.to or [p for p in channel.charter.parties if p != header.sender]
        replies = [a for a in answers.get((env.sender, env.seq), []) if a.kind == Kind.REPLY]
        acks = [a for a in answers.get((env.sender, env.seq), []) if a.kind == Kind.ACK]
        window_ms = channel.charter.ack_window_s[Precedence(header.prec)] * 1000
        due = header.t + window_ms  # from the signed time, as the channel counts (decision 9)
        if env.sender == me:
            acked_by = {a.party for a in acks}
            waiting = [p for p in recipients if p not in acked_by]
            receipted = [p for p in recipients if channel.peer_status(p).receipted >= env.seq]
        else:
            waiting = [] if any(a.party == me for a in acks) else [me]
            receipted = []
        views.append(
            MessageView(
                channel=cid,
                sender=env.sender,
                seq=env.seq,
                id=env.id.hex(),
                kind=env.kind,
                prec=header.prec.value,
                mark=header.mark.value,
                direction="out" if env.sender == me else "in",
                sent_ms=header.t,
                stored_ms=env.stored_ms,
                to=list(recipients),
                refs=[(r.party, r.seq) for r in header.refs],
                body=_text(body) if body else None,
                receipted_by=receipted,
                acks=acks,
                replies=replies,
                ack_due_ms=due,
                awaiting_ack_from=waiting,
                overdue=bool(waiting) and env.kind == Kind.NOTIFICATION and now_ms > due,
            )
        )
    return views


def _text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None
