"""The track table keeps, per id, the newest state ever given (a later row of a batch wins a
tie), whatever mix of known, new and repeated ids each batch brings; and columns built from
states carry exactly the per-state unit conversions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.engine.table import TrackTable
from hotline.engine.tracks import TrackColumns, TrackState
from hotline.engine.units import METRES_PER_FOOT, MS_PER_FPM, MS_PER_KNOT

batches = st.lists(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5)), max_size=15), max_size=6
)


@settings(max_examples=80, deadline=None)
@given(batches)
def test_table_keeps_the_newest_state_of_each_id(rows: list[list[tuple[int, int]]]) -> None:
    table = TrackTable(capacity=4)
    model: dict[str, tuple[float, float]] = {}  # id -> (time, lon): what the table must hold
    serial = 0
    for batch in rows:
        states = []
        for track, time_s in batch:
            serial += 1  # every row has its own lon, so the row kept can be told apart
            states.append(TrackState(f"T{track}", "A", float(time_s), float(serial % 180), 0.0))
            kept = model.get(f"T{track}")
            if kept is None or not time_s < kept[0]:
                model[f"T{track}"] = (float(time_s), float(serial % 180))
        table.upsert(TrackColumns.from_states(states))
        columns = table.columns()
        times = zip(columns.time_s.tolist(), columns.lon.tolist(), strict=True)
        held = dict(zip(columns.ids.tolist(), times, strict=True))
        assert held == model
        assert len(table) == len(model)


@given(
    st.lists(
        st.tuples(
            st.floats(-180, 180),
            st.floats(-90, 90),
            st.floats(-1e4, 6e4),
            st.floats(0, 600),
            st.floats(-6e3, 6e3),
            st.sampled_from(["air", "sea"]),
        ),
        max_size=8,
    )
)
def test_columns_from_states_convert_each_state(
    values: list[tuple[float, float, float, float, float, str]],
) -> None:
    states = [
        TrackState(f"T{k}", "P", 1.0, lon, lat, alt, kt, 10.0, fpm, domain=dom)  # type: ignore[arg-type]
        for k, (lon, lat, alt, kt, fpm, dom) in enumerate(values)
    ]
    columns = TrackColumns.from_states(states)
    assert columns.ids.tolist() == [s.id for s in states]
    assert columns.alt_m.tolist() == [s.alt_ft * METRES_PER_FOOT for s in states]
    assert columns.speed_ms.tolist() == [s.speed_kt * MS_PER_KNOT for s in states]
    assert columns.vrate_ms.tolist() == [s.vrate_fpm * MS_PER_FPM for s in states]
    assert columns.domain.tolist() == [0 if s.domain == "air" else 1 for s in states]
    for name in ("time_s", "lon", "lat", "course_deg"):
        assert getattr(columns, name).tolist() == [getattr(s, name) for s in states]
