"""The console in a real browser against two real nodes: what a watch officer does."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Request, expect

from hotline.testing.processes import wait_for

FREE_TEXT = {
    "type": "free_text",
    "version": "1.0",
    "text": {"lang": "en", "text": "Intercept in progress, keep clear"},
}


def test_log_in_is_refused_with_a_wrong_password(browser: Browser, pair: Any, log_in: Any) -> None:
    page = browser.new_page()
    page.goto(pair.url(pair.us, "/console/"))
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.fill("input[name=name]", "officer")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("not accepted")
    page.close()


def test_notification_arrives_live_is_acknowledged_and_the_sender_sees_it(
    pair: Any, log_in: Any
) -> None:
    ru = log_in(pair.ru, "dezhurny")
    us = log_in(pair.us)
    expect(ru.locator(".top nav")).to_contain_text("Сообщения")  # the operator's language
    sent = pair.us.call(
        "POST",
        f"/api/v1/channels/{pair.cid}/messages",
        json={"body": FREE_TEXT, "prec": "FLASH", "mark": "EXERCISE"},
    )
    card = ru.locator(f"#msg-US-{sent['seq']}")
    expect(card).to_be_visible()  # arrived live, no reload
    expect(card.locator(".prec-badge")).to_have_text("FLASH")
    expect(card.locator(".mark-badge")).to_have_text("EXERCISE")
    expect(card.locator(".countdown")).to_contain_text("срок через")
    expect(ru.locator(".marking-strip")).to_contain_text("EXERCISE")
    expect(card).to_contain_text("keep clear")

    out = us.locator(f"#msg-US-{sent['seq']}")
    expect(out.locator(".state-receipt")).to_contain_text("RU: ✓")
    expect(out.locator(".state-ack")).to_contain_text("waiting: RU")

    card.focus()
    ru.keyboard.press("a")  # the shortcut acknowledges the focused message
    expect(ru.locator(f"#msg-US-{sent['seq']} .done")).to_be_visible()
    expect(out.locator(".state-ack")).not_to_contain_text("waiting", timeout=15_000)
    expect(out.locator(".state-ack")).to_contain_text("RU ")
    expect(out.locator(".state-reply")).to_contain_text("none")  # acknowledged is not answered
    ru.close()
    us.close()


def test_compose_with_a_validation_error_fixed_then_released(
    browser: Browser, pair: Any, log_in: Any
) -> None:
    us = log_in(pair.us)
    us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=flight_notice"))
    end = us.locator('[name="f:window.end"]')
    end.fill("tomorrow morning")
    us.click("button.check")
    field = us.locator('.field[data-path="window.end"]')
    expect(field.locator(".field-error")).to_contain_text("UTC time")
    expect(us.locator("button.release")).to_have_count(0)  # nothing to release yet

    us.locator('[name="f:window.end"]').fill("2026-11-26T12:00:00Z")
    us.click("button.check")
    expect(us.locator(".field-error")).to_have_count(0)
    expect(us.locator(".preview-en")).to_contain_text("PLANNED AIR ACTIVITY NOTICE")
    expect(us.locator(".preview-ru")).to_contain_text("ДЕЯТЕЛЬНОСТИ АВИАЦИИ")
    us.click("button.release")
    expect(us.locator(".sent")).to_contain_text("US-")
    number = us.locator(".sent a").inner_text()

    ru = log_in(pair.ru, "dezhurny")
    seq = int(number.split("-")[1])
    expect(ru.locator(f"#msg-US-{seq}")).to_contain_text("RC-135W")
    expect(ru.locator(f"#msg-US-{seq} figure")).to_have_count(2)  # original and Russian
    ru.close()
    us.close()


def test_map_shows_the_notified_volume(browser: Browser, pair: Any, log_in: Any) -> None:
    body = {
        "type": "flight_notice",
        "version": "1.0",
        "purpose": "RECONNAISSANCE",
        "area": {
            "type": "Corridor",
            "coordinates": [[29.5, 43.2], [32.8, 43.35]],
            "half_width_nm": 10.0,
        },
        "altitude": {"lower": {"fl": 250}, "upper": {"fl": 350}},
        "window": {"start": "2026-11-26T06:00:00Z", "end": "2026-11-26T12:00:00Z"},
        "aircraft": [{"count": 1, "type_designator": "RC-135W"}],
    }
    sent = pair.us.call(
        "POST",
        f"/api/v1/channels/{pair.cid}/messages",
        json={"body": body, "prec": "PRIORITY", "mark": "EXERCISE"},
    )
    page = log_in(pair.ru, "dezhurny")
    page.goto(pair.url(pair.ru, "/console/map"))
    expect(page.locator("#map")).to_have_attribute("data-volumes", re.compile(r"[1-9]"))
    expect(page.locator(".leaflet-control-layers")).to_contain_text("Уведомлённые районы")
    tooltip_id = f"US-{sent['seq']:04d}"
    layers = page.evaluate("fetch('/api/v1/map').then(r => r.json())")
    ids = [v["feature"]["properties"]["id"] for v in layers["volumes"]]
    assert tooltip_id in ids
    assert layers["tracks"] == []
    assert layers["alerts"] == []
    page.mouse.move(683, 400)
    expect(page.locator("#coords-hover")).to_contain_text("″")
    page.mouse.click(683, 400)
    expect(page.locator("#coords-click")).to_contain_text("MGRS")
    page.close()


def test_no_page_requests_anything_outside_the_node(
    browser: Browser, pair: Any, log_in: Any
) -> None:
    page = log_in(pair.us)
    origin = pair.url(pair.us, "")
    outside: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith((origin, "data:", "blob:")):
            outside.append(request.url)

    page.on("request", watch)
    for path in [
        "/console/",
        "/console/compose",
        "/console/map",
        "/console/links",
        "/console/transcript",
        "/console/login",
    ]:
        page.goto(pair.url(pair.us, path))
        page.wait_for_load_state("networkidle")
        html = page.content()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), path
    assert outside == []
    page.close()


def test_links_and_transcript_pages(browser: Browser, pair: Any, log_in: Any) -> None:
    page = log_in(pair.us)
    page.goto(pair.url(pair.us, "/console/links"))
    expect(page.locator("tr.peer-RU").first).to_contain_text("direct")
    expect(page.locator("tr.peer-RU td.skew").first).to_contain_text(re.compile(r"ms|not measured"))
    page.goto(pair.url(pair.us, f"/console/transcript?channel={pair.cid}"))
    expect(page.locator(".ok")).to_contain_text("US 1–")
    expect(page.locator("table.transcript tbody tr").first).to_be_visible()
    page.close()


def test_an_overdue_acknowledgement_cannot_be_missed(pair: Any, log_in: Any) -> None:
    ru = log_in(pair.ru, "dezhurny")
    ru.clock.install()  # the browser's clock, so ten minutes pass in an instant
    ru.reload()
    sent = pair.us.call(
        "POST",
        f"/api/v1/channels/{pair.cid}/messages",
        json={"body": FREE_TEXT, "prec": "FLASH", "mark": "EXERCISE"},
    )
    card = ru.locator(f"#msg-US-{sent['seq']}")
    expect(card).to_be_visible()
    banner = ru.locator("#overdue-banner")
    expect(banner).to_be_hidden()
    ru.clock.fast_forward("11:00")  # past the FLASH window of 10 minutes
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"FLASH US-{sent['seq']:04d}")
    expect(card.locator(".countdown")).to_contain_text("ПРОСРОЧЕНО")
    sound = ru.locator("#sound-toggle")
    expect(sound).to_have_attribute("aria-pressed", "true")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    ru.reload()  # the off switch is remembered
    expect(ru.locator("#sound-toggle")).to_have_attribute("aria-pressed", "false")
    card = ru.locator(f"#msg-US-{sent['seq']}")
    card.locator("button.ack").click()
    expect(card.locator(".done")).to_be_visible()
    expect(banner).to_be_hidden()


def test_dark_mode_and_the_utc_clock_on_every_screen(pair: Any, log_in: Any) -> None:
    page = log_in(pair.us)
    html = page.locator("html")
    light = "dark" not in (html.get_attribute("class") or "")
    page.click("#theme-toggle")
    expect(html).to_have_class(re.compile("dark") if light else re.compile("^(?!.*dark)"))
    for path in ["/console/map", "/console/links", "/console/compose"]:
        page.goto(pair.url(pair.us, path))  # the choice is kept across screens
        expect(html).to_have_class(re.compile("dark") if light else re.compile("^(?!.*dark)"))
        expect(page.locator("#utc-dtg")).to_have_text(re.compile(r"^\d{6}Z[A-Z]{3}\d{2}$"))
        expect(page.locator("#utc-time")).to_have_text(re.compile(r"Z$"))


def test_a_flash_is_held_until_a_supervisor_releases_it(pair: Any, log_in: Any) -> None:
    """Two-person release: the watch officer's FLASH is held, every US console shows it with
    both languages, a supervisor in another browser releases it, and RU's console shows it."""
    charter = {"name": "Two-person", "parties": ["RU"], "languages": ["en", "ru"]}
    cid = pair.us.call("POST", "/api/v1/channels", json=charter | {"two_person_flash": True})["id"]
    wait_for(lambda: any(c["id"] == cid for c in pair.ru.call("GET", "/api/v1/channels")))
    pair.ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: pair.us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="open")
    chief = log_in(pair.us, "officer")  # a supervisor, watching before anything is held
    ru = log_in(pair.ru, "dezhurny")
    ru.goto(pair.url(pair.ru, f"/console/?channel={cid}"))
    duty = log_in(pair.us, "duty")

    duty.goto(pair.url(pair.us, f"/console/compose?channel={cid}&type=free_text"))
    duty.select_option("select[name=prec]", "FLASH")
    duty.locator('[name="f:text.lang"]').fill("en")
    duty.locator('[name="f:text.text"]').fill("Check fire, two-person rule")
    duty.click("button.check")
    expect(duty.locator("button.release")).to_contain_text("Submit for second-person release")
    duty.click("button.release")
    expect(duty.locator(".held")).to_contain_text("Held for second-person release")
    own = duty.locator(".held-draft")
    expect(own).to_contain_text("composed by duty")
    expect(own.locator("button.release-flash")).to_be_disabled()
    expect(own.locator(".why-not")).to_contain_text("Only a supervisor")

    banner = chief.locator(".flash-awaiting")  # arrived live, no reload
    expect(banner).to_contain_text("FLASH awaiting release")
    expect(banner.locator(".preview-en")).to_contain_text("two-person rule")
    expect(banner.locator(".preview-ru")).to_contain_text("two-person rule")
    expect(ru.get_by_text("two-person rule")).to_have_count(0)  # nothing sent
    banner.locator("button.release-flash").click()
    expect(chief.locator(".release-done")).to_contain_text("Released as US-")
    expect(chief.locator(".flash-awaiting")).to_have_count(0)
    expect(duty.locator(".flash-awaiting")).to_have_count(0)  # every console updates

    card = ru.locator(".message", has_text="two-person rule")  # arrived live
    expect(card).to_have_count(1)
    expect(card.locator(".prec-badge")).to_have_text("FLASH")
    chief.goto(pair.url(pair.us, f"/console/?channel={cid}"))
    expect(chief.locator(".released-by")).to_contain_text("composed by duty · released by officer")
    for page in (chief, ru, duty):
        page.close()
