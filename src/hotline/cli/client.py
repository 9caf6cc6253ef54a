"""The operator commands' way to a running node: its API address, the saved session, and typed
answers.

The node process owns the store and the channels; these commands only ever talk to its operator
API. Where the API is: `--api`, else HOME/node.run (written by `hotline run` while it runs),
else the `api` address in HOME/node.json. The session token from `hotline login` is kept in
HOME/operator.token (mode 0600). Every answer is decoded into a typed structure here, at the
edge; anything else is refused with a clear error.
"""

from __future__ import annotations

import http.client
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import msgspec

from hotline.errors import HotlineError
from hotline.node.home import Home
from hotline.protocol.envelope import DECODE_ERRORS

TOKEN_FILE = "operator.token"
RUN_FILE = "node.run"  # the same name `hotline run` writes
TIMEOUT_S = 30.0

T = TypeVar("T")


class ClientError(HotlineError):
    """An operator command could not get what it asked from the node."""


class NodeNotRunningError(ClientError):
    """Nothing answers at the node's API address."""


class NotLoggedInError(ClientError):
    """No session saved, or the node no longer accepts it."""


class ApiError(ClientError):
    """The node refused a request; `problems` lists each field path and what is wrong there."""

    def __init__(self, status: int, message: str, problems: list[Problem]) -> None:
        self.status = status
        self.problems = problems
        if len(problems) > 1:
            message = f"{len(problems)} problems: " + "; ".join(str(p) for p in problems)
        super().__init__(message)


# -- what the API answers -------------------------------------------------------------------


class Problem(msgspec.Struct, frozen=True):
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class _ErrorBody(msgspec.Struct, frozen=True):
    error: str
    problems: list[Problem] = []


class Session(msgspec.Struct, frozen=True):
    token: str
    operator: str


class OperatorInfo(msgspec.Struct, frozen=True):
    name: str
    role: str
    language: str


class LoggedIn(msgspec.Struct, frozen=True):
    token: str
    operator: OperatorInfo


class ChannelInfo(msgspec.Struct, frozen=True):
    id: str
    name: str
    proposer: str
    parties: list[str]
    accepted_by: list[str]
    opened: bool
    languages: list[str]


class Answer(msgspec.Struct, frozen=True):
    party: str
    seq: int
    at_ms: int
    kind: str


class MessageInfo(msgspec.Struct, frozen=True):
    channel: str
    sender: str
    seq: int
    id: str
    kind: str
    prec: str
    mark: str
    direction: str
    sent_ms: int
    stored_ms: int
    to: list[str]
    refs: list[tuple[str, int]]
    receipted_by: list[str]
    acks: list[Answer]
    replies: list[Answer]
    ack_due_ms: int
    awaiting_ack_from: list[str]
    overdue: bool
    subject: str = ""
    type: str | None = None
    original_lang: str | None = None
    renderings: dict[str, str] = {}
    problem: str | None = None
    composed_by: str | None = None  # a FLASH held for two-person release: this node's record
    released_by: str | None = None

    @property
    def number(self) -> str:
        return f"{self.sender}-{self.seq}"


class SentRef(msgspec.Struct, frozen=True):
    party: str
    seq: int
    id: str
    warnings: list[str] = []


class SendAnswer(msgspec.Struct, frozen=True):
    """What the node answers a send: the message's ref, or (a FLASH held for a second
    operator's release) the draft's number."""

    party: str = ""
    seq: int = 0
    id: str = ""
    warnings: list[str] = []
    draft: int | None = None


class DraftInfo(msgspec.Struct, frozen=True):
    """A FLASH held for a second operator's release."""

    draft: int
    channel: str
    state: str
    prec: str
    mark: str
    author: str
    held_ms: int
    to: list[str] | None = None
    refs: list[str] = []
    decided_by: str | None = None
    decided_ms: int | None = None
    reason: str = ""
    sent: str | None = None
    previews: dict[str, str] = {}
    may_release: bool = False
    why_not: str = ""


class ReleasedInfo(msgspec.Struct, frozen=True):
    draft: int
    party: str
    seq: int
    id: str
    composed_by: str
    released_by: str


class BearerInfo(msgspec.Struct, frozen=True):
    name: str
    up: bool | None = None
    last_ok_ms: int | None = None
    last_error: str | None = None
    failures: int = 0
    rtt_ms: float | None = None
    sent: int = 0
    refused: int = 0
    last_refusal: str | None = None


class PeerChannelInfo(msgspec.Struct, frozen=True):
    channel: str


class LinkInfo(msgspec.Struct, frozen=True):
    peer: str
    bearers: list[BearerInfo]
    channels: list[PeerChannelInfo]


# -- the client -----------------------------------------------------------------------------


class NodeClient:
    """Requests to one node's operator API, as the operator logged in under HOME."""

    def __init__(self, home: Path, api: str | None = None) -> None:
        self.home = home
        self.api = api or api_address(home)

    # session -----------------------------------------------------------------------------

    @property
    def token_file(self) -> Path:
        return self.home / TOKEN_FILE

    def session(self) -> Session:
        try:
            return msgspec.json.decode(self.token_file.read_bytes(), type=Session)
        except FileNotFoundError:
            raise NotLoggedInError(
                f"not logged in: run `hotline login --home {self.home}` first"
            ) from None
        except DECODE_ERRORS:
            raise NotLoggedInError(
                f"{self.token_file} is not a session file: run `hotline login --home {self.home}`"
            ) from None

    def save_session(self, session: Session) -> None:
        tmp = self.token_file.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(msgspec.json.encode(session) + b"\n")
        tmp.replace(self.token_file)

    def forget_session(self) -> None:
        self.token_file.unlink(missing_ok=True)

    # requests ----------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        answer: type[T],
        body: object = None,
        *,
        auth: bool = True,
    ) -> T:
        """One request; its answer decoded as `answer`. Raises a ClientError for anything else."""
        headers = {"accept": "application/json"}
        if auth:
            headers["authorization"] = f"Bearer {self.session().token}"
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["content-type"] = "application/json"
        status, data = self._send(method, path, payload, headers)
        if status == 401 and auth:
            raise NotLoggedInError(
                f"the node refused the saved session ({_error_text(data)}): run "
                f"`hotline login --home {self.home}` again"
            )
        if status >= 400:
            raise _api_error(status, data)
        try:
            return msgspec.json.decode(data or b"null", type=answer)
        except DECODE_ERRORS as exc:
            raise ClientError(f"unexpected answer from {self.api}{path}: {exc}") from None

    def fetch(self, path: str) -> bytes:
        """A GET whose answer is a file (a transcript), returned as the exact bytes."""
        headers = {"authorization": f"Bearer {self.session().token}"}
        status, data = self._send("GET", path, None, headers)
        if status == 401:
            raise NotLoggedInError(
                f"the node refused the saved session ({_error_text(data)}): run "
                f"`hotline login --home {self.home}` again"
            )
        if status >= 400:
            raise _api_error(status, data)
        return data

    def _send(
        self, method: str, path: str, payload: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        host, port = _split(self.api)
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except ConnectionRefusedError:
            raise NodeNotRunningError(
                f"no node answers at {self.api}: start it with `hotline run --home {self.home}`"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise NodeNotRunningError(
                f"the node at {self.api} did not answer ({exc}); is `hotline run --home "
                f"{self.home}` running?"
            ) from None
        finally:
            conn.close()

    def wait(
        self, what: str | Callable[[], str], wait_s: float, attempt: Callable[[], T | None]
    ) -> T:
        """Retry `attempt` for up to `wait_s` seconds until it gives a value; then say `what`
        was missing."""
        end = time.monotonic() + wait_s
        while True:
            value = attempt()
            if value is not None:
                return value
            if time.monotonic() >= end:
                reason = what if isinstance(what, str) else what()
                raise ClientError(f"{reason} (waited {wait_s:g} s)")
            time.sleep(0.1)


def api_address(home: Path) -> str:
    """Where this home's node serves its API: node.run while it runs, else node.json."""
    run_file = home / RUN_FILE
    if run_file.exists():
        try:
            running = json.loads(run_file.read_text())
            if isinstance(running, dict) and isinstance(running.get("api"), str):
                return str(running["api"])
        except (ValueError, OSError):
            pass  # a torn file: fall back to the configured address
    return Home(home).config().api


def _split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ClientError(f"API address {address!r} is not host:port")
    return host.strip("[]"), int(port)


def _error_text(data: bytes) -> str:
    try:
        return msgspec.json.decode(data, type=_ErrorBody).error
    except DECODE_ERRORS:
        return data[:200].decode("utf-8", "replace") or "no reason given"


def _api_error(status: int, data: bytes) -> ApiError:
    try:
        error = msgspec.json.decode(data, type=_ErrorBody)
        return ApiError(status, error.error, list(error.problems))
    except DECODE_ERRORS:
        pass
    try:  # FastAPI's own validation answer: {"detail": [{"loc": [...], "msg": ...}]}
        detail = json.loads(data)["detail"]
        problems = [
            Problem(".".join(str(x) for x in d["loc"] if x != "body"), str(d["msg"]))
            for d in detail
        ]
        return ApiError(status, f"request refused: {problems[0]}", problems)
    except (ValueError, KeyError, TypeError, IndexError):
        return ApiError(status, f"HTTP {status}: {_error_text(data)}", [])
