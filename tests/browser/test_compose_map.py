"""Drawing on the map in compose, repeated groups, and the map's time slider, in a real browser
against two real nodes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _open_draw(page: Page, path: str) -> Any:
    box = page.locator(f'.draw[data-path="{path}"]')
    box.locator(".draw-toggle").click()
    expect(box.locator(".draw-panel")).to_be_visible()
    expect(box).to_have_attribute("data-done", "true")  # the example's shape, read from the form
    box.locator(".draw-clear").click()
    expect(box).to_have_attribute("data-points", "0")
    return box


def _release(page: Page) -> int:
    page.click("button.check")
    expect(page.locator(".field-error")).to_have_count(0)
    page.click("button.release")
    expect(page.locator(".sent")).to_contain_text("-")
    return int(page.locator(".sent a").inner_text().split("-")[1])


def test_a_drawn_area_and_circle_fill_the_form_preview_and_map(pair: Any, log_in: Any) -> None:
    us = log_in(pair.us)
    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=hazard_warning"))
    box = _open_draw(us, "area")
    canvas = box.locator(".draw-map")
    for x, y in [(200, 120), (420, 110), (430, 300), (210, 280)]:
        canvas.click(position={"x": x, "y": y})
    expect(box).to_have_attribute("data-points", "4")
    expect(box.locator(".draw-hover")).to_contain_text("″")  # decimal and DMS under the pointer
    expect(box.locator(".draw-click")).to_contain_text("MGRS")
    box.locator(".draw-finish").click()
    expect(box).to_have_attribute("data-done", "true")
    rings = json.loads(us.locator('[name="f:area.coordinates"]').input_value())
    assert len(rings) == 1
    assert len(rings[0]) == 5
    assert rings[0][0] == rings[0][-1]  # a closed ring
    lon, lat = rings[0][0]
    assert 20 < lon < 45  # lon before lat, around the Black Sea view
    assert 38 < lat < 52
    assert rings[0][1][0] > lon  # the second corner was drawn to the east
    now = datetime.now(UTC)
    us.fill('[name="f:windows[0].start"]', _iso(now - timedelta(hours=1)))
    us.fill('[name="f:windows[0].end"]', _iso(now + timedelta(hours=2)))
    us.click("button.check")
    expect(us.locator(".preview-en")).to_contain_text(f"{lat:.5f}° N")
    expect(box.locator(".draw-panel")).to_be_visible()  # still open after the check
    area_seq = _release(us)

    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=special_caution_area"))
    box = _open_draw(us, "area")
    box.locator(".draw-map").click(position={"x": 300, "y": 200})
    box.locator(".draw-map").click(position={"x": 360, "y": 200})
    expect(box).to_have_attribute("data-done", "true")
    centre = json.loads(us.locator('[name="f:area.center"]').input_value())
    radius_nm = float(us.locator('[name="f:area.radius_nm"]').input_value())
    assert len(centre) == 2
    assert radius_nm > 0
    size = box.locator(".draw-size")
    expect(size).to_contain_text(f"{radius_nm:.2f} NM (")  # in both units while drawing
    km = float(size.inner_text().split("(")[1].split(" km")[0])
    assert abs(km - radius_nm * 1.852) < 0.02
    us.fill('[name="f:area.radius_nm"]', "12.5")  # typed: the map follows
    us.fill('[name="f:validity.start"]', _iso(now - timedelta(hours=1)))
    expect(size).to_contain_text("12.50 NM (23.15 km)")
    us.click("button.check")
    expect(us.locator(".preview-en")).to_contain_text("12.5 NM")
    circle_seq = _release(us)

    us.goto(pair.url(pair.us, "/console/map"))
    area_id, circle_id = f"US-{area_seq:04d}", f"US-{circle_seq:04d}"
    expect(us.locator("#map")).to_have_attribute("data-shown", _contains(area_id))
    expect(us.locator("#map")).to_have_attribute("data-shown", _contains(circle_id))
    layers = us.evaluate("fetch('/api/v1/map').then(r => r.json())")
    drawn = {v["feature"]["properties"]["id"]: v["feature"] for v in layers["volumes"]}
    assert drawn[area_id]["geometry"]["coordinates"] == rings
    assert drawn[circle_id]["geometry"]["coordinates"] == centre
    assert drawn[circle_id]["properties"]["radius_m"] == 12.5 * 1852
    us.close()


def _contains(word: str) -> re.Pattern[str]:
    """A word of a space-separated attribute."""
    return re.compile(rf"(^|\s){re.escape(word)}(\s|$)")


def test_the_time_slider_shows_a_volume_only_inside_its_window(pair: Any, log_in: Any) -> None:
    start = datetime.now(UTC) + timedelta(hours=10)
    body = {
        "type": "laser_notice",
        "version": "1.0",
        "purpose": "RANGE_FINDING",
        "laser_class": "3B",
        "wavelength_nanometres": 1064,
        "nohd_m": 2500.0,
        "area": {"type": "Circle", "center": [20.1, 55.2], "radius_km": 5.0},
        "altitude": {"lower": {"sfc": True}, "upper": {"m_amsl": 3000}},
        "window": {"start": _iso(start), "end": _iso(start + timedelta(hours=2))},
    }
    sent = pair.us.call(
        "POST",
        f"/api/v1/channels/{pair.cid}/messages",
        json={"body": body, "prec": "PRIORITY", "mark": "EXERCISE"},
    )
    volume = f"US-{sent['seq']:04d}"
    ru = log_in(pair.ru, "dezhurny")
    ru.goto(pair.url(pair.ru, "/console/map"))
    area = ru.locator("#map")
    expect(area).to_have_attribute("data-volumes", re.compile(r"[1-9]"))
    expect(area).not_to_have_attribute("data-shown", _contains(volume))  # live: not yet active
    expect(ru.locator("#time-now")).to_have_attribute("aria-pressed", "true")

    slider = ru.locator("#time-slider")
    slider.focus()
    for _ in range(44):  # 11 h in 15-minute steps, from the keyboard
        ru.keyboard.press("ArrowRight")
    expect(area).to_have_attribute("data-shown", _contains(volume))
    expect(ru.locator("#time-now")).to_have_attribute("aria-pressed", "false")
    expect(ru.locator("#time-shown")).to_contain_text(_iso(start)[:10])

    ru.keyboard.press("End")  # the end of the span lies after the window
    expect(area).not_to_have_attribute("data-shown", _contains(volume))
    ru.locator("#time-now").click()
    expect(ru.locator("#time-now")).to_have_attribute("aria-pressed", "true")
    expect(ru.locator("#time-shown")).to_contain_text("в реальном времени")
    expect(area).not_to_have_attribute("data-shown", _contains(volume))
    ru.close()


def test_a_repeated_group_grows_and_shrinks_and_the_peer_sees_every_row(
    pair: Any, log_in: Any
) -> None:
    us = log_in(pair.us)
    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=flight_notice"))
    box = _open_draw(us, "area")  # a corridor: a centre line ended by a double click
    box.locator(".draw-map").click(position={"x": 150, "y": 250})
    box.locator(".draw-map").click(position={"x": 300, "y": 230})
    box.locator(".draw-map").dblclick(position={"x": 450, "y": 260})
    expect(box).to_have_attribute("data-done", "true")
    line = json.loads(us.locator('[name="f:area.coordinates"]').input_value())
    assert len(line) == 3  # the double click's two clicks made one point
    assert line[0][0] < line[1][0] < line[2][0]
    expect(box.locator(".draw-size")).to_contain_text("10.00 NM (18.52 km)")  # the half-width
    us.click('button.add-row[data-list="aircraft"]')
    expect(us.locator('[name="f:aircraft[2].count"]')).to_have_value("")
    us.fill('[name="f:aircraft[2].count"]', "two")
    us.fill('[name="f:aircraft[2].type_designator"]', "E-3G")
    us.fill('[name="f:aircraft[2].callsigns"]', '["SENTRY1"]')
    us.click('button.remove-row[value="remove:aircraft[1]"]')  # the KC-135R goes
    expect(us.locator('.row-head[data-row="aircraft[2]"]')).to_have_count(0)
    expect(us.locator('[name="f:aircraft[1].type_designator"]')).to_have_value("E-3G")
    us.click("button.check")
    field = us.locator('.field[data-path="aircraft[1].count"]')  # the error at its new row
    expect(field.locator(".field-error")).to_have_count(1)
    us.fill('[name="f:aircraft[1].count"]', "2")
    seq = _release(us)

    ru = log_in(pair.ru, "dezhurny")
    card = ru.locator(f"#msg-US-{seq}")
    expect(card).to_contain_text("RC-135W")
    expect(card).to_contain_text("E-3G")
    expect(card).to_contain_text("SENTRY1")
    expect(card).not_to_contain_text("KC-135R")
    layers = ru.evaluate("fetch('/api/v1/map').then(r => r.json())")
    drawn = {v["feature"]["properties"]["id"]: v["feature"] for v in layers["volumes"]}
    assert drawn[f"US-{seq:04d}"]["geometry"]["coordinates"] == line
    ru.close()
    us.close()
