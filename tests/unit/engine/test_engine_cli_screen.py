"""``hotline screen``: JSON for scripts, tables for people, one clear line for mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli.main import main
from hotline.cli.screen import command
from hotline.testing.data import shared_data

HEADER = "id,party,time,lon,lat,alt_ft,speed_kt,course_deg,vrate_fpm"
TRACKS = f"""{HEADER}
RU1,RU,2026-11-26T06:00:00Z,30.0,44.0,30000,450,90,0
UA1,UA,2026-11-26T06:00:00Z,31.0,44.0,30000,450,270,0
RU3,RU,2026-11-26T06:00:00Z,31.0,44.0,30000,450,270,0
RU2,RU,1795672800,31.4,44.9,3000,100,45,0
"""
VOLUMES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [31.5, 44.9]},
            "properties": {
                "id": "UA-0042",
                "party": "UA",
                "kind": "notified",
                "name": "Launch impact area",
                "radius_m": 46300.0,
                "alt_lower_ft": 0,
                "alt_upper_ft": 60000,
                "start": "2026-11-26T05:00:00Z",
                "end": "2026-11-26T09:00:00Z",
                "approximate": False,
            },
        },
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[31.0, 44.5], [32, 44.5], [32, 45.5], [31, 45.5], [31, 44.5]]],
            },
            "properties": {
                "id": "RU-7",
                "party": "RU",
                "kind": "notified",
                "name": "Exercise area",
                "alt_lower_ft": None,
                "alt_upper_ft": 20000,
                "start": None,
                "end": None,
            },
        },
    ],
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    tracks, volumes = tmp_path / "tracks.csv", tmp_path / "volumes.geojson"
    tracks.write_text(TRACKS)
    volumes.write_text(json.dumps(VOLUMES))
    return tracks, volumes


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_lists_conflicts_incursions_and_overlaps(files: tuple[Path, Path]) -> None:
    tracks, volumes = files
    code, out, _ = run("--tracks", str(tracks), "--volumes", str(volumes), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["screened_at"] == "2026-11-26T06:00:00Z"
    assert data["tracks"] == 4
    # RU1 and RU3 are of the same party; RU3 and UA1 are at the same place already.
    assert [(c["a"], c["b"]) for c in data["conflicts"]] == [("RU3", "UA1"), ("RU1", "UA1")]
    conflict = data["conflicts"][1]
    assert conflict["tcpa_s"] == pytest.approx(173.2, abs=0.5)
    assert conflict["dcpa_nm"] == pytest.approx(0.0, abs=0.01)
    assert conflict["dalt_ft"] == 0.0
    (incursion,) = data["incursions"]
    assert (incursion["track"], incursion["volume"], incursion["inside"]) == (
        "RU2",
        "UA-0042",
        True,
    )
    (overlap,) = data["overlaps"]
    assert (overlap["a"], overlap["b"]) == ("UA-0042", "RU-7")
    assert overlap["alt_upper_ft"] == 20000.0


def test_all_pairs_and_minima(files: tuple[Path, Path]) -> None:
    tracks, _ = files
    _, out, _ = run("--tracks", str(tracks), "--json", "--all-pairs")
    pairs = {(c["a"], c["b"]) for c in json.loads(out)["conflicts"]}
    assert pairs == {("RU1", "UA1"), ("RU1", "RU3"), ("RU3", "UA1")}
    _, out, _ = run("--tracks", str(tracks), "--json")
    assert {(c["a"], c["b"]) for c in json.loads(out)["conflicts"]} == {
        ("RU1", "UA1"),
        ("RU3", "UA1"),
    }
    _, out, _ = run("--tracks", str(tracks), "--json", "--lookahead-s", "100")
    # RU1-UA1 lose separation only after 153 s
    assert [(c["a"], c["b"]) for c in json.loads(out)["conflicts"]] == [("RU3", "UA1")]
    _, out, _ = run("--tracks", str(tracks), "--json", "--sep-ft", "100", "--all-pairs")
    assert {(c["a"], c["b"]) for c in json.loads(out)["conflicts"]} == pairs


def test_table_for_people(files: tuple[Path, Path]) -> None:
    tracks, volumes = files
    code, out, _ = run("--tracks", str(tracks), "--volumes", str(volumes))
    assert code == 0
    for words in (
        "2 close approaches",
        "Close approaches",
        "Incursions",
        "Overlapping",
        "RU1",
        "UA-0042",
        "Launch impact area",
    ):
        assert words in out


def test_screening_time_and_age(files: tuple[Path, Path]) -> None:
    tracks, _ = files
    _, out, _ = run("--tracks", str(tracks), "--json", "--at", "2026-11-26T06:02:00Z")
    data = json.loads(out)
    assert data["stale"] == 4
    assert data["conflicts"] == []
    _, out, _ = run(
        "--tracks", str(tracks), "--json", "--at", "2026-11-26T06:02:00Z", "--max-age-s", "200"
    )
    conflict = json.loads(out)["conflicts"][1]
    assert (conflict["a"], conflict["b"]) == ("RU1", "UA1")
    assert conflict["tcpa_s"] == pytest.approx(173.2 - 120.0, abs=0.5)


def test_bad_lines_are_warned_about_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nA,X,0,1,1,0,0,0,0\nB,X,zero,1,1,0,0,0,0\n")
    code, out, err = run("--tracks", str(path), "--json")
    assert code == 0
    assert "warning: 1 of 3 lines of t.csv skipped: t.csv line 3" in err
    assert json.loads(out)["feed_problems"]["first"][0]["line"] == 3


def test_the_real_ais_sample_with_party_rules(tmp_path: Path) -> None:
    rules = tmp_path / "parties.toml"
    rules.write_text('[parties.GR]\nmmsi_countries = ["GR"]\n')
    code, out, err = run(
        "--tracks",
        str(shared_data("ais_nmea_sample.txt")),
        "--json",
        "--parties",
        str(rules),
        "--at",
        "2026-11-26T06:00:00Z",
        "--format",
        "ais",
    )
    assert code == 0
    data = json.loads(out)
    assert data["tracks"] == 163
    assert data["feed_problems"]["count"] == 124
    assert "124 of 898 lines" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--tracks", "missing.csv"], "missing.csv: cannot be read"),
        (["--tracks", "{tracks}", "--volumes", "{tracks}"], "volume file: (json)"),
        (["--tracks", "{tracks}", "--sep-nm", "-1"], "must be a positive number"),
        (["--tracks", "{tracks}", "--at", "yesterday"], "neither ISO 8601"),
        (["--tracks", "{bad}", "--strict"], "line 2"),
        (["--tracks", "{tracks}", "--parties", "{tracks}"], "not valid TOML"),
    ],
)
def test_mistakes_are_one_clear_line(
    files: tuple[Path, Path],
    tmp_path: Path,
    args: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nA,X,never,1,1,0,0,0,0\n")
    argv = [a.format(tracks=files[0], bad=bad) for a in args]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["hotline", "screen", *argv])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code not in (0, None)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert words in err
    assert len(err.strip().splitlines()) <= 4


def test_the_installed_command_runs(files: tuple[Path, Path], tmp_path: Path) -> None:
    """``python -m hotline screen`` end to end, in a fresh interpreter."""
    src = str(Path(__file__).resolve().parents[3] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    ok = subprocess.run(
        [sys.executable, "-m", "hotline", "screen", "--tracks", str(files[0]), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["conflicts"]) == 2
    bad = subprocess.run(
        [sys.executable, "-m", "hotline", "screen", "--tracks", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: ")
    assert "Traceback" not in bad.stderr
