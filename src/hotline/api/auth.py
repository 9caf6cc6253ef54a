"""Who is calling: a bearer token (header, or the console's HttpOnly cookie) -> an Operator."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request

from hotline.api.errors import ForbiddenError
from hotline.storage.operators import AuthError, Operator, OperatorStore, Role

COOKIE = "hotline_session"

# What each role may do; checked in one place.
ALLOWED: dict[str, frozenset[Role]] = {
    "read": frozenset(Role),
    "send": frozenset({Role.WATCH_OFFICER, Role.SUPERVISOR}),
    "release_flash": frozenset({Role.SUPERVISOR}),
    "manage": frozenset({Role.SUPERVISOR}),
    "audit": frozenset({Role.SUPERVISOR, Role.AUDITOR}),
}


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    cookie = request.cookies.get(COOKIE)
    if cookie:
        return cookie
    raise AuthError("not logged in: send 'Authorization: Bearer TOKEN' or log in first")


def operator_for(
    operators: OperatorStore, clock_ms: Callable[[], int]
) -> Callable[[Request], Coroutine[Any, Any, Operator]]:
    async def current(request: Request) -> Operator:
        token = bearer_token(request)
        return await asyncio.to_thread(operators.authenticate, token, clock_ms())

    return current


def require(action: str, current: Callable[..., Coroutine[Any, Any, Operator]]) -> Any:
    """A FastAPI dependency: the caller, if their role allows `action`."""

    async def check(operator: Annotated[Operator, Depends(current)]) -> Operator:
        if operator.role not in ALLOWED[action]:
            raise ForbiddenError(f"{operator.role.value} may not {action.replace('_', ' ')}")
        return operator

    return Depends(check)
