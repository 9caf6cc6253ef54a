"""hotline.demo: one command that runs a whole exercise on one machine (docs/demo.md).

Two parties' nodes and a blind relay as real processes on loopback, each with its own store
under one folder, and a scenario played through the operator API as operators would.
"""

from hotline.demo.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario"]
