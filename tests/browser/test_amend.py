"""Amending and cancelling a notification from its card, in a real browser against two real
nodes: the peer's card says what happened, and both maps show only what is in force."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples

SLOW_MS = 20_000  # waits on a node (or its peer) that may share 2 cores with other tests


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _words(word: str) -> re.Pattern[str]:
    """A word of a space-separated attribute."""
    return re.compile(rf"(^|\s){re.escape(word)}(\s|$)")


def _release(page: Page) -> int:
    page.click("button.check")
    expect(page.locator(".field-error")).to_have_count(0)
    page.click("button.release")
    expect(page.locator(".sent")).to_contain_text("-", timeout=SLOW_MS)
    return int(page.locator(".sent a").inner_text().split("-")[1])


def _volumes(page: Page) -> dict[str, Any]:
    layers = page.evaluate("fetch('/api/v1/map').then(r => r.json())")
    return {v["feature"]["properties"]["id"]: v["feature"] for v in layers["volumes"]}


def test_amend_a_flight_window_then_cancel_it_from_the_cards(pair: Any, log_in: Any) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    body = body_object(examples()["flight_notice"].notification)
    body["window"] = {
        "start": _iso(now - timedelta(hours=1)),
        "end": _iso(now + timedelta(hours=3)),
    }
    sent = pair.us.call(
        "POST",
        f"/api/v1/channels/{pair.cid}/messages",
        json={"body": body, "prec": "PRIORITY", "mark": "EXERCISE"},
    )
    original = f"US-{sent['seq']:04d}"

    # US: Amend on the flight's card opens compose filled with the flight as it stands
    us = log_in(pair.us)
    card = us.locator(f"#msg-US-{sent['seq']}")
    expect(card.locator("a.cancel")).to_be_visible()
    card.locator("a.amend").click()
    reference = us.locator(".reference")
    expect(reference).to_contain_text(
        re.compile(rf"amends {original}, Planned air activity notice, \d{{6}}Z[A-Z]{{3}}\d\d")
    )
    expect(us.locator(".recipients")).to_have_count(0)  # two parties: nobody to choose
    expect(us.locator('[name="f:aircraft[1].type_designator"]')).to_have_value("KC-135R")
    end = us.locator('[name="f:window.end"]')
    expect(end).to_have_value(body["window"]["end"])
    box = us.locator('.draw[data-path="area"]')  # the draw tool shows the stored corridor
    box.locator(".draw-toggle").click()
    expect(box).to_have_attribute("data-done", "true")
    expect(box).to_have_attribute("data-points", "3")
    us.click("button.check")  # nothing changed yet: refused, saying so
    expect(us.locator(".error.general")).to_contain_text("Nothing has changed")
    new_end = _iso(now + timedelta(hours=5))
    end.fill(new_end)
    us.fill('[name="reason"]', "Tanker delayed.")
    us.click("button.check")
    expect(us.locator(".preview-en")).to_contain_text("AMENDMENT")
    expect(us.locator(".preview-en")).to_contain_text("»")  # the changed item is marked
    expect(us.locator(".preview-to")).to_contain_text("RU")
    expect(us.locator(".preview-en")).to_contain_text(f"References: {original} (SHA-256")
    amended_seq = _release(us)
    amendment = f"US-{amended_seq:04d}"

    # RU: the original's card says it was amended, linking the amendment; the map has the
    # new window and not the old one
    ru = log_in(pair.ru, "dezhurny")
    old_card = ru.locator(f"#msg-US-{sent['seq']}")
    lineage = old_card.locator(".lineage")
    expect(lineage).to_contain_text(f"изменено сообщением {amendment}", timeout=SLOW_MS)
    assert lineage.locator("a").get_attribute("href") == f"#msg-US-{amended_seq}"
    expect(ru.locator(f"#msg-US-{amended_seq}")).to_contain_text("Tanker delayed.")
    expect(old_card.locator("a.amend")).to_have_count(0)  # RU's cards offer a reply instead
    expect(old_card.locator("a.reply-form")).to_be_visible()
    drawn = _volumes(ru)
    assert original not in drawn
    assert drawn[amendment]["properties"]["end"] == new_end
    ru.goto(pair.url(pair.ru, "/console/map"))
    expect(ru.locator("#map")).to_have_attribute("data-shown", _words(amendment), timeout=SLOW_MS)
    expect(ru.locator("#map")).not_to_have_attribute("data-shown", _words(original))

    # US: the original offers nothing more; the amendment is what is cancelled
    us.goto(pair.url(pair.us, f"/console/?channel={pair.cid}"))
    expect(us.locator(f"#msg-US-{sent['seq']} a.amend")).to_have_count(0)
    stale = us.request.get(
        pair.url(
            pair.us, f"/console/compose?channel={pair.cid}&intent=amend&party=US&seq={sent['seq']}"
        )
    )
    assert stale.status == 409
    assert "amended or cancelled since" in stale.text()
    us.locator(f"#msg-US-{amended_seq} a.cancel").click()
    expect(us.locator(".reference")).to_contain_text(f"cancels {amendment}, Amendment")
    expect(us.locator('[name="f:cancels.party"]')).to_have_attribute("type", "hidden")
    cancelled_seq = _release(us)

    # both maps lose the volume; RU's card of the amendment says it was cancelled
    expect(ru.locator("#map")).not_to_have_attribute(
        "data-shown", _words(amendment), timeout=SLOW_MS
    )
    assert amendment not in _volumes(ru)
    assert amendment not in _volumes(us)
    ru.goto(pair.url(pair.ru, f"/console/?channel={pair.cid}"))
    expect(ru.locator(f"#msg-US-{amended_seq} .lineage")).to_contain_text(
        f"отменено сообщением US-{cancelled_seq:04d}", timeout=SLOW_MS
    )
    ru.close()

    # a point is drawn with one click, and a second click moves it
    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=incident_report"))
    point = us.locator('.draw[data-path="location"]')
    point.locator(".draw-toggle").click()
    expect(point).to_have_attribute("data-done", "true")  # the example's point, read back
    point.locator(".draw-map").click(position={"x": 200, "y": 150})
    where = us.locator('[name="f:location.coordinates"]')
    first = json.loads(where.input_value())
    point.locator(".draw-map").click(position={"x": 400, "y": 150})
    second = json.loads(where.input_value())
    assert len(first) == len(second) == 2
    assert second[0] > first[0]  # further east, lon first
    assert abs(second[1] - first[1]) < 1e-3
    expect(point).to_have_attribute("data-points", "1")
    us.close()
