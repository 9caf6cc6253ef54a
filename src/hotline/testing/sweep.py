"""Run many simulations, one per seed, and report the seeds whose invariants broke.

    python -m hotline.testing.sweep 10000          # seeds 0..9999, about 30 ms each
    python -m hotline.testing.sweep 500 --start 7000 --messages 20

The number of parties cycles through 2, 3 and 4 with the seed, so one sweep covers every
channel size; each failure is printed with the one command that replays it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hotline.testing.network import FAULTS
from hotline.testing.sim import SimConfig, SimResult, run_simulation


def sweep_config(seed: int, messages: int, faults: frozenset[str]) -> SimConfig:
    return SimConfig(seed=seed, parties=2 + seed % 3, messages=messages, faults=faults)


def replay_command(result: SimResult) -> str:
    faults = "all" if set(result.faults) == set(FAULTS) else ",".join(result.faults) or "none"
    return (
        f"hotline sim --seed {result.seed} --parties {result.parties} "
        f"--messages {result.messages} --faults {faults}"
    )


@dataclass(slots=True)
class SweepResult:
    runs: int = 0
    failed: list[SimResult] = field(default_factory=list)
    wall_s: float = 0.0


def sweep(
    seeds: Iterable[int],
    *,
    messages: int = 6,
    faults: frozenset[str] = frozenset(FAULTS),
    on_failure: Callable[[SimResult], None] | None = None,
) -> SweepResult:
    """Run one simulation per seed; collect (and report as they come) the failures."""
    started = time.perf_counter()
    out = SweepResult()
    for seed in seeds:
        result = run_simulation(sweep_config(seed, messages, faults))
        out.runs += 1
        if result.broken:
            out.failed.append(result)
            if on_failure is not None:
                on_failure(result)
    out.wall_s = round(time.perf_counter() - started, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotline.testing.sweep", description=__doc__)
    parser.add_argument("count", type=int, help="how many seeds")
    parser.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--messages", type=int, default=6, help="notifications per run")
    args = parser.parse_args(argv)

    def report(result: SimResult) -> None:
        print(f"seed {result.seed}: {'; '.join(result.broken)}  ({replay_command(result)})")

    done = sweep(range(args.start, args.start + args.count), messages=args.messages,
                 on_failure=report)  # fmt: skip
    print(f"{done.runs} runs, {len(done.failed)} failed, {done.wall_s} s")
    return 1 if done.failed else 0


if __name__ == "__main__":
    sys.exit(main())
