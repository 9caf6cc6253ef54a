"""Screenshots of the console's main screens, into docs/screenshots/ (re-run to refresh).

Starts two real nodes (US and RU) on loopback, exchanges a little EXERCISE traffic and drives
Debian's Chromium through the screens:

    PYTHONPATH=src .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from hotline.catalogue.body import body_object
from hotline.catalogue.examples import examples
from hotline.testing.console_pair import CHROMIUM, CHROMIUM_ARGS, ConsolePair, console_pair
from hotline.testing.processes import PASSWORD, NodeProcess, wait_for

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FREE_TEXT = {
    "type": "free_text",
    "version": "1.0",
    "text": {"lang": "en", "text": "Intercept in progress south of 44N. Keep clear."},
}


def log_in(browser: Browser, pair: ConsolePair, node: NodeProcess, name: str, dark: bool) -> Page:
    context = browser.new_context(
        viewport={"width": 1366, "height": 820}, color_scheme="dark" if dark else "light"
    )
    page = context.new_page()
    page.goto(pair.url(node, "/console/login"))
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    return page


def traffic(pair: ConsolePair) -> None:
    messages = f"/api/v1/channels/{pair.cid}/messages"
    flight = body_object(examples()["flight_notice"].notification)
    exercise = body_object(examples()["naval_exercise"].notification)
    notice = pair.us.call(
        "POST", messages, json={"body": flight, "prec": "PRIORITY", "mark": "EXERCISE"}
    )
    pair.ru.call("POST", messages, json={"body": exercise, "prec": "ROUTINE", "mark": "EXERCISE"})
    flash = pair.us.call(
        "POST", messages, json={"body": FREE_TEXT, "prec": "FLASH", "mark": "EXERCISE"}
    )
    wait_for(
        lambda: len(pair.ru.call("GET", messages)) >= 3 and len(pair.us.call("GET", messages)) >= 3,
        what="traffic on both sides",
    )
    pair.ru.call(
        "POST", f"{messages}/US/{notice['seq']}/ack"
    )  # the flight notice: acknowledged, no reply
    reply = {
        "body": {
            "type": "free_text",
            "version": "1.0",
            "text": {"lang": "ru", "text": "Принято. Наш самолёт отворачивает на север."},
        }
    }
    pair.ru.call("POST", f"{messages}/US/{flash['seq']}/reply", json=reply)


def flash_release(browser: Browser, pair: ConsolePair) -> None:
    """A watch officer's FLASH held for two-person release, as a supervisor sees it."""
    charter = {"name": "Two-person", "parties": ["RU"], "languages": ["en", "ru"]}
    cid = pair.us.call("POST", "/api/v1/channels", json=charter | {"two_person_flash": True})["id"]
    wait_for(lambda: any(c["id"] == cid for c in pair.ru.call("GET", "/api/v1/channels")))
    pair.ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: pair.us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="open")
    base = pair.url(pair.us, "")
    token = httpx.post(f"{base}/api/v1/session", json={"name": "duty", "password": PASSWORD})
    body = FREE_TEXT | {"text": {"lang": "en", "text": "Check fire, all units north of 45N."}}
    held = httpx.post(
        f"{base}/api/v1/channels/{cid}/messages",
        json={"body": body, "prec": "FLASH", "mark": "EXERCISE"},
        headers={"authorization": f"Bearer {token.json()['token']}"},
    )
    assert held.status_code == 202, held.text
    us = log_in(browser, pair, pair.us, "officer", dark=False)
    us.wait_for_selector(".flash-awaiting")
    us.screenshot(path=OUT / "flash-release.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root, console_pair(Path(root)) as pair:
        traffic(pair)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            ru = log_in(browser, pair, pair.ru, "dezhurny", dark=False)
            ru.wait_for_selector(".message")
            ru.screenshot(path=OUT / "inbox-ru.png")
            us = log_in(browser, pair, pair.us, "officer", dark=True)
            us.wait_for_selector(".message")
            us.screenshot(path=OUT / "outbox-us-dark.png")
            us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=flight_notice"))
            us.fill('[name="f:window.end"]', "tomorrow")
            us.click("button.check")
            us.wait_for_selector(".field-error")
            us.locator('.field[data-path="window.end"]').scroll_into_view_if_needed()
            us.screenshot(path=OUT / "compose-error.png")
            us.fill('[name="f:window.end"]', "2026-11-26T12:00:00Z")
            us.click("button.check")
            us.wait_for_selector(".previews")
            us.locator(".previews").scroll_into_view_if_needed()
            us.screenshot(path=OUT / "compose-preview.png")
            us.goto(pair.url(pair.us, f"/console/compose?channel={pair.cid}&type=flight_notice"))
            us.click('.draw[data-path="area"] .draw-toggle')  # the example's corridor, drawn
            us.wait_for_timeout(1500)
            us.locator(".draw-panel").scroll_into_view_if_needed()
            us.mouse.move(700, 400)
            us.screenshot(path=OUT / "compose-draw.png")
            us.goto(pair.url(pair.us, f"/console/?channel={pair.cid}"))
            us.locator(".message a.amend").first.click()  # the flight notice, from its card
            us.fill('[name="f:window.end"]', "2026-11-26T14:00:00Z")
            us.fill('[name="reason"]', "Tanker delayed by two hours.")
            us.click("button.check")
            us.wait_for_selector(".previews")
            us.screenshot(path=OUT / "compose-amend.png", full_page=True)
            ru.goto(pair.url(pair.ru, "/console/map"))
            ru.wait_for_function("document.getElementById('map').dataset.volumes > 0")
            ru.wait_for_timeout(1500)  # the basemap is 2 MB of GeoJSON
            # the time slider to the middle of the flight notice's window, where both show
            ru.evaluate(
                """(start) => { const s = document.getElementById('time-slider');
                s.value = String(Date.parse(start) / 60000 + 180);
                s.dispatchEvent(new Event('input')); }""",
                examples()["flight_notice"].notification.window.start.isoformat(),
            )
            ru.mouse.click(700, 420)
            ru.wait_for_timeout(300)
            ru.screenshot(path=OUT / "map.png")
            us.goto(pair.url(pair.us, "/console/links"))
            us.screenshot(path=OUT / "links.png")
            us.goto(pair.url(pair.us, "/console/transcript"))
            us.screenshot(path=OUT / "transcript.png")
            flash_release(browser, pair)
            browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
