"""The simulation: deterministic per seed, faults that bite, and invariant checks that catch."""

import json
import subprocess
import sys

from hotline.protocol.events import Role
from hotline.testing.sim import SimConfig, Simulation, run_simulation


def without_wall_time(result: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in result.items() if k != "wall_ms"}


def test_same_seed_same_result() -> None:
    first = run_simulation(SimConfig(seed=11, parties=3, messages=8)).to_json()
    again = run_simulation(SimConfig(seed=11, parties=3, messages=8)).to_json()
    assert without_wall_time(first) == without_wall_time(again)


def test_different_seeds_different_runs() -> None:
    runs = [run_simulation(SimConfig(seed=s, parties=3, messages=8)) for s in range(4)]
    assert len({(r.network_messages, r.simulated_s) for r in runs}) > 1


def test_without_faults_nothing_is_resent_and_everything_arrives() -> None:
    result = run_simulation(SimConfig(seed=5, parties=4, messages=10, faults=frozenset()))
    assert result.ok, result.broken
    assert (result.sent, result.lost, result.duplicated, result.resends) == (10, 0, 0, 0)
    assert result.delivered == result.expected > 0
    assert result.network_dropped == result.crashes == 0


def test_all_faults_bite_and_the_invariants_still_hold() -> None:
    results = [run_simulation(SimConfig(seed=s, parties=3, messages=12)) for s in range(6)]
    assert all(r.ok for r in results), [(r.seed, r.broken) for r in results if not r.ok]
    assert sum(r.network_dropped for r in results) > 0
    assert sum(r.network_duplicated for r in results) > 0
    assert sum(r.crashes for r in results) > 0
    assert sum(r.resends for r in results) > 0
    assert sum(r.equivocations_injected for r in results) > 0
    assert sum(r.equivocations_detected for r in results) > 0
    assert any(r.skew_injected_max_ms > 0 for r in results)


def test_the_checker_catches_a_lost_delivery() -> None:
    """Remove one stored notification behind the channel's back: the run must fail."""

    class Forgetful(Simulation):
        def _check(self) -> None:
            driver = self.nodes["UA"].driver
            stored = enumerate(zip(driver.store, driver.roles, strict=True))
            i = max(i for i, (raw, role) in stored if role is Role.PEER and b"notification" in raw)
            del driver.store[i], driver.roles[i]
            driver.events = [e for e in driver.events if type(e).__name__ != "NotificationReceived"]
            super()._check()

    result = Forgetful(SimConfig(seed=2, parties=2, messages=6, faults=frozenset())).run()
    assert result.lost > 0
    assert any("lost" in b for b in result.broken)


def test_the_checker_catches_diverging_chains() -> None:
    class Diverging(Simulation):
        def _check(self) -> None:
            self.nodes["UA"].driver.channel.chains["RU"].ids[1] = b"\x00" * 32
            super()._check()

    result = Diverging(SimConfig(seed=3, parties=2, messages=4, faults=frozenset())).run()
    assert not result.chains_consistent
    assert "honest parties hold different chains for an honest sender" in result.broken


SUMMARY_KEYS = (
    "seed", "parties", "sent", "delivered", "lost", "duplicated", "resends", "crashes",
    "equivocations_injected", "equivocations_detected", "chains_consistent",
    "skew_injected_max_ms", "skew_measured_max_ms", "simulated_s", "wall_ms",
)  # fmt: skip


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline", "sim", *args], capture_output=True, text=True, check=False
    )


def test_cli_json_is_the_run_and_replays() -> None:
    out = run_cli("--seed", "7", "--parties", "2", "--messages", "5", "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    expected = run_simulation(SimConfig(seed=7, parties=2, messages=5)).to_json()
    assert without_wall_time(summary) == without_wall_time(expected)
    assert set(SUMMARY_KEYS) <= set(summary)


def test_cli_table_and_one_line_errors() -> None:
    table = run_cli("--seed", "1", "--parties", "2", "--messages", "2", "--faults", "none")
    assert table.returncode == 0
    assert "chains consistent" in table.stdout
    bad = run_cli("--faults", "drop,meteor")
    assert bad.returncode == 2
    assert "unknown fault(s) meteor" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cli_sweep_lists_failures_and_summary() -> None:
    out = run_cli("--sweep", "3", "--seed", "40", "--messages", "3", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["runs"] == 3


def test_every_injected_equivocation_is_detected_by_its_witnesses() -> None:
    only = frozenset({"equivocate"})
    results = [
        run_simulation(SimConfig(seed=s, parties=3, messages=6, faults=only)) for s in range(8)
    ]
    assert all(r.ok for r in results)
    assert sum(r.equivocations_injected for r in results) == 8
    assert sum(r.equivocations_detected for r in results) == 8
    assert sum(r.equivocation_witnesses for r in results) >= 8


def test_the_checker_catches_an_unreported_equivocation() -> None:
    class Deaf(Simulation):
        def _check(self) -> None:
            self._detected_by.clear()  # as if no honest party had raised the alarm
            super()._check()

    config = SimConfig(seed=3, parties=3, messages=6, faults=frozenset({"equivocate"}))
    result = Deaf(config).run()
    assert result.equivocation_witnesses > 0
    assert result.equivocation_missed == result.equivocation_witnesses
    assert any("saw both envelopes" in b for b in result.broken)
