"""A TCP proxy that injects faults between two nodes, for integration tests.

It forwards bytes between a listening port and an upstream address and can, while running:

- ``delay_s``: hold every chunk this long before forwarding it (each direction);
- ``drop()``: close every open connection now (a reset link);
- ``cut_after(n)``: forward n more bytes on each new connection, then cut it mid-stream;
- ``blackhole = True``: accept and read, forward nothing, answer nothing (a dead route);
- ``refuse = True``: close new connections at once (a peer that is down);
- ``flap(period_s)``: alternate refuse on/off every period (an unstable bearer).

Works on raw TCP, so TLS passes through it untouched: the nodes' end-to-end pinning still holds.
Only for loopback addresses in tests.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class FaultProxy:
    upstream_host: str
    upstream_port: int
    delay_s: float = 0.0
    blackhole: bool = False
    refuse: bool = False
    connections: int = 0
    bytes_forwarded: int = 0
    _cut_after: int | None = None
    _server: asyncio.Server | None = None
    _streams: set[asyncio.StreamWriter] = field(default_factory=set)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _flapper: asyncio.Task[None] | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._server = await asyncio.start_server(self._accept, host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._flapper:
            self._flapper.cancel()
        self.drop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    def drop(self) -> None:
        """Close every open connection, both sides, now."""
        for writer in list(self._streams):
            writer.transport.abort()
        self._streams.clear()

    def cut_after(self, n: int | None) -> None:
        """New connections forward n bytes (per direction) and are then cut; None to stop."""
        self._cut_after = n

    def heal(self) -> None:
        """Back to a clean link."""
        self.delay_s, self.blackhole, self.refuse, self._cut_after = 0.0, False, False, None
        if self._flapper:
            self._flapper.cancel()
            self._flapper = None

    def flap(self, period_s: float) -> None:
        async def run() -> None:
            while True:
                await asyncio.sleep(period_s)
                self.refuse = not self.refuse
                if self.refuse:
                    self.drop()

        self._flapper = asyncio.get_running_loop().create_task(run())

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            if self.refuse:
                writer.transport.abort()
                return
            self._streams.add(writer)
            if self.blackhole:
                while await reader.read(65536):
                    pass
                return
            up_reader, up_writer = await asyncio.open_connection(
                self.upstream_host, self.upstream_port
            )
            self._streams.add(up_writer)
            budget = self._cut_after
            await asyncio.gather(
                self._pipe(reader, up_writer, budget), self._pipe(up_reader, writer, budget)
            )
        except (ConnectionError, OSError):
            pass
        finally:
            self._tasks.discard(task)
            self._streams.discard(writer)
            writer.transport.abort()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, budget: int | None
    ) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data or self.blackhole:
                    break
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                if budget is not None:
                    data = data[:budget]
                    budget -= len(data)
                writer.write(data)
                await writer.drain()
                self.bytes_forwarded += len(data)
                if budget == 0:
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.transport.abort()
