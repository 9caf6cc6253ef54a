"""The sweep: 1,000 seeds of the full fault mix, zero loss, zero duplicates, every invariant.

Split in chunks so pytest-xdist spreads them over the cores. A failing seed is printed with the
command that replays it (``hotline sim --seed N --parties K --messages M``); a longer sweep runs
with ``hotline sim --sweep 10000`` or ``python -m hotline.testing.sweep 10000``.
"""

import pytest

from hotline.testing.sweep import replay_command, sweep

SEEDS = 1_000
CHUNK = 100
MESSAGES = 6


@pytest.mark.parametrize("first", range(0, SEEDS, CHUNK))
def test_sweep_chunk_has_no_broken_invariant(first: int) -> None:
    done = sweep(range(first, first + CHUNK), messages=MESSAGES)
    failures = [f"{replay_command(r)}: {'; '.join(r.broken)}" for r in done.failed]
    print(f"seeds {first}..{first + CHUNK - 1}: {done.runs} runs in {done.wall_s} s")
    assert done.runs == CHUNK
    assert failures == [], "\n".join(failures)
