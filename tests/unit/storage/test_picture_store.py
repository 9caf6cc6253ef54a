"""The picture in a real SQLite store: tracks and alerts round-trip, and a picture reopened on
the same store continues where it was (same alerts, not raised again)."""

import json
from pathlib import Path

from hotline.engine import AlertStatus, Domain, TrackState
from hotline.node.picture import Picture
from hotline.storage.picture_store import PictureStore
from hotline.storage.sqlite import open_sqlite_store

T0 = 1_795_000_000.0


def head_on(t_s: float) -> list[TrackState]:
    return [
        TrackState("US-1", "US", t_s, 31.0, 43.3, 31_000, 420, 90, callsign="OLIVE11"),
        TrackState("RU-1", "RU", t_s, 31.5, 43.3, 31_400, 480, 270, domain=Domain.AIR),
    ]


def test_tracks_keep_their_latest_state_and_every_field(tmp_path: Path) -> None:
    store = open_sqlite_store(tmp_path / "node.sqlite")
    pictures = PictureStore(store.engine)
    ship = TrackState("RU-S", "RU", T0, 33.1, 44.6, 0, 12.5, 210, 0, Domain.SEA, "MOSKVA", "ais")
    pictures.save_tracks([*head_on(T0), ship])
    pictures.save_tracks(head_on(T0 + 5))  # an upsert: one row per track, the newest
    assert sorted(pictures.tracks(), key=lambda s: s.id) == sorted(
        [*head_on(T0 + 5), ship], key=lambda s: s.id
    )
    store.close()


def test_alerts_round_trip_with_status_and_evidence(tmp_path: Path) -> None:
    store = open_sqlite_store(tmp_path / "node.sqlite")
    pictures = PictureStore(store.engine)
    picture = Picture()
    [raised] = picture.push(head_on(T0))
    cleared = raised.alert.model_copy(
        update={"status": AlertStatus.CLEARED, "cleared_at": raised.alert.last_seen}
    )
    pictures.save_alerts([raised.alert])
    assert pictures.alerts() == [raised.alert]
    assert pictures.alerts(active_only=True) == [raised.alert]
    pictures.save_alerts([cleared])  # the same alert, now cleared: one row, its new status
    assert pictures.alerts() == [cleared]
    assert pictures.alerts(active_only=True) == []
    kept = json.loads(pictures.alerts()[0].model_dump_json())
    assert kept["evidence"]["kind"] == "close_approach"
    assert kept["evidence"]["a"]["id"] in ("US-1", "RU-1")
    store.close()


def test_a_reopened_picture_continues_its_tracks_and_alerts(tmp_path: Path) -> None:
    store = open_sqlite_store(tmp_path / "node.sqlite")
    first = Picture(store=PictureStore(store.engine))
    first.load()
    [raised] = first.push(head_on(T0))
    assert first.flush() == (2, 1)
    assert first.flush() == (0, 0)  # nothing changed since
    store.close()

    store = open_sqlite_store(tmp_path / "node.sqlite")
    second = Picture(store=PictureStore(store.engine))
    second.load()
    assert second.now_s == T0
    assert {t.id for t in second.tracks()} == {"US-1", "RU-1"}
    assert [a.id for a in second.alerts()] == [raised.alert.id]
    # The situation goes on: the same alert continues, nothing is raised again.
    events = second.push(head_on(T0 + 5))
    assert [e for e in events if e.change == "raised"] == []
    assert [a.id for a in second.alerts()] == [raised.alert.id]
    store.close()


def test_a_restored_alert_whose_situation_is_gone_clears_and_is_kept_cleared(
    tmp_path: Path,
) -> None:
    store = open_sqlite_store(tmp_path / "node.sqlite")
    first = Picture(store=PictureStore(store.engine))
    [raised] = first.push(head_on(T0))
    first.flush()
    second = Picture(store=PictureStore(store.engine))
    second.load()
    far = [
        TrackState("US-1", "US", T0 + 120, 20.0, 43.3, 31_000, 420, 270),
        TrackState("RU-1", "RU", T0 + 120, 40.0, 43.3, 31_400, 480, 90),
    ]
    [cleared] = second.push(far)
    assert (cleared.change, cleared.alert.id) == ("cleared", raised.alert.id)
    second.flush()
    [kept] = PictureStore(store.engine).alerts()
    assert (kept.id, kept.status) == (raised.alert.id, AlertStatus.CLEARED)
    store.close()
