"""hotline.testing: helpers shipped for tests, the simulation and benchmarks.

- ``FakeClock``: ms that move only when told.
- ``Driver``: what a node must do for one Channel (store, confirm, keep events), with a list as
  its store and crash-and-restore; ``Pipe``: channels joined in memory, for dialogue tests.
- ``sample_party``, ``sample_configs``, ``placeholder_card``: deterministic members and charters.
- ``SimConfig``, ``run_simulation``, ``SimResult``: the deterministic simulation (many seeds:
  ``hotline.testing.sweep``, also runnable as ``python -m hotline.testing.sweep N``).
- ``snapshot``: a channel's whole state as plain values, for "nothing changed" assertions.

Other helpers live in their own modules; import them by full path.
"""

from hotline.testing.clock import FakeClock
from hotline.testing.driver import Driver
from hotline.testing.network import FAULTS, SimNetwork
from hotline.testing.parties import (
    T0_MS,
    SampleParty,
    placeholder_card,
    sample_charter,
    sample_configs,
    sample_party,
)
from hotline.testing.pipe import Pipe, PipeDriver
from hotline.testing.sim import SimConfig, SimResult, Simulation, SimulationError, run_simulation
from hotline.testing.snapshot import snapshot

__all__ = [
    "FAULTS",
    "T0_MS",
    "Driver",
    "FakeClock",
    "Pipe",
    "PipeDriver",
    "SampleParty",
    "SimConfig",
    "SimNetwork",
    "SimResult",
    "Simulation",
    "SimulationError",
    "placeholder_card",
    "run_simulation",
    "sample_charter",
    "sample_configs",
    "sample_party",
    "snapshot",
]
