"""The benchmark against BlueSky (bench/engine_vs_bluesky.py) is not run by the tests; its
traffic, its pair sets and its referee are: a smoke test that what it reports can be trusted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import engine_vs_bluesky as bench
from hotline.engine.cpa import AIRCRAFT_MINIMA, brute_force_conflicts
from hotline.engine.synthetic import random_traffic, square_around
from hotline.engine.tracks import TrackColumns


@pytest.fixture(scope="module")
def traffic() -> TrackColumns:
    return random_traffic(400, square_around(8.0, 47.0, 150.0), seed=11)


def test_hotline_pairs_are_the_brute_force_pairs(traffic: TrackColumns) -> None:
    kin = traffic.kinematics(float(traffic.time_s[0]))
    expected = brute_force_conflicts(kin, AIRCRAFT_MINIMA)
    ids = traffic.ids[kin.rows]
    assert bench.hotline_pairs(traffic) == {
        bench._pair(str(ids[a]), str(ids[b])) for a, b in zip(expected.a, expected.b, strict=True)
    }
    assert len(expected) > 20


def test_the_referee_settles_differences(traffic: TrackColumns) -> None:
    ours = bench.hotline_pairs(traffic)
    assert bench.compare_pairs(traffic, ours, set(ours)).identical
    real = sorted(ours)[0]
    ids = [str(i) for i in traffic.ids]
    bogus = next(
        bench._pair(ids[0], other) for other in ids[1:] if bench._pair(ids[0], other) not in ours
    )
    # "They" missed a real conflict and reported a bogus one: the referee sides with us twice.
    result = bench.compare_pairs(traffic, ours, (ours - {real}) | {bogus})
    assert (result.only_hotline, result.only_bluesky) == (1, 1)
    assert result.referee_sides_with_hotline + result.knife_edge == 2
    assert result.referee_sides_with_bluesky == 0
    assert "referee: hotline right" in result.describe()
    row = {i: k for k, i in enumerate(ids)}
    assert bench.referee_margin(traffic, row[real[0]], row[real[1]], AIRCRAFT_MINIMA) < 0
