"""Where the tests of the feeds find the project's real recorded data."""

from __future__ import annotations

from pathlib import Path

import pytest


def shared_data(name: str) -> Path:
    """A file of the real recorded data (../shared/data beside the repository)."""
    path = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / name
    if not path.is_file():
        pytest.fail(
            f"real data file {name} is missing: put the shared data folder beside the repository "
            f"(expected {path.resolve()}; see shared/data/README.md)"
        )
    return path
