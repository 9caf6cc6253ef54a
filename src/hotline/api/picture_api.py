"""Tracks into the node's picture, and the engine's alerts out.

(No `from __future__ import annotations`: FastAPI reads these annotations at run time.)
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auth import require
from hotline.console.mapdata import AlertOut
from hotline.engine import CloseApproach, Domain, Incursion, Overlap, TrackState
from hotline.node.picture import Picture, alert_out
from hotline.storage.operators import Operator


class TrackIn(BaseModel):
    """One reported state; ``time_s`` is seconds since 1970-01-01 UTC."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    id: str = Field(min_length=1, max_length=64)
    party: str = Field(min_length=1, max_length=32)
    time_s: float
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    alt_ft: float = 0.0
    speed_kt: float = Field(default=0.0, ge=0)
    course_deg: float = 0.0
    vrate_fpm: float = 0.0
    domain: Domain = Domain.AIR
    callsign: str = Field(default="", max_length=64)


class PushOut(BaseModel):
    tracks: int
    raised: list[str] = Field(description="Ids of the alerts this push raised")


class AlertDetail(BaseModel):
    alert: AlertOut
    status: str
    raised_at: str
    close_approach: CloseApproach | None = Field(
        default=None, description="The engine's evidence: predicted closest approach"
    )
    incursion: Incursion | None = Field(
        default=None,
        description="The engine's evidence: the track, the notified volume (its id names the"
        " notification), when and where the track enters it",
    )
    overlap: Overlap | None = Field(
        default=None, description="The engine's evidence: two notified volumes that overlap"
    )


def picture_routes(
    picture: Picture, current: Callable[..., Coroutine[Any, Any, Operator]]
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["picture"])
    Reader = Annotated[Operator, require("read", current)]  # noqa: N806 (a type alias)
    Sender = Annotated[Operator, require("send", current)]  # noqa: N806

    @router.post("/tracks")
    async def push_tracks(
        states: Annotated[list[TrackIn], Field(max_length=10_000)], _: Sender
    ) -> PushOut:
        """Push track states (watch officer or supervisor); the engine screens them at once."""
        parsed = [TrackState(**s.model_dump()) for s in states]  # TrackInputError: 400
        events = await asyncio.to_thread(picture.push, parsed)
        raised = [e.alert.id for e in events if e.change == "raised"]
        return PushOut(tracks=len(parsed), raised=raised)

    @router.get("/alerts")
    async def alerts(_: Reader) -> list[AlertDetail]:
        """The engine's active alerts, each with its evidence and its marking."""
        found = await asyncio.to_thread(picture.alerts)
        return [
            AlertDetail(
                alert=alert_out(a, picture.mark_of(a)),
                status=str(a.status),
                raised_at=a.raised_at.isoformat(),
                close_approach=a.evidence if isinstance(a.evidence, CloseApproach) else None,
                incursion=a.evidence if isinstance(a.evidence, Incursion) else None,
                overlap=a.evidence if isinstance(a.evidence, Overlap) else None,
            )
            for a in found
        ]

    return router
