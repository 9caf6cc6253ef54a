"""The one place where hotline's errors become HTTP statuses.

Every error response is JSON ``{"error": "<what was wrong and how to fix it>", "type": "..."}``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hotline.errors import (
    CatalogueError,
    HotlineError,
    LocalProtocolError,
    RemoteProtocolError,
)
from hotline.storage.operators import AccountError, AuthError


class ForbiddenError(HotlineError):
    """The operator's role does not allow this action."""


class NotFoundError(HotlineError):
    """No such channel, message or operator."""


STATUS: list[tuple[type[HotlineError], int]] = [
    (AuthError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (AccountError, 409),
    (CatalogueError, 422),
    (LocalProtocolError, 409),
    (RemoteProtocolError, 502),
    (HotlineError, 400),
]


def status_of(exc: HotlineError) -> int:
    return next(status for kind, status in STATUS if isinstance(exc, kind))


def install(app: FastAPI) -> None:
    @app.exception_handler(HotlineError)
    async def _hotline_error(_request: Request, exc: HotlineError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthError) else None
        return JSONResponse(
            {"error": str(exc), "type": type(exc).__name__},
            status_code=status_of(exc),
            headers=headers,
        )
