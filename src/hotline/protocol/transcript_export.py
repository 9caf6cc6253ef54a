"""Writing transcripts: a line writer, the causal order, and `export_lines`.

The writer keeps the running SHA-256 and line count that the signed end line covers. The causal
order merges the members' chains (and their link envelopes) so that every envelope comes after
everything it references; among the envelopes ready to go it takes the earliest sender time, so
the file reads as the conversation happened.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.errors import LocalProtocolError, RemoteProtocolError
from hotline.protocol.charter import Charter, channel_id
from hotline.protocol.envelope import OPERATOR_KINDS, Envelope, Kind
from hotline.protocol.messages import CosignBody, decode_body
from hotline.protocol.relay import Witness
from hotline.protocol.sealed import parse_routing
from hotline.protocol.transcript_format import (
    FORMAT,
    VERSION,
    EndLine,
    EnvelopeLine,
    HeadLine,
    RelayCardLine,
    WitnessLine,
    encode_line,
    end_statement,
    format_ms,
)

__all__ = ["TranscriptWriter", "export_lines", "order_causally"]


class TranscriptWriter:
    """Produces the lines of one transcript, in the order they are asked for.

    Call `head` once, `envelope` for each envelope in causal order, then `end` once.
    """

    def __init__(
        self,
        charter_bytes: bytes,
        *,
        exported_by: str,
        exported_at_ms: int,
        node_key: Ed25519PrivateKey,
    ) -> None:
        try:
            charter = Charter.from_bytes(charter_bytes)
        except RemoteProtocolError as exc:
            raise LocalProtocolError(f"cannot export: {exc}") from None
        if exported_by not in charter.parties:
            raise LocalProtocolError(f"cannot export: {exported_by} is not a member")
        self.channel = channel_id(charter_bytes)
        self._charter_bytes = charter_bytes
        self._exported_by = exported_by
        self._exported_at_ms = exported_at_ms
        self._key = node_key
        self._digest = hashlib.sha256()
        self._lines = 0

    def _emit(self, line: bytes) -> bytes:
        self._digest.update(line)
        self._lines += 1
        return line

    def head(self) -> bytes:
        if self._lines:
            raise LocalProtocolError("the head line must come first, once")
        return self._emit(
            encode_line(
                HeadLine(
                    format=FORMAT,
                    version=VERSION,
                    channel=self.channel,
                    exported_by=self._exported_by,
                    exported_at=format_ms(self._exported_at_ms),
                    charter=self._charter_bytes,
                )
            )
        )

    def envelope(self, env: Envelope, *, withhold: bool = False) -> bytes:
        """One envelope line. Only operator bodies (notification, ack, reply) are withheld."""
        if not self._lines:
            raise LocalProtocolError("write the head line first")
        header = env.header
        withheld = header.blen > 0 and (
            env.body is None or (withhold and header.kind in OPERATOR_KINDS)
        )
        return self._emit(
            encode_line(
                EnvelopeLine(
                    sender=header.sender,
                    seq=header.seq,
                    kind=header.kind,
                    t=header.t,
                    id=env.id_hex,
                    withheld=withheld,
                    env=env.detached() if withheld else env.raw,
                )
            )
        )

    def relay_card(self, relay: str, card: bytes) -> bytes:
        """The card of a relay, before its witnesses."""
        return self._emit(encode_line(RelayCardLine(relay=relay, card=card)))

    def witness(self, relay: str, witness: Witness, env: Envelope) -> bytes:
        """A relay's witness for `env` (an envelope already written)."""
        return self._emit(
            encode_line(
                WitnessLine(
                    witness=relay,
                    sender=env.sender,
                    seq=env.header.seq,
                    id=env.id_hex,
                    deposited_ms=witness.deposited_ms,
                    forwarded_ms=witness.forwarded_ms,
                    routing=witness.routing,
                    sig=witness.sig,
                )
            )
        )

    def end(self) -> bytes:
        """The signed end line; nothing may be written after it."""
        digest = self._digest.digest()
        public = self._key.public_key().public_bytes_raw()
        line = encode_line(
            EndLine(
                end="hotline-transcript",
                lines=self._lines,
                sha256=digest.hex(),
                key=hashlib.sha256(public).hexdigest(),
                sig=self._key.sign(end_statement(self.channel, self._lines, digest)),
            )
        )
        self._lines += 1
        return line


def _needs(env: Envelope) -> list[tuple[str, int]]:
    """(party, seq) pairs that must be written before `env`: what its header references."""
    header = env.header
    needs = [(party, mark.seq) for party, mark in header.seen.items()]
    needs.extend((ref.party, ref.seq) for ref in header.refs)
    if header.tip is not None:
        needs.append((header.sender, header.tip.seq))
    if header.chained:  # a gap in our own copy of a chain holds back the rest of it
        needs.append((header.sender, header.seq - 1))
    if header.kind is Kind.COSIGN:
        try:
            body = decode_body(CosignBody, env.body, "cosign")
        except RemoteProtocolError:
            pass  # written anyway; the verifier will say what is wrong with it
        else:
            needs.append((body.party, body.size + 1))
    return needs


def order_causally(envelopes: Iterable[Envelope]) -> tuple[list[Envelope], list[Envelope]]:
    """Split `envelopes` into (written, held back), `written` in causal order.

    Each sender's chained envelopes go in sequence order, its link envelopes in time order.
    An envelope whose references are not among `envelopes` (a peer's seen mark of a third
    member's envelope that has not reached us yet) is held back with everything after it in its
    stream: the export ends at a consistent cut, and a later export includes them.
    """
    chains: dict[str, list[Envelope]] = {}
    links: dict[str, list[Envelope]] = {}
    for env in envelopes:
        (chains if env.header.chained else links).setdefault(env.sender, []).append(env)
    streams: list[deque[Envelope]] = []
    for party in sorted(chains):
        streams.append(deque(sorted(chains[party], key=lambda e: e.header.seq)))
    for party in sorted(links):
        streams.append(deque(sorted(links[party], key=lambda e: e.header.t)))
    written_up_to: dict[str, int] = {}
    written: list[Envelope] = []
    while True:
        best: deque[Envelope] | None = None
        for stream in streams:
            if not stream:
                continue
            head = stream[0]
            if best is not None and head.header.t >= best[0].header.t:
                continue
            if all(written_up_to.get(p, 0) >= s for p, s in _needs(head)):
                best = stream
        if best is None:
            break
        env = best.popleft()
        written.append(env)
        if env.header.chained:
            written_up_to[env.sender] = max(written_up_to.get(env.sender, 0), env.header.seq)
    held_back = [env for stream in streams for env in stream]
    return written, held_back


def export_lines(
    charter_bytes: bytes,
    envelopes: Iterable[Envelope],
    *,
    exported_by: str,
    exported_at_ms: int,
    node_key: Ed25519PrivateKey,
    evidence: Iterable[Envelope] = (),
    withhold: Callable[[Envelope], bool] | None = None,
    relay_cards: Mapping[str, bytes] | None = None,
    witnesses: Iterable[tuple[str, Witness]] = (),
) -> Iterator[bytes]:
    """The lines of a transcript of `envelopes` (chained envelopes of all members and the
    receipts kept as evidence), signed at the end by the exporter's `node_key`.

    - `evidence`: envelopes that conflict with a chained one (equivocation); each is written
      right after the envelope with the same sender and seq.
    - `withhold`: which operator bodies to leave out (the file still verifies and says how many).
    - Envelopes that reference something not exported are held back (see `order_causally`).
    - `witnesses`: (relay, witness) pairs, written after the envelopes, each relay's card
      (`relay_cards`) first; a witness of an envelope not written (held back) is left for a
      later export. A witness of a relay without a card is written all the same: the verifier
      then says it cannot check it.
    """
    writer = TranscriptWriter(
        charter_bytes, exported_by=exported_by, exported_at_ms=exported_at_ms, node_key=node_key
    )
    written, _ = order_causally(envelopes)
    conflicts: dict[tuple[str, int], list[Envelope]] = {}
    for env in evidence:
        conflicts.setdefault((env.sender, env.header.seq), []).append(env)
    yield writer.head()
    for env in written:
        yield writer.envelope(env, withhold=withhold is not None and withhold(env))
        if env.header.chained:
            for other in conflicts.pop((env.sender, env.header.seq), ()):
                if other.id != env.id:
                    yield writer.envelope(other)
    pending = [(relay, w, parse_routing(w.routing).id) for relay, w in witnesses]
    wanted = {env_id for _, _, env_id in pending}
    by_id = {e.id_hex: e for e in written if wanted and e.id_hex in wanted}
    cards = dict(relay_cards or {})
    carded: set[str] = set()
    for relay, witness, env_id in pending:
        witnessed = by_id.get(env_id)
        if witnessed is None:
            continue
        if relay in cards and relay not in carded:
            carded.add(relay)
            yield writer.relay_card(relay, cards[relay])
        yield writer.witness(relay, witness, witnessed)
    yield writer.end()
