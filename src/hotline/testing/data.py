"""Where tests and benchmarks find the project's real recorded data (../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def shared_data(name: str) -> Path:
    """A file of the real recorded data beside the repository; a clear failure if absent."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.fail(
            f"real data file {name} is missing: put the shared data folder beside the repository "
            f"(expected {path.resolve()}; see shared/data/README.md)"
        )
    return path
