"""JSON endpoints the console needs beyond the channel API: map layers, coordinates in the
three forms people read, and checking a draft (issues with field paths, previews).

(No `from __future__ import annotations`: FastAPI reads these annotations at run time.)
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auth import require
from hotline.catalogue.coords import format_dd, format_dms, format_mgrs
from hotline.catalogue.i18n import language
from hotline.console.drafts import check_body, preview_languages
from hotline.console.mapdata import MapLayers, MapVolumeCache, map_layers
from hotline.node.picture import Picture
from hotline.node.runtime import Node
from hotline.protocol.types import Marking, Precedence
from hotline.storage.operators import Operator


class CoordsOut(BaseModel):
    lon: float
    lat: float
    decimal: str
    dms: str
    mgrs: str


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: str
    body: dict[str, Any] = Field(description="A catalogue notification (JSON object)")
    prec: Precedence
    mark: Marking = Marking.REAL


class IssueOut(BaseModel):
    path: str
    message: str


class DraftOut(BaseModel):
    ok: bool = Field(description="True when nothing blocks release")
    issues: list[IssueOut]
    warnings: list[str]
    previews: dict[str, str] = Field(description="Rendering per language, when it validates")


def console_api_routes(
    node: Node,
    current: Callable[..., Coroutine[Any, Any, Operator]],
    picture: Picture | None = None,
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["console"])
    Reader = Annotated[Operator, require("read", current)]  # noqa: N806 (a type alias)
    drawn = MapVolumeCache()  # each stored message decoded once, not on every map call

    @router.get("/map")
    async def map_data(_: Reader, lang: str = "en") -> MapLayers:
        """Notified volumes (GeoJSON Features with their message's marking), tracks, alerts."""
        return await asyncio.to_thread(
            map_layers, node, lang if lang in ("en", "ru", "uk") else "en", picture, drawn
        )

    @router.get("/coords")
    async def coords(
        op: Reader,
        lon: Annotated[float, Query(ge=-180, le=180)],
        lat: Annotated[float, Query(ge=-80, le=84)],
    ) -> CoordsOut:
        """A position in decimal degrees, degrees-minutes-seconds and MGRS (UTM band limits)."""
        lang = language(op.language if op.language in ("en", "ru", "uk") else "en")
        return CoordsOut(
            lon=lon,
            lat=lat,
            decimal=format_dd(lon, lat, lang),
            dms=format_dms(lon, lat, lang),
            mgrs=format_mgrs(lon, lat),
        )

    @router.post("/drafts/check")
    async def check_draft(draft: DraftIn, op: Reader) -> DraftOut:
        """Validate a draft and preview it in the channel's languages; nothing is sent."""
        channel = node.channel(draft.channel)
        checked = await asyncio.to_thread(
            check_body,
            draft.body,
            prec=draft.prec,
            mark=draft.mark,
            sender=node.party,
            recipients=[p for p in channel.charter.parties if p != node.party],
            languages=preview_languages(list(channel.charter.languages), op.language),
            now_ms=node.clock_ms(),
        )
        return DraftOut(
            ok=checked.notification is not None,
            issues=[IssueOut(path=i.path, message=i.message) for i in checked.issues],
            warnings=checked.warnings,
            previews=checked.previews,
        )

    return router
