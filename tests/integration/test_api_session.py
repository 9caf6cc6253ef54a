"""The operator API's sessions, roles, audit and metrics, through a real uvicorn on port 0."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from hotline.api import create_app
from hotline.storage.operators import OperatorStore, Role
from hotline.storage.sqlite import migrate, sqlite_engine


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    engine = sqlite_engine(tmp_path / "node.db")
    migrate(engine)
    ops = OperatorStore(engine, scrypt_n=2**10)
    ops.add("setup", "smith", "supervisor password", Role.SUPERVISOR, "en", now_ms=1)
    ops.add("setup", "ivanova", "officer password", Role.WATCH_OFFICER, "ru", now_ms=1)
    app = create_app(party="US", operators=ops, clock_ms=lambda: int(time.time() * 1000))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    port = sock.getsockname()[1]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        yield client
    server.should_exit = True
    await task


async def log_in(api: httpx.AsyncClient, name: str, password: str) -> dict[str, str]:
    r = await api.post("/api/v1/session", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return {"authorization": f"Bearer {r.json()['token']}"}


async def test_log_in_and_who_am_i(api: httpx.AsyncClient) -> None:
    headers = await log_in(api, "ivanova", "officer password")
    r = await api.get("/api/v1/me", headers=headers)
    assert r.json() == {"name": "ivanova", "role": "watch_officer", "language": "ru"}


async def test_errors_are_json_with_a_reason(api: httpx.AsyncClient) -> None:
    r = await api.get("/api/v1/me")
    assert r.status_code == 401
    assert "not logged in" in r.json()["error"]
    r = await api.post("/api/v1/session", json={"name": "smith", "password": "nope"})
    assert r.status_code == 401
    assert r.json()["type"] == "AuthError"


async def test_roles_are_enforced(api: httpx.AsyncClient) -> None:
    officer = await log_in(api, "ivanova", "officer password")
    r = await api.get("/api/v1/audit", headers=officer)
    assert r.status_code == 403
    assert r.json()["error"] == "watch_officer may not audit"
    boss = await log_in(api, "smith", "supervisor password")
    new = {"name": "jones", "password": "auditor password", "role": "auditor", "language": "en"}
    assert (await api.post("/api/v1/operators", json=new, headers=boss)).status_code == 201
    auditor = await log_in(api, "jones", "auditor password")
    assert (await api.get("/api/v1/audit", headers=auditor)).status_code == 200
    assert (await api.post("/api/v1/operators", json=new, headers=auditor)).status_code == 403


async def test_every_action_lands_in_the_audit(api: httpx.AsyncClient) -> None:
    boss = await log_in(api, "smith", "supervisor password")
    await api.post("/api/v1/session", json={"name": "ivanova", "password": "wrong wrong"})
    entries = (await api.get("/api/v1/audit", headers=boss)).json()
    assert [(e["operator"], e["action"]) for e in entries][-2:] == [
        ("smith", "login"),
        ("ivanova", "login.refused"),
    ]


async def test_openapi_and_metrics_are_served_locally(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    assert "/api/v1/session" in spec["paths"]
    assert (await api.get("/docs")).status_code == 404  # the CDN-loading page is off
    assert (await api.get("/metrics")).status_code == 200


async def test_malformed_bodies_name_the_field(api: httpx.AsyncClient) -> None:
    r = await api.post("/api/v1/session", json={"name": "smith", "pasword": "x"})
    assert r.status_code == 422
    assert "password" in r.text
