"""The link to one peer: what we send it and when, and what we owe it.

Towards the peer, our chain goes out go-back-N: every durable envelope is sent once, at most
``window`` beyond what the peer has receipted; if the receipt does not advance in time, we go
back to the first unreceipted envelope and send again, waiting twice as long each time (1 s
doubling to 60 s by default; no randomness, so a simulation replays exactly). A receipt that
advances resets the wait. The peer may ask for ranges (RESEND); we serve them at most once per
``serve_gap_ms`` so a hostile peer cannot make us flood the link.

From the peer, we owe receipts (coalesced: at most one per ``receipt_gap_ms``, skipped when an
envelope we sent anyway carried the same `seen`), and we ask for gaps in its chain with
back-off. Times are ms on our clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.protocol.skew import SkewFilter, SkewSample


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timing and bounds of the machine; the charter sets the protocol's own intervals."""

    resend_initial_ms: int = 1_000
    resend_max_ms: int = 60_000
    window: int = 256  # own envelopes in flight to one peer, beyond its receipt
    receipt_gap_ms: int = 100  # at most one receipt per peer per this interval
    gap_grace_ms: int = 250  # a gap may be mere reordering: wait this long before asking
    gap_max_ms: int = 30_000
    serve_gap_ms: int = 500  # serve a peer's RESEND at most this often
    max_held: int = 1024  # envelopes held beyond a gap, per peer
    max_held_bytes: int = 16 * 1024 * 1024
    silence_heartbeats: int = 3  # a peer is unreachable after this many heartbeat intervals
    skew_report_ms: int = 500  # report a skew estimate again when it moves this much

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 1:
                raise ValueError(f"tuning {name} must be at least 1")
        if self.resend_max_ms < self.resend_initial_ms or self.gap_max_ms < self.gap_grace_ms:
            raise ValueError("tuning: a back-off cap must not be below its start")


class PeerLink:
    """Per-peer timers and counters; the channel decides, this keeps the numbers."""

    __slots__ = (
        "acked",
        "backoff_ms",
        "gap_at",
        "gap_backoff_ms",
        "hb_at",
        "hb_t",
        "high_sent",
        "last_heard",
        "receipt_due_at",
        "receipt_forced",
        "receipt_sent_at",
        "reported_skew",
        "requested",
        "resend_at",
        "sent_upto",
        "serve_at",
        "served_at",
        "skew",
        "test_due",
        "test_overdue",
        "told",
        "tuning",
        "unreachable",
    )

    def __init__(self, tuning: Tuning, now: int) -> None:
        self.tuning = tuning
        # our chain towards the peer
        self.acked = 0  # the peer has receipted our 1..acked
        self.sent_upto = 0  # sent (this round) up to here
        self.high_sent = 0  # ever sent up to here (to count resends)
        self.resend_at: int | None = None
        self.backoff_ms = tuning.resend_initial_ms
        self.requested: list[tuple[int, int]] = []
        self.serve_at: int | None = None
        self.served_at: int | None = None
        # the peer's chain: receipts we owe, gaps we ask about
        self.receipt_due_at: int | None = None
        self.receipt_forced = False
        self.receipt_sent_at: int | None = None
        self.told = 0  # highest seen[peer].seq carried by anything we sent the peer
        self.gap_at: int | None = None
        self.gap_backoff_ms = tuning.gap_grace_ms
        # liveness, clocks, scheduled tests
        self.last_heard = now
        self.unreachable = False
        self.hb_t: int | None = None  # t of the peer's newest heartbeat (its clock)
        self.hb_at: int | None = None  # when we received it (our clock)
        self.skew = SkewFilter()
        self.reported_skew: SkewSample | None = None
        self.test_due: int | None = None
        self.test_overdue = False

    # -- our chain towards the peer -------------------------------------------------------

    def outstanding(self) -> bool:
        return self.acked < self.sent_upto

    def receipted(self, upto: int, now: int) -> bool:
        """The peer receipted our 1..upto; True if that is news."""
        if upto <= self.acked:
            return False
        self.acked = upto
        self.sent_upto = max(self.sent_upto, upto)
        self.high_sent = max(self.high_sent, upto)
        self.backoff_ms = self.tuning.resend_initial_ms
        self.resend_at = now + self.backoff_ms if self.outstanding() else None
        return True

    def to_send(self, durable: int, now: int) -> range:
        """Sequence numbers of our chain due to this peer now (first sends and resends)."""
        if self.resend_at is not None and now >= self.resend_at and self.outstanding():
            self.sent_upto = self.acked  # go back to the first unreceipted envelope
            self.backoff_ms = min(2 * self.backoff_ms, self.tuning.resend_max_ms)
            self.resend_at = None
        first = self.sent_upto + 1
        last = min(durable, self.acked + self.tuning.window)
        if last >= first:
            self.sent_upto = last
            self.high_sent = max(self.high_sent, last)
        if self.outstanding() and self.resend_at is None:
            self.resend_at = now + self.backoff_ms
        return range(first, last + 1)

    def heard(self, now: int) -> bool:
        """A valid envelope from the peer; True if it had been reported unreachable.

        A peer back from silence gets our unreceipted envelopes at once, without waiting out
        a back-off that grew while it was away. Besides the unreachable alarm, a peer heard
        after at least ``resend_initial_ms`` of silence while our resends went unreceipted (the
        back-off grew) is back from a restart or a short outage. A peer cannot make us resend
        more often than once per that silence this way.
        """
        silent_ms = now - self.last_heard
        self.last_heard = now
        was_unreachable, self.unreachable = self.unreachable, False
        grown = self.backoff_ms > self.tuning.resend_initial_ms
        if was_unreachable or (grown and silent_ms >= self.tuning.resend_initial_ms):
            self.backoff_ms = self.tuning.resend_initial_ms
            if self.outstanding():
                self.resend_at = now
        return was_unreachable

    def request(self, ranges: list[tuple[int, int]], now: int) -> None:
        """The peer asked for these ranges; the newest request replaces an unserved one."""
        self.requested = ranges
        earliest = now if self.served_at is None else self.served_at + self.tuning.serve_gap_ms
        self.serve_at = max(now, earliest)

    def to_serve(self, durable: int, now: int) -> list[int]:
        """Requested sequence numbers to resend now: held (unreceipted, durable) ones only."""
        if self.serve_at is None or now < self.serve_at:
            return []
        seqs: list[int] = []
        top = min(durable, self.sent_upto)  # beyond that, the first send is still to come
        for first, last in self.requested:
            for seq in range(max(first, self.acked + 1), min(last, top) + 1):
                if len(seqs) >= self.tuning.window:
                    break
                seqs.append(seq)
        self.requested, self.serve_at, self.served_at = [], None, now
        return seqs

    # -- the peer's chain ----------------------------------------------------------------

    def owe_receipt(self, now: int, *, forced: bool = False) -> None:
        self.receipt_forced = self.receipt_forced or forced
        if self.receipt_due_at is None:
            earliest = 0 if self.receipt_sent_at is None else self.receipt_sent_at
            self.receipt_due_at = max(now, earliest + self.tuning.receipt_gap_ms)

    def receipt_needed(self, durable: int, now: int) -> bool:
        if self.receipt_due_at is None or now < self.receipt_due_at:
            return False
        if self.receipt_forced or durable > self.told:
            return True
        self.receipt_due_at = None  # something we sent meanwhile carried it
        return False

    def receipt_sent(self, now: int) -> None:
        self.receipt_due_at, self.receipt_forced, self.receipt_sent_at = None, False, now

    def gap_seen(self, now: int) -> None:
        if self.gap_at is None:
            self.gap_at = now + self.gap_backoff_ms

    def gap_asked(self, now: int) -> None:
        self.gap_backoff_ms = min(2 * self.gap_backoff_ms, self.tuning.gap_max_ms)
        self.gap_at = now + self.gap_backoff_ms

    def gap_progress(self) -> None:
        """The peer's chain advanced: a remaining gap gets a fresh, short grace."""
        self.gap_backoff_ms = self.tuning.gap_grace_ms
        self.gap_at = None


__all__ = ["PeerLink", "Tuning"]
