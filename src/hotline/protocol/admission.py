"""Admission: every rule a peer's envelope must obey before it may touch a channel's state.

The channel calls `Admission.check` after `open_envelope` has verified the signature and before
it changes anything, so a refused envelope leaves no trace. Checks: the channel, the sender,
the parties it names, its receipt of our chain, its place in the sender's chain (charter
first), and its body (protocol bodies decoded strictly, party signatures verified).
"""

from __future__ import annotations

from hotline.errors import RemoteProtocolError
from hotline.protocol.chain import OwnChain
from hotline.protocol.channel_errors import (
    ChainRuleError,
    FalseReceiptError,
    ForeignChannelError,
    ReflectedEnvelopeError,
)
from hotline.protocol.charter import Charter
from hotline.protocol.envelope import (
    OPERATOR_KINDS,
    Envelope,
    Header,
    Kind,
    Mark,
    check_body,
    envelope_id,
    parse_header,
    split_frame,
)
from hotline.protocol.members import MemberDirectory
from hotline.protocol.messages import (
    CharterAcceptBody,
    CheckpointBody,
    CosignBody,
    DualSignature,
    HeartbeatBody,
    LinkTestBody,
    ResendRequest,
    charter_accept_statement,
    checkpoint_statement,
    cosign_statement,
    decode_body,
    statement_is_signed,
)

# A peer envelope's decoded protocol body (operator bodies are opaque here: None).
Body = (
    CharterAcceptBody | CheckpointBody | CosignBody | LinkTestBody | HeartbeatBody | ResendRequest
)


def accept_seq(charter: Charter, party: str) -> int:
    """Where ``party``'s charter acceptance sits in its chain (the proposer proposes first)."""
    return 2 if party == charter.proposer else 1


class Admission:
    """The rules, bound to one channel and to our own chain (which receipts must match)."""

    def __init__(
        self,
        channel_id: str,
        me: str,
        charter: Charter,
        charter_bytes: bytes,
        directory: MemberDirectory,
        own: OwnChain,
        own_roots: dict[int, str],
    ) -> None:
        self.channel_id = channel_id
        self.me = me
        self.charter = charter
        self.charter_bytes = charter_bytes
        self._directory = directory
        self.own = own
        self.own_roots = own_roots  # our checkpoints (size -> root): what a cosign must match

    def check(self, env: Envelope, *, trusted: bool) -> Body | None:
        """Every rule an envelope must obey before it may touch the state. Returns its body."""
        h = env.header
        if h.ch != self.channel_id:
            raise ForeignChannelError(h.ch, self.channel_id)
        if h.sender == self.me:
            raise ReflectedEnvelopeError(self.me)
        members = self.charter.parties
        named = [*(h.to or ()), *h.seen, *(r.party for r in h.refs)]
        strangers = sorted({p for p in named if p not in members})
        if strangers:
            raise ChainRuleError(h.sender, h.seq, f"names parties outside the channel: {strangers}")
        mine = h.seen.get(self.me)
        if mine is not None:
            self._check_receipt(h.sender, mine)
        if h.chained:
            return self._check_chained(env, trusted)
        if h.kind == Kind.RECEIPT:
            if h.blen:
                raise ChainRuleError(h.sender, 0, "a receipt carries no body")
            return None
        if h.kind == Kind.HEARTBEAT:
            return decode_body(HeartbeatBody, env.body, f"{h.sender} heartbeat")
        return decode_body(ResendRequest, env.body, f"{h.sender} resend request")

    def _check_receipt(self, peer: str, mark: Mark) -> None:
        if mark.seq < 1 or mark.seq > self.own.durable:
            raise FalseReceiptError(peer, mark.seq, f"we have sent only 1..{self.own.durable}")
        if self.own.ids[mark.seq - 1].hex() != mark.id:
            raise FalseReceiptError(peer, mark.seq, "its id is not the id of our envelope")

    def _check_chained(self, env: Envelope, trusted: bool) -> Body | None:
        h, sender, seq = env.header, env.sender, env.seq
        first = accept_seq(self.charter, sender)
        if h.kind == Kind.CHARTER_PROPOSAL:
            if sender != self.charter.proposer or seq != 1:
                raise ChainRuleError(sender, seq, "only the proposer's seq 1 proposes the charter")
            if env.body != self.charter_bytes:
                raise ChainRuleError(sender, seq, "the proposal is not this channel's charter")
            return None
        if h.kind == Kind.CHARTER_ACCEPT:
            if seq != first:
                raise ChainRuleError(sender, seq, f"the charter acceptance must be seq {first}")
            accept = decode_body(CharterAcceptBody, env.body, f"{sender} seq {seq} acceptance")
            stmt = charter_accept_statement(self.channel_id)
            if not trusted and not self._signed(sender, stmt, accept.sig):
                raise ChainRuleError(sender, seq, "charter acceptance signatures do not verify")
            return accept
        if seq <= first:
            raise ChainRuleError(
                sender, seq, f"{h.kind} before the charter acceptance (seq {first} must accept)"
            )
        what = f"{sender} seq {seq} {h.kind}"
        if h.kind in OPERATOR_KINDS:
            self._check_operator(env)
            return None
        if h.kind == Kind.LINK_TEST:
            return decode_body(LinkTestBody, env.body, what)
        if h.kind == Kind.CHECKPOINT:
            cp = decode_body(CheckpointBody, env.body, what)
            if cp.size != seq - 1:
                raise ChainRuleError(sender, seq, f"checkpoint size {cp.size} is not seq - 1")
            stmt = checkpoint_statement(self.channel_id, sender, cp.size, cp.root)
            if not trusted and not self._signed(sender, stmt, cp.sig):
                raise ChainRuleError(sender, seq, "checkpoint signatures do not verify")
            return cp
        cosign = decode_body(CosignBody, env.body, what)
        if cosign.party == sender or cosign.party not in self.charter.parties:
            raise ChainRuleError(sender, seq, f"cannot countersign {cosign.party}'s checkpoint")
        stmt = cosign_statement(self.channel_id, cosign.party, cosign.size, cosign.root)
        if not trusted and not self._signed(sender, stmt, cosign.sig):
            raise ChainRuleError(sender, seq, "countersignature does not verify")
        if cosign.party == self.me and self.own_roots.get(cosign.size) != cosign.root:
            raise FalseReceiptError(sender, cosign.size, "countersigns a checkpoint we never made")
        return cosign

    def _check_operator(self, env: Envelope) -> None:
        h, sender = env.header, env.sender
        for party in self.charter.parties:
            if party != sender:
                mark = h.seen.get(party)
                if mark is None or mark.seq < accept_seq(self.charter, party):
                    raise ChainRuleError(
                        sender, env.seq, f"{h.kind} sent before {party} accepted the charter"
                    )
        if env.body is None and (h.to is None or self.me in h.to):
            raise ChainRuleError(sender, env.seq, "body withheld from an addressee (us)")

    def _signed(self, party: str, statement: bytes, sig: DualSignature) -> bool:
        keys = self._directory[party]
        return statement_is_signed(statement, sig, keys.ed25519, keys.mldsa65)


def open_stored(raw: bytes, signers: MemberDirectory) -> Envelope:
    """Parse bytes this node verified before storing them: every check but the signature."""
    key_id, _sig, header_bytes, body = split_frame(raw)
    found = signers.signer(key_id)
    if found is None:
        raise RemoteProtocolError(f"unknown signer key {key_id.hex()[:16]}...")
    header: Header = parse_header(header_bytes)
    if header.sender != found[0]:
        raise RemoteProtocolError(f"stored envelope of {header.sender} signed by {found[0]}'s key")
    if body or header.blen == 0:
        check_body(header, body)
        return Envelope(raw, envelope_id(key_id, header_bytes), key_id, header, body)
    return Envelope(raw, envelope_id(key_id, header_bytes), key_id, header, None)


__all__ = ["Admission", "Body", "accept_seq", "open_stored"]
