"""The operator API application, built from explicit parts (no globals, no registries).

(No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
and some name dependencies local to `create_app`.)

Bound to loopback by default and separate from the node-to-node listener. The OpenAPI document
is served at /openapi.json; no page of this API loads anything from a CDN.
"""

import asyncio
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import BaseModel, ConfigDict, Field

from hotline import __version__
from hotline.api import errors
from hotline.api.auth import COOKIE, bearer_token, operator_for, require
from hotline.storage.operators import Operator, OperatorStore, Role

if TYPE_CHECKING:
    from hotline.node.runtime import Node


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class OperatorOut(BaseModel):
    name: str
    role: Role
    language: str

    @classmethod
    def of(cls, op: Operator) -> "OperatorOut":
        return cls(name=op.name, role=op.role, language=op.language)


class SessionOut(BaseModel):
    token: str
    operator: OperatorOut


class NewOperator(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=10, max_length=1024)
    role: Role
    language: str = Field(pattern=r"^[a-z]{2,3}$", default="en")


class AuditOut(BaseModel):
    n: int
    at_ms: int
    operator: str
    action: str
    target: str
    detail: str


def create_app(
    *,
    party: str,
    operators: OperatorStore,
    clock_ms: Callable[[], int],
    metrics: CollectorRegistry | None = None,
    node: "Node | None" = None,
    sse_heartbeat_s: float = 15.0,
) -> FastAPI:
    app = FastAPI(
        title=f"hotline node {party}",
        version=__version__,
        docs_url=None,  # the stock pages load scripts from a CDN; the console serves its own
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    errors.install(app)
    current = operator_for(operators, clock_ms)
    Manager = Annotated[Operator, require("manage", current)]  # noqa: N806 (a type alias)
    Auditor = Annotated[Operator, require("audit", current)]  # noqa: N806 (a type alias)
    registry = metrics or CollectorRegistry()
    app.state.metrics = registry

    @app.post("/api/v1/session", tags=["session"])
    async def log_in(body: LoginRequest, response: Response) -> SessionOut:
        """Log in with name and password; returns a bearer token and sets a session cookie."""
        token = await asyncio.to_thread(operators.log_in, body.name, body.password, clock_ms())
        op = await asyncio.to_thread(operators.authenticate, token, clock_ms())
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
        return SessionOut(token=token, operator=OperatorOut.of(op))

    @app.delete("/api/v1/session", tags=["session"], status_code=204)
    async def log_out(request: Request, response: Response) -> None:
        await asyncio.to_thread(operators.log_out, bearer_token(request), clock_ms())
        response.delete_cookie(COOKIE)

    @app.get("/api/v1/me", tags=["session"])
    async def me(op: Annotated[Operator, Depends(current)]) -> OperatorOut:
        return OperatorOut.of(op)

    @app.get("/api/v1/operators", tags=["operators"])
    async def list_operators(_: Manager) -> list[OperatorOut]:
        return [OperatorOut.of(o) for o in await asyncio.to_thread(operators.all)]

    @app.post("/api/v1/operators", tags=["operators"], status_code=201)
    async def add_operator(body: NewOperator, op: Manager) -> OperatorOut:
        await asyncio.to_thread(
            operators.add, op.name, body.name, body.password, body.role, body.language, clock_ms()
        )
        return OperatorOut(name=body.name, role=body.role, language=body.language)

    @app.get("/api/v1/audit", tags=["audit"])
    async def audit(_: Auditor, after: int = 0, limit: int = 200) -> list[AuditOut]:
        entries = await asyncio.to_thread(operators.audit, after, min(max(limit, 1), 1000))
        return [AuditOut(**asdict(e)) for e in entries]

    if node is not None:
        from hotline.api.channels import channel_routes
        from hotline.api.releases import release_routes
        from hotline.node.releases import FlashReleases

        releases = FlashReleases(node)
        releases.settle_interrupted()  # a release cut short by a crash: sent, or held again
        app.include_router(channel_routes(node, current, releases, sse_heartbeat_s))
        app.include_router(release_routes(node, releases, current))
        from hotline.api.console_api import console_api_routes
        from hotline.api.picture_api import picture_routes
        from hotline.console import console_routes
        from hotline.node.picture import Picture
        from hotline.storage.picture_store import PictureStore

        picture = Picture(store=PictureStore(node.store.engine))
        picture.start()  # loads tracks, alerts and notified volumes off the request path
        app.state.picture = picture  # closed (last writes) by whoever stops the node
        app.include_router(picture_routes(picture, current))
        app.include_router(console_api_routes(node, current, picture))
        app.include_router(console_routes(node, current, releases))

    @app.get("/metrics", tags=["monitoring"], include_in_schema=False)
    async def prometheus() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/api/v1/health", tags=["monitoring"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "party": party, "version": __version__}

    return app
