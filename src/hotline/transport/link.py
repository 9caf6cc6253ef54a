"""The HTTP/1.1 link between nodes, on asyncio streams with h11 (both ends).

The listener answers `POST /v1/batch` (a signed batch in, a signed batch of immediate answers
out) and `GET /v1/health`. Everything that arrives is hostile until verified, so the server:

- bounds the request head (16 KiB) and body (the declared Content-Length, checked before reading
  it), and refuses chunked uploads;
- gives each request a deadline from its first byte (a client dribbling bytes, slow-loris
  style, is cut off when it passes) and idle connections a timeout;
- caps concurrent connections;
- turns any error into a status and a one-line JSON reason, and never lets one connection's
  failure reach another or the node.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import h11

from hotline.errors import HotlineError, RemoteProtocolError
from hotline.transport.tls import peer_key

log = logging.getLogger("hotline.transport")

MAX_HEAD_BYTES = 16 * 1024
DEFAULT_MAX_BODY = 16 * 1024 * 1024
READ_CHUNK = 64 * 1024
CLOSE_TIMEOUT_S = 5.0

# Timeouts use `asyncio.timeout`, never `asyncio.wait_for`: on Python 3.11, wait_for can swallow
# a cancellation that lands as its inner read completes (cpython#86296, fixed in 3.12), and a
# connection task that survives `close()` kept a stopping node waiting for the idle timeout.


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/octet-stream"


def error_reply(status: int, message: str) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode(), "application/json")


# (method, path, body, peer's TLS key or None) -> reply
Handler = Callable[[str, str, bytes, bytes | None], Awaitable[Reply]]


class LinkServer:
    """Listens for peers. `handler` sees only complete, size-checked requests."""

    def __init__(
        self,
        handler: Handler,
        *,
        ssl_context: ssl.SSLContext | None,
        max_body: int = DEFAULT_MAX_BODY,
        request_timeout_s: float = 10.0,
        idle_timeout_s: float = 60.0,
        max_connections: int = 128,
    ) -> None:
        self._handler = handler
        self._ssl = ssl_context
        self._max_body = max_body
        self._request_timeout_s = request_timeout_s
        self._idle_timeout_s = idle_timeout_s
        self._slots = asyncio.Semaphore(max_connections)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await asyncio.start_server(
            self._accept, host, port, ssl=self._ssl, ssl_handshake_timeout=self._request_timeout_s
        )
        address = self._server.sockets[0].getsockname()
        return str(address[0]), int(address[1])

    async def close(self) -> None:
        """Stop listening and end every connection; bounded, whatever the peers do."""
        if self._server is not None:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:  # each aborts its connection if the peer lingers (`_closed`)
                await asyncio.wait(list(self._tasks), timeout=2 * CLOSE_TIMEOUT_S)
            # A TLS connection can wait on a peer's close_notify: don't wait for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT_S):
                    await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if self._slots.locked():
                log.warning("link: connection refused, %s at capacity", "listener")
                return
            async with self._slots:
                await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError) as exc:
            log.info("link: connection ended: %s", exc)
        except asyncio.CancelledError:
            # Only `close()` cancels a connection: end quietly (asyncio's stream callback would
            # log a cancelled connection task as an error).
            log.debug("link: connection closed by the listener's shutdown")
        except Exception:  # a bug must not take the listener down
            log.exception("link: unexpected error on a connection")
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(asyncio.CancelledError):
                await _closed(writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        key = peer_key(writer.get_extra_info("ssl_object"))
        while True:
            try:
                request, body = await self._read_request(conn, reader)
            except TimeoutError:
                return  # idle keep-alive connection, no byte of a request: close quietly
            except _RefusedError as refuse:
                await _send(conn, writer, refuse.reply)
                return
            if request is None:
                return  # the peer closed the connection
            method, path = request.method.decode(), request.target.decode("ascii", "replace")
            try:
                reply = await self._handler(method, path, body, key)
            except RemoteProtocolError as exc:
                reply = error_reply(400, str(exc))
            except HotlineError as exc:
                log.warning("link: request refused: %s", exc)
                reply = error_reply(503, str(exc))
            await _send(conn, writer, reply)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _read_request(
        self, conn: h11.Connection, reader: asyncio.StreamReader
    ) -> tuple[h11.Request | None, bytes]:
        request: h11.Request | None = None
        chunks: list[bytes] = []
        received = 0
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                raise _RefusedError(
                    error_reply(exc.error_status_hint, f"bad HTTP: {exc}")
                ) from None
            if event is h11.NEED_DATA:
                timeout = (
                    self._idle_timeout_s if deadline is None else max(deadline - loop.time(), 0.0)
                )
                try:
                    async with asyncio.timeout(timeout):
                        data = await reader.read(READ_CHUNK)
                except TimeoutError:
                    if deadline is None:
                        raise
                    # started but not finished in time (slow-loris): say so, then close; the
                    # head may still be incomplete, so h11's own state cannot tell this apart
                    raise _RefusedError(error_reply(408, "request not completed in time")) from None
                if deadline is None:
                    deadline = loop.time() + self._request_timeout_s
                conn.receive_data(data)
                if not data and conn.their_state is h11.IDLE:
                    return None, b""
                continue
            if isinstance(event, h11.Request):
                request = event
                self._check_head(event)
            elif isinstance(event, h11.Data):
                received += len(event.data)
                if received > self._max_body:
                    raise _RefusedError(
                        error_reply(413, "body larger than its Content-Length limit")
                    )
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return request, b"".join(chunks)
            elif isinstance(event, h11.ConnectionClosed):
                return None, b""

    def _check_head(self, request: h11.Request) -> None:
        # h11 bounds only an *incomplete* head; one that arrives whole in a read is bounded here
        size = len(request.target) + sum(len(n) + len(v) + 4 for n, v in request.headers)
        if size > MAX_HEAD_BYTES:
            raise _RefusedError(error_reply(431, f"request head exceeds {MAX_HEAD_BYTES} bytes"))
        headers = {name.lower(): value for name, value in request.headers}
        if b"transfer-encoding" in headers:
            raise _RefusedError(
                error_reply(411, "chunked bodies are not accepted; send Content-Length")
            )
        length = headers.get(b"content-length", b"0")
        if int(length) > self._max_body:
            raise _RefusedError(
                error_reply(413, f"body of {int(length)} bytes exceeds limit {self._max_body}")
            )


async def _closed(writer: asyncio.StreamWriter) -> None:
    """Wait (briefly) for a closing connection to finish; abort it if the peer lingers."""
    try:
        async with asyncio.timeout(CLOSE_TIMEOUT_S):
            await writer.wait_closed()
    except Exception:  # timed out, or the connection broke while closing
        writer.transport.abort()
    except asyncio.CancelledError:
        writer.transport.abort()
        raise


class _RefusedError(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


async def _send(conn: h11.Connection, writer: asyncio.StreamWriter, reply: Reply) -> None:
    if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
        return
    headers = [
        ("content-type", reply.content_type),
        ("content-length", str(len(reply.body))),
    ]
    if reply.status >= 400:
        headers.append(("connection", "close"))
    out = conn.send(h11.Response(status_code=reply.status, headers=headers))
    out += conn.send(h11.Data(data=reply.body)) or b""
    out += conn.send(h11.EndOfMessage()) or b""
    writer.write(out or b"")
    await writer.drain()


class LinkClient:
    """One keep-alive connection to one peer's listener; reconnects after any failure."""

    def __init__(
        self,
        host: str,
        port: int,
        ssl_context: ssl.SSLContext | None,
        *,
        timeout_s: float = 10.0,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.host, self.port = host, port
        self._ssl = ssl_context
        self._timeout_s = timeout_s
        self._max_body = max_body
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._conn: h11.Connection | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """Send one request and return (status, body). Raises OSError/TimeoutError on failure."""
        try:
            async with asyncio.timeout(self._timeout_s):
                return await self._request(method, path, body)
        except BaseException:
            await self.close()
            raise

    async def _request(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if self._streams is None or self._conn is None:
            self._streams = await asyncio.open_connection(self.host, self.port, ssl=self._ssl)
            self._conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        reader, writer = self._streams
        conn = self._conn
        headers = [
            ("host", f"{self.host}:{self.port}"),
            ("content-length", str(len(body))),
            ("content-type", "application/octet-stream"),
        ]
        out = conn.send(h11.Request(method=method, target=path, headers=headers)) or b""
        out += conn.send(h11.Data(data=body)) or b""
        out += conn.send(h11.EndOfMessage()) or b""
        writer.write(out)
        await writer.drain()
        status, chunks, received = 0, [], 0
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(READ_CHUNK)
                if not data:
                    raise ConnectionResetError("peer closed the connection mid-response")
                conn.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                received += len(event.data)
                if received > self._max_body:
                    raise ConnectionResetError("response larger than the limit")
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("peer closed the connection")
        if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
            conn.start_next_cycle()
        else:
            await self.close()
        return status, b"".join(chunks)

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams, self._conn = None, None
            writer.close()
            await _closed(writer)
