"""Two-person release of FLASH, against two real node processes: held, refused to the author
and to watch officers, released by a second supervisor exactly as composed, withdrawn, and kept
across kill -9."""

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hotline.testing.processes import PASSWORD, NodeProcess, free_port, wait_for

BODY = {
    "type": "free_text",
    "version": "1.0",
    "text": {"lang": "en", "text": "Check fire north of Cape Tarkhankut"},
}


class Pair:
    def __init__(self, us: NodeProcess, ru: NodeProcess, held: str, plain: str) -> None:
        self.us, self.ru, self.held, self.plain = us, ru, held, plain

    def client(self, name: str) -> httpx.Client:
        """US's API as operator `name` (each test logs in afresh: US may have restarted)."""
        base = f"http://127.0.0.1:{self.us.api_port}"
        r = httpx.post(f"{base}/api/v1/session", json={"name": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        token = r.json()["token"]
        return httpx.Client(base_url=base, timeout=30, headers={"authorization": f"Bearer {token}"})

    def ru_inbox(self, cid: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self.ru.call("GET", f"/api/v1/channels/{cid}/messages")
        return messages

    def us_outbox(self, cid: str) -> list[dict[str, Any]]:
        with self.client("officer") as c:
            messages: list[dict[str, Any]] = c.get(f"/api/v1/channels/{cid}/messages").json()
        return messages


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("flash")
    us = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us.introduce(ru)
    ru.introduce(us)
    us.start()
    ru.start()
    try:
        for name, role in (
            ("chief", "supervisor"),
            ("wo", "watch_officer"),
            ("wo2", "watch_officer"),
        ):
            account = {"name": name, "password": PASSWORD, "role": role, "language": "en"}
            us.call("POST", "/api/v1/operators", json=account)
        ids = [
            open_channel(us, ru, name, two)
            for name, two in (("Two-person", True), ("Plain", False))
        ]
        yield Pair(us, ru, ids[0], ids[1])
    finally:
        us.stop()
        ru.stop()


def open_channel(us: NodeProcess, ru: NodeProcess, name: str, two_person: bool) -> str:
    charter = {"name": name, "parties": ["RU"], "languages": ["en", "ru"]}
    cid: str = us.call("POST", "/api/v1/channels", json=charter | {"two_person_flash": two_person})[
        "id"
    ]
    wait_for(lambda: any(c["id"] == cid for c in ru.call("GET", "/api/v1/channels")))
    ru.call("POST", f"/api/v1/channels/{cid}/accept")
    wait_for(lambda: us.call("GET", f"/api/v1/channels/{cid}")["opened"], what="open channel")
    return cid


def flash(client: httpx.Client, cid: str, text: str, prec: str = "FLASH") -> httpx.Response:
    body = BODY | {"text": {"lang": "en", "text": text}}
    return client.post(
        f"/api/v1/channels/{cid}/messages", json={"body": body, "prec": prec, "mark": "EXERCISE"}
    )


def events_of(client: httpx.Client, seen: list[dict[str, Any]]) -> None:
    """Collect the Flash* events of the node's live stream until the client is closed."""
    try:
        with client.stream("GET", "/api/v1/events", timeout=None) as stream:
            kind = ""
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind.startswith("Flash"):
                    seen.append({"kind": kind} | json.loads(line[6:])["data"])
    except (httpx.HTTPError, RuntimeError):
        return  # closed by the test


def test_a_flash_is_held_then_released_once_by_a_second_supervisor(pair: Pair) -> None:
    seen: list[dict[str, Any]] = []
    listener = pair.client("wo2")
    threading.Thread(target=events_of, args=(listener, seen), daemon=True).start()
    before_ru = len(pair.ru_inbox(pair.held))
    before_us = len(pair.us_outbox(pair.held))
    with pair.client("officer") as author, pair.client("chief") as chief:
        r = flash(author, pair.held, "Check fire now, first of two")
        assert r.status_code == 202, r.text
        held = r.json()
        assert (held["state"], held["author"], held["prec"]) == ("held", "officer", "FLASH")
        draft = held["draft"]
        listed = chief.get(f"/api/v1/channels/{pair.held}/releases").json()
        assert [d["draft"] for d in listed] == [draft]
        assert "first of two" in listed[0]["previews"]["en"]
        assert "first of two" in listed[0]["previews"]["ru"]  # the Russian rendering, too
        assert listed[0]["may_release"] is True
        # Nothing went on the wire: no new message on either side.
        assert len(pair.us_outbox(pair.held)) == before_us
        assert len(pair.ru_inbox(pair.held)) == before_ru

        refused = author.post(f"/api/v1/releases/{draft}/release")
        assert refused.status_code == 403
        assert "second operator" in refused.json()["error"]
        mine = author.get(f"/api/v1/releases/{draft}").json()
        assert (mine["state"], mine["may_release"]) == ("held", False)

        done = chief.post(f"/api/v1/releases/{draft}/release")
        assert done.status_code == 200, done.text
        sent = done.json()
        assert (sent["composed_by"], sent["released_by"]) == ("officer", "chief")
        again = chief.post(f"/api/v1/releases/{draft}/release")
        assert again.status_code == 409
        assert "released by chief" in again.json()["error"]

        def arrived() -> list[dict[str, Any]]:
            return [m for m in pair.ru_inbox(pair.held) if m["seq"] == sent["seq"]]

        got = wait_for(arrived, what="the released FLASH at RU")
        assert len(pair.ru_inbox(pair.held)) == before_ru + 1  # exactly one message
        assert (got[0]["prec"], got[0]["mark"]) == ("FLASH", "EXERCISE")
        assert json.loads(got[0]["body"]) == BODY | {
            "text": {"lang": "en", "text": "Check fire now, first of two"}
        }
        view = next(m for m in pair.us_outbox(pair.held) if m["seq"] == sent["seq"])
        assert (view["composed_by"], view["released_by"]) == ("officer", "chief")
        assert chief.get(f"/api/v1/channels/{pair.held}/releases").json() == []
        audit = [
            (e["operator"], e["action"])
            for e in chief.get("/api/v1/audit", params={"limit": 1000}).json()
        ]
        assert ("officer", "flash.hold") in audit
        assert ("chief", "flash.release") in audit
    wait_for(lambda: {e["kind"] for e in seen} >= {"FlashHeld", "FlashReleased"}, what="SSE")
    listener.close()
    assert [e["draft"] for e in seen if e["kind"] == "FlashHeld"] == [draft]


def test_watch_officers_may_not_release_and_the_author_withdraws(pair: Pair) -> None:
    before_ru = len(pair.ru_inbox(pair.held))
    with pair.client("wo") as author, pair.client("wo2") as other:
        r = flash(author, pair.held, "Withdrawn before release")
        assert r.status_code == 202, r.text
        draft = r.json()["draft"]
        refused = other.post(f"/api/v1/releases/{draft}/release")
        assert refused.status_code == 403
        assert refused.json()["error"] == "watch_officer may not release flash"
        shown = other.get(f"/api/v1/releases/{draft}").json()
        assert shown["why_not"] == "watch_officer may not release FLASH: a supervisor must"
        no = other.post(f"/api/v1/releases/{draft}/withdraw", json={"reason": "not mine"})
        assert no.status_code == 403
        empty = author.post(f"/api/v1/releases/{draft}/withdraw", json={"reason": ""})
        assert empty.status_code == 422
        gone = author.post(f"/api/v1/releases/{draft}/withdraw", json={"reason": "wrong area"})
        assert gone.status_code == 200, gone.text
        assert (gone.json()["state"], gone.json()["reason"]) == ("withdrawn", "wrong area")
    with pair.client("chief") as chief:
        late = chief.post(f"/api/v1/releases/{draft}/release")
        assert late.status_code == 409
        assert "withdrawn by wo" in late.json()["error"]
        audit = chief.get("/api/v1/audit", params={"limit": 1000}).json()
        withdrawals = [e for e in audit if e["action"] == "flash.withdraw"]
        assert (withdrawals[-1]["operator"], withdrawals[-1]["detail"]) == ("wo", "wrong area")
    assert len(pair.ru_inbox(pair.held)) == before_ru  # never sent


def test_a_refused_body_is_not_held(pair: Pair) -> None:
    with pair.client("wo") as author, pair.client("chief") as chief:
        bad = BODY | {"text": {"lang": "en", "text": ""}}
        r = author.post(
            f"/api/v1/channels/{pair.held}/messages", json={"body": bad, "prec": "FLASH"}
        )
        assert r.status_code == 422
        assert r.json()["problems"][0]["path"].startswith("text")
        assert chief.get("/api/v1/releases").json() == []


def test_other_precedences_and_plain_channels_are_sent_at_once(pair: Pair) -> None:
    with pair.client("wo") as officer:
        now = flash(officer, pair.held, "Immediate, not held", prec="IMMEDIATE")
        assert now.status_code == 201, now.text
        plain = flash(officer, pair.plain, "FLASH on a plain channel")
        assert plain.status_code == 201, plain.text
        assert officer.get("/api/v1/releases").json() == []
    wait_for(
        lambda: any(m["seq"] == now.json()["seq"] for m in pair.ru_inbox(pair.held)),
        what="the IMMEDIATE at RU",
    )
    wait_for(
        lambda: any(m["seq"] == plain.json()["seq"] for m in pair.ru_inbox(pair.plain)),
        what="the plain channel's FLASH at RU",
    )


def test_a_held_draft_survives_kill_9_and_is_released_after(pair: Pair) -> None:
    with pair.client("wo") as author:
        draft = flash(author, pair.held, "Held across a crash").json()["draft"]
    pair.us.kill()
    pair.us.start()
    with pair.client("chief") as chief:
        listed = chief.get("/api/v1/releases").json()
        assert [(d["draft"], d["state"], d["author"]) for d in listed] == [(draft, "held", "wo")]
        sent = chief.post(f"/api/v1/releases/{draft}/release").json()
    got = wait_for(
        lambda: [m for m in pair.ru_inbox(pair.held) if m["seq"] == sent["seq"]],
        what="the FLASH released after restart",
    )
    assert "Held across a crash" in got[0]["body"]


def test_two_supervisors_releasing_at_once_send_it_once(pair: Pair) -> None:
    before_ru = len(pair.ru_inbox(pair.held))
    with pair.client("wo") as author:
        draft = flash(author, pair.held, "Released by one of two").json()["draft"]
    clients = [pair.client("officer"), pair.client("chief")]
    statuses: list[int] = []

    def press(client: httpx.Client) -> None:
        statuses.append(client.post(f"/api/v1/releases/{draft}/release").status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    assert sorted(statuses) == [200, 409]
    sent = [m for m in pair.us_outbox(pair.held) if "one of two" in (m["body"] or "")]
    assert len(sent) == 1  # stored and signed once
    wait_for(lambda: len(pair.ru_inbox(pair.held)) == before_ru + 1, what="one FLASH at RU")
    got = [m for m in pair.ru_inbox(pair.held) if "one of two" in (m["body"] or "")]
    assert [m["seq"] for m in got] == [sent[0]["seq"]]
    with pair.client("chief") as chief:
        releases = [
            e
            for e in chief.get("/api/v1/audit", params={"limit": 1000}).json()
            if e["action"] == "flash.release"
        ]
    assert sum(f"draft {draft}" in e["target"] for e in releases) == 1
