"""The protocol core does no I/O: importing it must not pull in asyncio, socket or sqlite3."""

import subprocess
import sys

FORBIDDEN = ("asyncio", "socket", "sqlite3", "selectors", "ssl")


def test_protocol_imports_no_io_modules() -> None:
    """Import hotline.protocol (and all its modules) in a fresh interpreter and list what loaded."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import hotline.protocol as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'hotline.protocol.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(sorted(n for n in {FORBIDDEN!r} if n in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"hotline.protocol imported I/O modules: {out}"
