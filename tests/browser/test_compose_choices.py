"""Compose with lists and optional fields, in a real browser against two real nodes: a value
chosen from a list and an added remark reach the peer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_chosen_value_and_an_added_remark_reach_the_peer(pair: Any, log_in: Any) -> None:
    us = log_in(pair.us)
    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=hazard_warning"))
    hazard = us.locator('select[name="f:hazard"]')
    expect(hazard).to_have_value("GUNNERY")  # the example's, chosen
    expect(hazard.locator("option")).to_have_count(9)  # every kind of hazard
    expect(hazard.locator('option[value="MISSILE_FIRING"]')).to_have_text(
        "missile firing (MISSILE_FIRING)"
    )
    hazard.select_option("MISSILE_FIRING")
    expect(us.locator('[name="f:remarks.text"]')).to_have_count(0)  # the example has none
    us.click('button.add-field[data-path="remarks"]')
    text = us.locator('[name="f:remarks.text"]')
    expect(text).to_have_value("")
    expect(us.locator('[name="f:remarks.lang"]')).to_have_value("en")  # the operator's language
    expect(hazard).to_have_value("MISSILE_FIRING")  # kept through the re-rendering
    text.fill("Live missile firing, keep 20 NM clear.")
    now = datetime.now(UTC)
    us.fill('[name="f:windows[0].start"]', _iso(now - timedelta(hours=1)))
    us.fill('[name="f:windows[0].end"]', _iso(now + timedelta(hours=2)))
    us.click("button.check")
    expect(us.locator(".field-error")).to_have_count(0)
    expect(us.locator(".preview-en")).to_contain_text("missile firing")
    us.click("button.release")
    expect(us.locator(".sent")).to_contain_text("-")
    seq = int(us.locator(".sent a").inner_text().split("-")[1])

    ru = log_in(pair.ru, "dezhurny")
    card = ru.locator(f"#msg-US-{seq}")
    expect(card).to_contain_text("ракетные стрельбы")  # the chosen code, in the reader's words
    expect(card).to_contain_text("Live missile firing, keep 20 NM clear.")
    ru.close()
    us.close()
