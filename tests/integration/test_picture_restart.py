"""Real node processes: a notified area reaches both engines (sent and received), a track of the
other party entering it raises an incursion alert marked as the notification was, and the
picture (tracks, alerts, volumes) survives a clean restart and a kill -9."""

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hotline.testing.processes import NodeProcess, running_pair, wait_for


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess]]:
    with running_pair(tmp_path) as pair:
        yield pair


def iso(t_s: float) -> str:
    return datetime.fromtimestamp(t_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def flight_notice(now_s: float) -> dict[str, object]:
    return {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "RECONNAISSANCE",
        "aircraft": [
            {"callsigns": ["OLIVE11"], "count": 1, "icao24": [], "type_designator": "RC-135W"}
        ],
        "altitude": {"lower": {"fl": 290}, "upper": {"fl": 330}},
        "area": {"type": "Circle", "center": [31.5, 43.3], "radius_km": 30},
        "window": {"start": iso(now_s - 60), "end": iso(now_s + 4 * 3600)},
    }


def fighter(track_id: str) -> list[dict[str, object]]:
    return [
        {"id": track_id, "party": "RU", "time_s": time.time(), "lon": 31.5, "lat": 43.3,
         "alt_ft": 31_000, "speed_kt": 300, "course_deg": 0, "callsign": "FALCON21"}
    ]  # fmt: skip


def incursion(node: NodeProcess, track_id: str) -> dict[str, Any] | None:
    """Push the track (volumes reach the engine within a keeper tick) and return its
    incursion alert once there is one."""
    node.call("POST", "/api/v1/tracks", json=fighter(track_id))
    for found in node.call("GET", "/api/v1/alerts"):
        evidence = found.get("incursion")
        if evidence and evidence["track"]["id"] == track_id:
            return dict(found)
    return None


def stored_track_ids(node: NodeProcess) -> set[str]:
    with sqlite3.connect(f"file:{node.home / 'store.db'}?mode=ro", uri=True) as db:
        return {row[0] for row in db.execute("SELECT id FROM picture_tracks")}


def test_notified_areas_raise_incursions_on_both_nodes_and_survive_restarts(nodes) -> None:
    us, ru = nodes
    cid = us.call("POST", "/api/v1/channels", json={"name": "Black Sea", "parties": ["RU"]})["id"]
    wait_for(
        lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")), 30, "proposal"
    )
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], 30, "channel open")
    sent = us.call("POST", f"/api/v1/channels/{cid}/messages",
                   json={"body": flight_notice(time.time()), "prec": "ROUTINE",
                         "mark": "EXERCISE"})  # fmt: skip
    volume = f"US-{sent['seq']:04d}@{cid[:8]}"

    # The sender's engine and the receiver's both screen the notified area.
    on_us = wait_for(lambda: incursion(us, "RU-1"), 30, "an incursion alert on the US node")
    on_ru = wait_for(lambda: incursion(ru, "RU-1"), 30, "an incursion alert on the RU node")
    for found in (on_us, on_ru):
        assert found["alert"]["kind"] == "incursion"
        assert found["alert"]["mark"] == "EXERCISE"  # exercise traffic stays exercise
        assert found["incursion"]["volume"]["properties"]["id"] == volume
        assert found["incursion"]["volume"]["properties"]["party"] == "US"
        assert found["incursion"]["inside"] is True
        assert volume in found["alert"]["text"]
    drawn = us.call("GET", "/api/v1/map")
    assert [a["id"] for a in drawn["alerts"]] == [on_us["alert"]["id"]]

    # A clean restart: tracks, the alert (same id, same evidence) and the volumes come back.
    us.stop()
    us.start()
    alerts = wait_for(lambda: us.call("GET", "/api/v1/alerts"), 30, "the picture to load")
    assert [a["alert"]["id"] for a in alerts] == [on_us["alert"]["id"]]
    assert alerts[0]["incursion"]["volume"]["properties"]["id"] == volume
    assert alerts[0]["alert"]["mark"] == "EXERCISE"  # the volumes were read back from the store
    assert {t["id"] for t in us.call("GET", "/api/v1/map")["tracks"]} == {"RU-1"}
    again = incursion(us, "RU-1")
    assert again is not None
    assert again["alert"]["id"] == on_us["alert"]["id"]  # continued, not raised anew

    # kill -9 once the keeper has written a new track: it is there after the restart.
    second = wait_for(lambda: incursion(us, "RU-2"), 30, "an incursion of a second track")
    wait_for(lambda: "RU-2" in stored_track_ids(us), 30, "the keeper to write RU-2")
    us.kill()
    us.start()
    alerts = wait_for(lambda: us.call("GET", "/api/v1/alerts"), 30, "the picture to load")
    assert {a["alert"]["id"] for a in alerts} == {on_us["alert"]["id"], second["alert"]["id"]}
    assert {t["id"] for t in us.call("GET", "/api/v1/map")["tracks"]} == {"RU-1", "RU-2"}
