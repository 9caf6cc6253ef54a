"""The one place where hotline's errors become HTTP statuses.

Every error response is JSON ``{"error": "<what was wrong and how to fix it>", "type": "..."}``;
a refused notification adds ``"problems": [{"path": "impact_area.radius_nm", "message": ...}]``
with every problem found, not just the first.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hotline.catalogue.errors import (
    InvalidNotificationError,
    PrecedenceNotAllowedError,
    ReleaseBlockedError,
)
from hotline.errors import (
    CatalogueError,
    HotlineError,
    LocalProtocolError,
    RemoteProtocolError,
)
from hotline.storage.operators import AccountError, AuthError
from hotline.storage.releases import (
    AuthorMayNotReleaseError,
    DraftNotFoundError,
    DraftNotHeldError,
)


class ForbiddenError(HotlineError):
    """The operator's role does not allow this action."""


class NotFoundError(HotlineError):
    """No such channel, message or operator."""


STATUS: list[tuple[type[HotlineError], int]] = [
    (AuthError, 401),
    (ForbiddenError, 403),
    (AuthorMayNotReleaseError, 403),
    (NotFoundError, 404),
    (DraftNotFoundError, 404),
    (DraftNotHeldError, 409),
    (AccountError, 409),
    (CatalogueError, 422),
    (LocalProtocolError, 409),
    (RemoteProtocolError, 502),
    (HotlineError, 400),
]


def status_of(exc: HotlineError) -> int:
    return next(status for kind, status in STATUS if isinstance(exc, kind))


def problems_of(exc: HotlineError) -> list[dict[str, str]] | None:
    """Every problem of a refused notification, with its field path."""
    if isinstance(exc, InvalidNotificationError):
        return [{"path": i.path, "message": i.message} for i in exc.issues]
    if isinstance(exc, ReleaseBlockedError):
        return [{"path": f.path, "message": f.message, "code": f.code} for f in exc.findings]
    if isinstance(exc, PrecedenceNotAllowedError):
        return [{"path": "precedence", "message": str(exc).removeprefix("precedence: ")}]
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(HotlineError)
    async def _hotline_error(_request: Request, exc: HotlineError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthError) else None
        content: dict[str, object] = {"error": str(exc), "type": type(exc).__name__}
        problems = problems_of(exc)
        if problems is not None:
            content["problems"] = problems
        return JSONResponse(
            content,
            status_code=status_of(exc),
            headers=headers,
        )
