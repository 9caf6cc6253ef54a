"""`hotline run` and `hotline relay`: serve a node (or a relay) until stopped.

On start they print one JSON line to stdout, ``{"event": "ready", "listen": ..., "api": ...}``,
with the addresses actually bound (so port 0 works in scripts and tests); logs go to stderr as
JSON lines. SIGTERM or Ctrl-C stops them cleanly. While a node runs, the same line (with its pid)
is in HOME/node.run, where the operator commands (`hotline login`, ...) find its API.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import socket
import sys
from pathlib import Path

import click
import uvicorn
from fastapi import FastAPI

from hotline.api import create_app
from hotline.cli.setup import HOME
from hotline.node.home import Home
from hotline.node.observability import configure_json_logs
from hotline.node.runtime import Node
from hotline.storage.keyfiles import read_passphrase_file

RUN_FILE = "node.run"

PASSPHRASE = click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="File holding the passphrase of the party keys, if they are sealed.",
)


@click.command("run")
@HOME
@click.option("--listen", help="host:port for peers (default from node.json).")
@click.option("--api", help="host:port for operators (default from node.json; loopback).")
@PASSPHRASE
def run(home: Path, listen: str | None, api: str | None, passphrase_file: Path | None) -> None:
    """Run this party's node: the link to peers and the operators' API and console."""
    configure_json_logs()
    passphrase = read_passphrase_file(passphrase_file) if passphrase_file else None
    asyncio.run(_serve(Home(home), listen, api, passphrase, relay=False))


@click.command("relay")
@HOME
@click.option("--listen", help="host:port for the parties (default from node.json).")
@PASSPHRASE
def relay(home: Path, listen: str | None, passphrase_file: Path | None) -> None:
    """Run a blind relay: store and forward sealed envelopes between the parties it knows."""
    configure_json_logs()
    passphrase = read_passphrase_file(passphrase_file) if passphrase_file else None
    asyncio.run(_serve(Home(home), listen, None, passphrase, relay=True))


async def _serve(
    home: Home, listen: str | None, api: str | None, passphrase: bytes | None, *, relay: bool
) -> None:
    node = Node(home, passphrase=passphrase)
    host, port = await node.start(listen, relay=relay)
    ready: dict[str, object] = {"event": "ready", "party": node.party, "listen": f"{host}:{port}"}
    server: uvicorn.Server | None = None
    sock: socket.socket | None = None
    app: FastAPI | None = None
    if not relay:
        app = create_app(
            party=node.party,
            operators=node.operators,
            clock_ms=node.clock_ms,
            metrics=node.metrics.registry,
            node=node,
        )
        api_host, api_port = (api or node.config.api).rsplit(":", 1)
        sock = socket.socket(socket.AF_INET6 if ":" in api_host.strip("[]") else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((api_host.strip("[]"), int(api_port)))
        # listening before "ready" is printed: a client that connects at once is queued until
        # uvicorn accepts, not refused
        sock.listen(2048)
        server = uvicorn.Server(
            uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
        )
        ready["api"] = "{}:{}".format(*sock.getsockname()[:2])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    failed = loop.create_task(node.failed.wait())
    failed.add_done_callback(lambda _: stop.set())  # a dead node task stops the node
    # Everything alive now (modules, the restored channels) lives as long as the process: keep
    # it out of the collector's full passes, which otherwise pause the loop for tens of ms.
    gc.freeze()
    print(json.dumps(ready), flush=True)
    run_file = home.path / RUN_FILE
    run_file.write_text(json.dumps({**ready, "pid": os.getpid()}) + "\n")
    try:
        if server is not None and sock is not None:
            serving = loop.create_task(server.serve(sockets=[sock]))
            await stop.wait()
            server.should_exit = True
            await serving
        else:
            await stop.wait()
    finally:
        run_file.unlink(missing_ok=True)
        if app is not None:
            await asyncio.to_thread(app.state.picture.close)  # its last writes, then the store
        failed.cancel()
        await node.stop()
        print(json.dumps({"event": "stopped", "party": node.party}), file=sys.stderr, flush=True)
    if node.failure is not None:
        raise click.ClickException(
            f"the node stopped after an internal failure ({node.failure}); start it again: it "
            "recovers everything from its store"
        )
