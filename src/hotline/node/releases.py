"""Two-person release of FLASH notifications, for channels whose charter asks for it.

A FLASH composed on such a channel is checked as any message, then held in the store instead of
sent. A second operator releases it (the node sends exactly the stored body and header) or
either of them withdraws it. Who composed and who released a message is this node's own
knowledge: the wire format does not carry it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from hotline.node.runtime import Node, NodeEvent
from hotline.protocol.envelope import Kind, Ref, split_frame
from hotline.protocol.types import Marking, Precedence
from hotline.storage.releases import DraftState, HeldDraft, ReleaseStore
from hotline.storage.store import Role

__all__ = ["FlashReleases", "ReleasedBy"]


@dataclass(frozen=True, slots=True)
class ReleasedBy:
    """Who composed a released FLASH and who released it (for the message's view)."""

    draft: int
    composed_by: str
    released_by: str
    released_ms: int


class FlashReleases:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.store = ReleaseStore(node.store.engine)

    def applies(self, cid: str, prec: Precedence) -> bool:
        """Is a message of this precedence on this channel held for a second operator?"""
        return prec is Precedence.FLASH and self.node.channel(cid).charter.two_person_flash

    async def hold(
        self,
        cid: str,
        body: bytes,
        *,
        prec: Precedence,
        mark: Marking,
        to: list[str] | None,
        refs: list[Ref],
        author: str,
    ) -> HeldDraft:
        cid = self.node.channel(cid).channel_id
        draft = await asyncio.to_thread(
            self.store.hold,
            cid,
            body,
            prec=prec.value,
            mark=mark.value,
            to=to,
            refs=[(r.party, r.seq, r.id) for r in refs],
            author=author,
            now_ms=self.node.clock_ms(),
        )
        self._announce("FlashHeld", draft)
        return draft

    async def release(
        self, n: int, by: str, check: Callable[[HeldDraft], None] = lambda _: None
    ) -> tuple[HeldDraft, Ref]:
        """Send held draft `n` as its author composed it; `by` is the second operator.

        `check` runs the catalogue's release rules again at the moment of sending (a lead time
        may have run out while it waited); if it raises, the draft stays held.
        """
        draft = await asyncio.to_thread(self.store.begin_release, n, by, self.node.clock_ms())
        try:
            check(draft)
            ref = await self.node.notify(
                draft.channel_id,
                draft.body,
                prec=Precedence(draft.prec),
                mark=Marking(draft.mark),
                to=draft.to,
                refs=[Ref(party=p, seq=s, id=i) for p, s, i in draft.refs],
            )
        except BaseException as exc:
            settled = await asyncio.to_thread(self._settle, draft, f"not sent: {exc}")
            if settled.state is DraftState.RELEASED:  # stored before the failure: it stands
                self._announce("FlashReleased", settled)
            raise
        done = await asyncio.to_thread(
            self.store.finish_release, n, ref.party, ref.seq, self.node.clock_ms()
        )
        self._announce("FlashReleased", done)
        return done, ref

    async def withdraw(self, n: int, by: str, reason: str) -> HeldDraft:
        draft = await asyncio.to_thread(self.store.withdraw, n, by, reason, self.node.clock_ms())
        self._announce("FlashWithdrawn", draft)
        return draft

    def pending(self, cid: str | None = None) -> list[HeldDraft]:
        return self.store.pending(self.node.channel(cid).channel_id if cid else None)

    def released_by(self, cid: str) -> dict[tuple[str, int], ReleasedBy]:
        """Released FLASH messages of a channel by (party, seq)."""
        return {
            (d.sent_party, d.sent_seq): ReleasedBy(
                d.n, d.author, d.decided_by or "", d.decided_ms or 0
            )
            for d in self.store.released(self.node.channel(cid).channel_id)
            if d.sent_party is not None and d.sent_seq is not None
        }

    def settle_interrupted(self) -> list[HeldDraft]:
        """After a crash: each draft caught mid-release is released if its message is in the
        channel, else held again. Call before serving operators."""
        return [
            self._settle(d, "the node stopped during the release")
            for d in self.store.pending()
            if d.state is DraftState.RELEASING
        ]

    def _settle(self, draft: HeldDraft, why: str) -> HeldDraft:
        found = self._sent_as(draft)
        now = self.node.clock_ms()
        if found is not None:
            return self.store.finish_release(draft.n, found.party, found.seq, now)
        self.store.undo_release(draft.n, now, why)
        return self.store.get(draft.n)

    def _sent_as(self, draft: HeldDraft) -> Ref | None:
        """Our notification stored since the release began with exactly the draft's body and
        not already claimed by another released draft."""
        claimed = {(d.sent_party, d.sent_seq) for d in self.store.released(draft.channel_id)}
        since = draft.decided_ms or draft.held_ms
        for env in self.node.store.envelopes(draft.channel_id):
            if env.role is not Role.OWN or env.kind != Kind.NOTIFICATION or env.stored_ms < since:
                continue
            if (env.sender, env.seq) in claimed or split_frame(env.raw)[3] != draft.body:
                continue
            return Ref(party=env.sender, seq=env.seq, id=env.id.hex())
        return None

    def _announce(self, kind: str, draft: HeldDraft) -> None:
        data: dict[str, object] = {
            "draft": draft.n,
            "author": draft.author,
            "state": draft.state.value,
            "by": draft.decided_by,
            "prec": draft.prec,
            "mark": draft.mark,
        }
        if draft.sent_seq is not None:
            data["sent"] = [draft.sent_party, draft.sent_seq]
        self.node.announce(NodeEvent(draft.channel_id, kind, dict(data), self.node.clock_ms()))
