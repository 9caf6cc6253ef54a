"""``hotline demo``: two parties and a relay on loopback, and a scenario played between them."""

from __future__ import annotations

import json
import secrets
import signal
import threading
from pathlib import Path
from types import FrameType

import click
import msgspec

from hotline.demo.cluster import Cluster
from hotline.demo.player import Operators, Player, open_channel
from hotline.demo.scenario import Operator, load_scenario
from hotline.demo.site import DemoSite, Login, prepare_site

RUN_FILE = "run.json"  # the consoles' addresses while the demo runs, for scripts and tests


@click.command("demo")
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("hotline-demo"),
    show_default=True,
    help="Folder for the three nodes; a second run reuses it.",
)
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1, max=1000),
    default=1.0,
    show_default=True,
    help="How many times faster than real time the scenario plays.",
)
@click.option(
    "--scenario",
    "scenario_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A scenario file (docs/demo.md); default: the built-in Black Sea intercept.",
)
@click.option("--reset", is_flag=True, help="Start from a clean folder (only a demo folder).")
def demo(home: Path, speed: float, scenario_file: Path | None, reset: bool) -> None:
    """Run a whole exercise here: two parties' nodes, a relay, a scenario. Ctrl-C ends it."""
    scenario = load_scenario(scenario_file)
    site = prepare_site(home.resolve(), scenario.parties, reset=reset)
    stopping = threading.Event()

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    cluster = Cluster(site)
    ops = Operators(site, cluster.api)
    try:
        cluster.start()
        site = _add_operators(site, scenario.operators, ops)
        if not site.channel:
            site = msgspec.structs.replace(site, channel=open_channel(ops, scenario, "Demo"))
            site.save()
        ops.site = site
        _announce(site, cluster, scenario.title, scenario.synthetic)
        player = Player(scenario, ops, site.channel, speed, say=click.echo)
        player.play()
        click.echo("Scenario played. The consoles stay up; Ctrl-C ends the demo.")
        stopping.wait()
    except KeyboardInterrupt:
        click.echo("\nStopping the nodes and the relay...")
    finally:
        ops.close()
        cluster.stop()
        (home / RUN_FILE).unlink(missing_ok=True)
    click.echo("Demo stopped.")


def _add_operators(site: DemoSite, wanted: list[Operator], ops: Operators) -> DemoSite:
    """Create the scenario's watch officers that this folder doesn't have yet."""
    logins = list(site.logins)
    for op in wanted:
        if any(x.party == op.party and x.name == op.name for x in logins):
            continue
        password = secrets.token_urlsafe(12)
        ops.call(
            op.party,
            "POST",
            "/api/v1/operators",
            json={
                "name": op.name,
                "password": password,
                "role": "watch_officer",
                "language": op.language,
            },
        )
        logins.append(Login(op.party, op.name, password, op.language))
    if len(logins) != len(site.logins):
        site = msgspec.structs.replace(site, logins=logins)
        site.save()
    return site


def _announce(site: DemoSite, cluster: Cluster, title: str, synthetic: bool) -> None:
    click.echo(f"hotline demo: {title}")
    if synthetic:
        click.echo("(synthetic geometry: no real positions)")
    consoles = {p: f"http://{cluster.api(p)}/console/" for p in site.parties}
    for party, url in consoles.items():
        click.echo(f"  {party} console: {url}")
        for login in site.logins:
            if login.party == party:
                click.echo(f"      log in as {login.name} / {login.password} ({login.language})")
    run = {
        "consoles": consoles,
        "api": {p: cluster.api(p) for p in site.parties},
        "channel": site.channel,
    }
    (Path(site.root) / RUN_FILE).write_text(json.dumps(run) + "\n")
