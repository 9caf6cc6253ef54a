"""docs/catalogue.md and docs/schemas/ are generated from the code and kept up to date; the
schemas accept every example body and refuse broken ones; the page's example runs."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hotline.catalogue import CATALOGUE, encode_body, volumes
from hotline.catalogue.examples import examples
from hotline.catalogue.reference import generate, stale_files

ROOT = Path(__file__).resolve().parents[3]


def schema(name: str) -> Draft202012Validator:
    data = json.loads((ROOT / "docs" / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(data)
    return Draft202012Validator(data)


def test_committed_reference_is_up_to_date() -> None:
    assert stale_files(ROOT) == [], "run: python -m hotline.catalogue.reference"


def test_the_reference_covers_every_type() -> None:
    files = generate()
    page = files["docs/catalogue.md"]
    for name in CATALOGUE.names:
        assert f"docs/schemas/{name}.json" in files
        assert f'<a id="{name}"></a>' in page


@pytest.mark.parametrize("name", CATALOGUE.names)
def test_each_schema_accepts_its_example_body(name: str) -> None:
    body = json.loads(encode_body(examples()[name].notification))
    errors = list(schema(name).iter_errors(body))
    assert errors == []


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("missile_launch", lambda b: b["impact_area"].update(radius_nm=0)),
        ("missile_launch", lambda b: b.pop("version")),
        ("missile_launch", lambda b: b.update(version="2.0")),
        ("flight_notice", lambda b: b.update(unknown=1)),
        ("flight_notice", lambda b: b["aircraft"][0].update(callsigns=["olive"])),
        ("humanitarian_site", lambda b: b["validity"].update(start="2026-11-20 00:00")),
        ("amendment", lambda b: b["notification"].update(type="free_text")),
    ],
)
def test_schemas_refuse_broken_bodies(name: str, edit: Any) -> None:
    body = json.loads(encode_body(examples()[name].notification))
    edit(body)
    assert list(schema(name).iter_errors(body)) != []


def test_volume_schema_accepts_exported_features() -> None:
    validator = schema("volume_feature")
    for name, example in examples().items():
        for feature in volumes(example.notification, message_id="X-0001", party="X"):
            assert list(validator.iter_errors(feature.model_dump(mode="json"))) == [], name


def test_the_python_example_in_the_page_runs() -> None:
    page = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", page, re.S)
    assert code is not None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "docs/catalogue.md", "exec"), {})
    assert "УЧЕНИЕ УЧЕНИЕ УЧЕНИЕ (EXERCISE)" in out.getvalue()
