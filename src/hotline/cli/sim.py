"""``hotline sim``: run the deterministic channel simulation (one seed, or a sweep of seeds)."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from hotline.testing.network import FAULTS
from hotline.testing.sim import SimConfig, SimResult, run_simulation
from hotline.testing.sweep import replay_command, sweep


def parse_faults(text: str) -> frozenset[str]:
    """``all``, ``none`` or a comma-separated list of fault names."""
    if text == "all":
        return frozenset(FAULTS)
    if text == "none":
        return frozenset()
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FAULTS]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown fault(s) {', '.join(unknown) or repr(text)}; use all, none or a list of: "
            + ",".join(FAULTS),
            param_hint="--faults",
        )
    return frozenset(names)


ROWS = (
    ("seed", "seed"),
    ("parties", "parties"),
    ("notifications sent", "sent"),
    ("deliveries expected", "expected"),
    ("delivered", "delivered"),
    ("lost", "lost"),
    ("duplicated", "duplicated"),
    ("chains consistent", "chains_consistent"),
    ("equivocations injected", "equivocations_injected"),
    ("equivocations detected", "equivocations_detected"),
    ("envelopes (chained)", "envelopes"),
    ("resends", "resends"),
    ("crashes", "crashes"),
    ("network: messages", "network_messages"),
    ("network: dropped", "network_dropped"),
    ("network: duplicated", "network_duplicated"),
    ("network: delayed", "network_delayed"),
    ("partitions", "partitions"),
    ("clock skew injected, max ms", "skew_injected_max_ms"),
    ("clock skew measured, max ms", "skew_measured_max_ms"),
    ("clock skew error, max ms", "skew_error_max_ms"),
    ("simulated seconds", "simulated_s"),
    ("wall ms", "wall_ms"),
    ("invariants", "ok"),
)


def print_table(result: SimResult) -> None:
    faults = "all" if set(result.faults) == set(FAULTS) else ", ".join(result.faults) or "none"
    table = Table(title="hotline sim", caption=f"faults: {faults}")
    table.add_column("")
    table.add_column("value", justify="right")
    for label, name in ROWS:
        table.add_row(label, str(getattr(result, name)))
    Console().print(table)


FAULTS_HELP = f"all, none, or a comma-separated list of: {','.join(FAULTS)}."
SWEEP_HELP = "Run this many seeds from --seed (parties cycle 2-4) and list failures."


@click.command("sim")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed (first of a sweep).")
@click.option("--parties", type=click.IntRange(2, 4), default=3, show_default=True)
@click.option(
    "--messages", type=click.IntRange(0, 100_000), default=20, show_default=True,
    help="Notifications the operators send.",
)  # fmt: skip
@click.option("--faults", default="all", show_default=True, help=FAULTS_HELP)
@click.option("--sweep", "count", type=click.IntRange(1), default=None, help=SWEEP_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def sim(
    seed: int, parties: int, messages: int, faults: str, count: int | None, as_json: bool
) -> int:
    """Simulate a channel between parties over a faulty network and check its invariants.

    Same seed, same result. Exits 1 if an invariant broke (loss, duplication, diverging
    chains, an unreported equivocation, ...), naming which.
    """
    chosen = parse_faults(faults)
    if count is not None:
        return run_sweep(seed, count, messages, chosen, as_json)
    result = run_simulation(SimConfig(seed=seed, parties=parties, messages=messages, faults=chosen))
    if as_json:
        click.echo(json.dumps(result.to_json(), sort_keys=True))
    else:
        print_table(result)
    if result.broken:
        click.echo(f"error: invariant broken (seed {seed}): {'; '.join(result.broken)}", err=True)
        return 1
    return 0


def run_sweep(start: int, count: int, messages: int, faults: frozenset[str], as_json: bool) -> int:
    def report(result: SimResult) -> None:
        if not as_json:
            click.echo(
                f"seed {result.seed}: {'; '.join(result.broken)}  ({replay_command(result)})"
            )

    done = sweep(range(start, start + count), messages=messages, faults=faults, on_failure=report)
    if as_json:
        failed = [
            {"seed": r.seed, "broken": r.broken, "replay": replay_command(r)} for r in done.failed
        ]
        summary = {"runs": done.runs, "failed": failed, "wall_s": done.wall_s}
        click.echo(json.dumps(summary, sort_keys=True))
    else:
        click.echo(f"{done.runs} runs, {len(done.failed)} failed, {done.wall_s} s")
    if done.failed:
        click.echo(f"error: {len(done.failed)} of {done.runs} seeds broke an invariant", err=True)
        return 1
    return 0
