"""The operator commands against two real node processes: each command, and its error paths."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hotline.testing.processes import PASSWORD, NodeProcess, free_port, hotline, wait_for


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[NodeProcess, NodeProcess, str]]:
    root = tmp_path_factory.mktemp("cli")
    us = NodeProcess.create(root, "US", free_port())
    ru = NodeProcess.create(root, "RU", free_port())
    us.introduce(ru)
    ru.introduce(us)
    us.start()
    ru.start()
    try:
        for node in (us, ru):
            hotline(
                "login",
                "--home",
                node.home,
                "--name",
                "officer",
                "--password-file",
                root / f"{node.party}.password",
            )
        created = json.loads(
            hotline(
                "channel",
                "create",
                "Black Sea",
                "--with",
                "RU",
                "--language",
                "ru",
                "--home",
                us.home,
                "--json",
            ).stdout
        )
        hotline("channel", "accept", created["id"][:8], "--home", ru.home, "--wait", "30")
        yield us, ru, created["id"]
    finally:
        us.stop()
        ru.stop()


def fails(*args: object) -> str:
    """Run a command that must fail; return its one line of error."""
    done = hotline(*args, check=False)
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def out(*args: object) -> object:
    return json.loads(hotline(*args, "--json").stdout)


def test_a_node_that_is_not_running_is_named_with_how_to_start_it(tmp_path: Path) -> None:
    home = tmp_path / "cold"
    hotline("init", "UA", "--home", home, "--json")
    (home / "operator.token").write_text('{"token": "x", "operator": "officer"}')
    line = fails("channel", "list", "--home", home, "--api", f"127.0.0.1:{free_port()}")
    assert "no node answers" in line
    assert f"hotline run --home {home}" in line


def test_without_a_session_every_command_says_log_in(pair, tmp_path: Path) -> None:
    us, _, cid = pair
    home = tmp_path / "other"
    home.mkdir()
    api = f"127.0.0.1:{us.api_port}"
    for command in (["channel", "list"], ["inbox"], ["send", cid, "--text", "hi"], ["links"]):
        assert "hotline login" in fails(*command, "--home", home, "--api", api)


def test_a_bad_token_or_password_is_refused_with_the_way_out(pair, tmp_path: Path) -> None:
    us, _, _ = pair
    home = tmp_path / "forged"
    home.mkdir()
    (home / "operator.token").write_text('{"token": "forged-token", "operator": "officer"}')
    api = f"127.0.0.1:{us.api_port}"
    line = fails("inbox", "--home", home, "--api", api)
    assert "refused the saved session" in line
    assert "hotline login" in line
    wrong = tmp_path / "wrong.password"
    wrong.write_text("not the password")
    line = fails(
        "login", "--home", home, "--api", api, "--name", "officer", "--password-file", wrong
    )
    assert "log-in refused" in line


def test_channels_are_found_by_id_prefix_or_name_and_unknown_ones_named(pair) -> None:
    us, ru, cid = pair
    listed = out("channel", "list", "--home", ru.home)
    assert [(c["id"], c["name"], c["opened"]) for c in listed] == [(cid, "Black Sea", True)]
    assert "no channel 'zzzz1234'" in fails("send", "zzzz1234", "--text", "x", "--home", us.home)
    assert "hotline channel list" in fails("ack", "Baltic", "US-1", "--home", ru.home)


def test_send_ack_reply_keep_receipt_ack_and_reply_apart(pair) -> None:
    us, ru, cid = pair
    sent = out(
        "send",
        cid[:10],
        "--text",
        "Convoy moving at 0600",
        "--prec",
        "IMMEDIATE",
        "--home",
        us.home,
    )
    number = f"US-{sent['seq']}"

    def view(home: Path) -> dict[str, object] | None:
        views = out("inbox", "Black Sea", "--home", home)
        assert isinstance(views, list)
        return next((v for v in views if v["sender"] == "US" and v["seq"] == sent["seq"]), None)

    wait_for(lambda: (v := view(us.home)) and v["receipted_by"] == ["RU"], what="receipt")
    mine = view(us.home)
    assert mine is not None
    assert (mine["acks"], mine["replies"], mine["awaiting_ack_from"]) == ([], [], ["RU"])
    theirs = wait_for(lambda: view(ru.home), what="arrival")
    assert theirs["direction"] == "in"
    assert theirs["awaiting_ack_from"] == ["RU"]
    assert theirs["subject"] == "Convoy moving at 0600"
    assert theirs["original_lang"] == "en"
    assert "Convoy moving" in theirs["renderings"]["en"]

    hotline("ack", "Black Sea", number, "--home", ru.home)
    wait_for(lambda: (v := view(us.home)) and v["acks"], what="acknowledgement")
    assert view(us.home)["replies"] == []  # acknowledged is not answered
    hotline("reply", "Black Sea", number, "--text", "Roger, holding fire", "--home", ru.home)
    wait_for(lambda: (v := view(us.home)) and v["replies"], what="reply")
    assert (
        "awaiting"
        not in hotline("inbox", "Black Sea", "--home", us.home)
        .stdout.split(number)[1]
        .splitlines()[0]
    )
    assert "we do not acknowledge our own" in fails("ack", "Black Sea", number, "--home", us.home)


def test_a_bad_body_is_refused_with_every_field_path(pair, tmp_path: Path) -> None:
    us, _, cid = pair
    body = {
        "type": "stop_check_fire",
        "version": "1.0",
        "reason": "BORED",
        "area": {"type": "Circle", "center": [935.1, 48.15], "radius_km": -5.0},
    }
    with us.api() as api:
        r = api.post(f"/api/v1/channels/{cid}/messages", json={"body": body, "prec": "FLASH"})
        assert r.status_code == 422
        paths = [p["path"] for p in r.json()["problems"]]
        assert paths == ["reason", "area.center", "area.radius_km"]
        ok = {
            **body,
            "reason": "OTHER",
            "area": {**body["area"], "center": [35.1, 48.15], "radius_km": 5.0},
        }
        r = api.post(f"/api/v1/channels/{cid}/messages", json={"body": ok, "prec": "ROUTINE"})
        assert r.status_code == 422
        assert r.json()["problems"][0]["path"] == "precedence"
        assert "use FLASH" in r.json()["problems"][0]["message"]
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(body))
    line = fails("send", cid, file, "--home", us.home)
    assert "3 problems" in line
    assert "area.radius_km: must be > 0" in line


def test_json_lines_are_each_reported_and_a_bad_line_stops_nothing(pair, tmp_path: Path) -> None:
    us, _, cid = pair
    check_fire = {"type": "stop_check_fire", "version": "1.0", "reason": "OTHER"}
    lines = [
        json.dumps(check_fire),
        "",
        "not json",
        json.dumps({"body": "second", "prec": "PRIORITY"}),
        json.dumps({"type": "nope"}),
    ]
    file = tmp_path / "many.jsonl"
    file.write_text("\n".join(lines) + "\n")
    done = hotline("send", cid, file, "--home", us.home, "--json", check=False)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert (report["sent"], report["refused"]) == (2, 2)
    assert [r["line"] for r in report["lines"]] == [1, 3, 4, 5]
    assert "not JSON" in report["lines"][1]["error"]
    assert "unknown notification type 'nope'" in report["lines"][3]["error"]
    sent = [r["sent"] for r in report["lines"] if "sent" in r]
    views = out("inbox", cid, "--home", us.home)
    assert isinstance(views, list)
    by_number = {f"{v['sender']}-{v['seq']}": v for v in views}
    assert by_number[sent[0]]["prec"] == "FLASH"  # the type's default precedence
    assert by_number[sent[1]]["prec"] == "PRIORITY"


def test_operators_read_in_their_language_and_roles_hold(pair, tmp_path: Path) -> None:
    _us, ru, cid = pair
    password = tmp_path / "ivanova.password"
    password.write_text("ivanova password 1")
    added = out(
        "operator",
        "add",
        "ivanova",
        "--role",
        "auditor",
        "--language",
        "ru",
        "--password-file",
        password,
        "--home",
        ru.home,
    )
    assert added["operator"] == {"name": "ivanova", "role": "auditor", "language": "ru"}
    base = f"http://127.0.0.1:{ru.api_port}"
    token = httpx.post(
        f"{base}/api/v1/session", json={"name": "ivanova", "password": "ivanova password 1"}
    ).json()["token"]
    headers = {"authorization": f"Bearer {token}"}
    hotline("send", cid, "--text", "Учения завершены", "--home", ru.home)
    views = httpx.get(f"{base}/api/v1/channels/{cid}/messages", headers=headers).json()
    incoming = next(v for v in views if v["sender"] == "US")
    assert set(incoming["renderings"]) == {"ru", "en"}  # the reader's and the original
    assert (
        "Отправитель" in incoming["renderings"]["ru"]
        or "ОТ" in incoming["renderings"]["ru"].upper()
    )
    russian = next(v for v in views if v["sender"] == "RU" and v["subject"] == "Учения завершены")
    assert russian["original_lang"] == "en"  # the officer's account language wrote it
    r = httpx.post(f"{base}/api/v1/channels/{cid}/messages", json={"body": "x"}, headers=headers)
    assert (r.status_code, r.json()["error"]) == (403, "auditor may not send")


def test_links_and_logout(pair, tmp_path: Path) -> None:
    us, _, _ = pair
    links = out("links", "--home", us.home)
    assert links[0]["peer"] == "RU"
    assert links[0]["bearers"][0]["name"] == "direct"
    assert "RU" in hotline("links", "--home", us.home).stdout
    home = tmp_path / "session"
    home.mkdir()
    api = f"127.0.0.1:{us.api_port}"
    password = tmp_path / "pw"
    password.write_text(PASSWORD)
    hotline("login", "--home", home, "--api", api, "--name", "officer", "--password-file", password)
    token_file = home / "operator.token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    token = json.loads(token_file.read_text())["token"]
    hotline("logout", "--home", home, "--api", api)
    assert not token_file.exists()
    r = httpx.get(f"http://{api}/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 401  # the session ended on the node, not only here
    assert "hotline login" in fails("logout", "--home", home, "--api", api)
