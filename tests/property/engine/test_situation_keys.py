"""Situation keys are stored with alerts and matched after a restart: the fast way of writing
them must give exactly the JSON text they always had, for any ids."""

import json

from hypothesis import given
from hypothesis import strategies as st

from hotline.engine.situations import AlertKind, pair_keys, situation_key, situation_of

ids = st.text(max_size=12) | st.sampled_from(['a"b', "a\\b", "\x00", "\n", "é", "\U0001f600"])


@given(st.sampled_from(list(AlertKind)), st.lists(ids, max_size=4))
def test_situation_keys_are_the_compact_json_of_kind_and_names(
    kind: AlertKind, names: list[str]
) -> None:
    key = situation_key(kind, *names)
    assert key == json.dumps([kind.value, *names], ensure_ascii=False, separators=(",", ":"))
    assert situation_of(key) == (kind, names)


@given(st.lists(st.tuples(ids, ids), max_size=6))
def test_pair_keys_are_the_keys_of_each_pair_in_order(pairs: list[tuple[str, str]]) -> None:
    a_ids, b_ids = [a for a, _ in pairs], [b for _, b in pairs]
    expected = [situation_key(AlertKind.CLOSE_APPROACH, *sorted(pair)) for pair in pairs]
    assert pair_keys(AlertKind.CLOSE_APPROACH, a_ids, b_ids) == expected
