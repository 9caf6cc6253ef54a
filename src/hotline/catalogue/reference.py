"""Generate the catalogue reference from the code: ``docs/catalogue.md`` and ``docs/schemas/``.

    python -m hotline.catalogue.reference          # rewrite the files under ./docs
    python -m hotline.catalogue.reference --check  # exit 1 and name the stale files

Nothing in those files is written by hand; a test fails when the committed copies are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
import typing
from collections.abc import Sequence
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel

from hotline.catalogue import vocabulary
from hotline.catalogue.body import MAX_BODY_BYTES, body_object
from hotline.catalogue.examples import examples
from hotline.catalogue.geometry import SeaArea
from hotline.catalogue.i18n import LANGUAGES
from hotline.catalogue.i18n.texts import TEXTS
from hotline.catalogue.phrasebook import PHRASEBOOK
from hotline.catalogue.registry import CATALOGUE, TypeSpec
from hotline.catalogue.render import Form, RenderContext, render
from hotline.catalogue.rules import DEFAULT_RULES, ChannelRules
from hotline.catalogue.volumes import Feature, volumes

__all__ = ["generate", "main", "stale_files", "type_summary"]

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[BaseModel], schema_id: str, title: str) -> str:
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_id,
        **model.model_json_schema(mode="validation"),
    }
    schema["title"] = title
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_SCALARS: Final = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "datetime": "UTC time",
}


def type_summary(annotation: object) -> str:
    """A short readable name for a field's type (Optional shown as ``?``)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_summary(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [type_summary(a) for a in args if a is not type(None)]
        joined = " | ".join(names)
        return f"{joined}?" if len(names) < len(args) else joined
    if origin is typing.Literal:
        return " | ".join(json.dumps(a) for a in args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of {type_summary(args[0])}"
        return "[lon, lat]"
    if origin is dict:
        return f"map {type_summary(args[0])} → {type_summary(args[1])}"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return f"{annotation.__name__} (code)"
        return _SCALARS.get(annotation.__name__, annotation.__name__)
    return str(annotation)


def _fields(model: type[BaseModel]) -> list[str]:
    lines = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for name, info in model.model_fields.items():
        if name == "type":
            continue
        label = TEXTS.get(f"field.{name}")
        meaning = info.description or (label.en if label else "")
        required = "yes" if info.is_required() else "no"
        type_text = type_summary(info.annotation).replace("|", "\\|")
        lines.append(f"| `{name}` | {type_text} | {required} | {meaning} |")
    return lines


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:g} h"


def _type_section(spec: TypeSpec) -> list[str]:
    example = examples()[spec.name]
    model = spec.model
    doc = " ".join((model.__doc__ or "").split())
    lead = (
        f"at least {_hours(spec.lead_time.minimum)} ahead, else **{spec.lead_time.outcome.value}** "
        f"({spec.lead_time.why})"
        if spec.lead_time
        else "none"
    )
    schema = f"schemas/{spec.name}.json"
    basis = TEXTS[f"basis.{spec.basis}"].en if spec.basis else "practice of hotline channels"
    lines = [
        f'<a id="{spec.name}"></a>',
        "",
        f"### `{spec.name}`: {TEXTS[f'type.{spec.name}'].en}",
        "",
        doc,
        "",
        f"- Version: {spec.version}; schema: [`{schema}`]({schema})",
        f"- Basis: {basis}",
        f"- Precedences: {', '.join(p.value for p in spec.precedences)} "
        f"(default {spec.default_precedence.value})",
        f"- Lead time: {lead}",
    ]
    if spec.immediate_ack:
        lines.append("- Demands an immediate operator acknowledgement (read and understood)")
    lines += [
        "",
        *_fields(model),
        "",
        "Example body (pretty-printed; the wire form is compact):",
        "",
    ]
    lines += [
        "```json",
        json.dumps(body_object(example.notification), indent=2, ensure_ascii=False, sort_keys=True),
        "```",
        "",
    ]
    shown: tuple[tuple[str, Form], ...] = (
        ("en", "readable"),
        ("en", "compact"),
        ("ru", "compact"),
        ("uk", "compact"),
    )
    for lang, form in shown:
        lines += [f"Rendering, {lang}, {form}:", "", "```text"]
        lines += (
            render(example.notification, example.context, lang=lang, form=form)
            .rstrip("\n")
            .split("\n")
        )
        lines += ["```", ""]
    features = volumes(
        example.notification,
        message_id=example.context.message_id or "",
        party=example.context.sender or "",
    )
    if features:
        lines += ["Volumes exported for the engine and the map:", "", "```json"]
        lines += [json.dumps(f.model_dump(mode="json"), ensure_ascii=False) for f in features]
        lines += ["```", ""]
    return lines


def _vocabularies() -> list[str]:
    enums: list[type[Enum]] = [getattr(vocabulary, name) for name in vocabulary.__all__]
    enums.append(SeaArea)
    lines = ["## Vocabularies", "", "Coded values and their wording in every language.", ""]
    for enum in enums:
        prefix = "sea" if enum is SeaArea else enum.__name__
        if f"{prefix}.{next(iter(enum)).value}" not in TEXTS:
            continue  # LaserClass: shown as its class number
        lines += [
            f"### {enum.__name__}",
            "",
            "| code | en | ru | uk |",
            "| --- | --- | --- | --- |",
        ]
        for member in enum:
            t = TEXTS[f"{prefix}.{member.value}"]
            lines.append(f"| `{member.value}` | {t.en} | {t.ru} | {t.uk} |")
        lines.append("")
    return lines


def _phrasebook() -> list[str]:
    lines = [
        "## Phrasebook (pre-agreed short messages)",
        "",
        "A `short_message` carries only the code word and number; each reader shows the full text "
        "in its own language. Codes are never reused with a new meaning.",
        "",
        "| code | en | ru | uk |",
        "| --- | --- | --- | --- |",
    ]
    for phrase in PHRASEBOOK.values():
        lines.append(f"| `{phrase.code}` | {phrase.en} | {phrase.ru} | {phrase.uk} |")
    return [*lines, ""]


def _rules() -> list[str]:
    rows = ["| type | precedences | default | lead time |", "| --- | --- | --- | --- |"]
    for spec in CATALOGUE:
        lead = (
            f"{_hours(spec.lead_time.minimum)}, {spec.lead_time.outcome.value}"
            if spec.lead_time
            else "-"
        )
        rows.append(
            f"| `{spec.name}` | {', '.join(p.value for p in spec.precedences)} | "
            f"{spec.default_precedence.value} | {lead} |"
        )
    example = ChannelRules.model_validate(
        {
            "allowed_types": ["flight_notice", "incident_report", "free_text"],
            "types": {"flight_notice": {"lead_time": {"min_lead_s": 14400, "outcome": "block"}}},
            "max_words": {"FLASH": 100, "IMMEDIATE": 200},
        }
    )
    defaults = json.dumps(DEFAULT_RULES.model_dump(mode="json"), indent=2)
    return [
        *rows,
        "",
        "Besides lead time, release is blocked when the activity has already ended, when an "
        "incident report is dated more than 5 minutes in the future, and when the body is larger "
        "than the channel allows; a proximity alert whose closest approach has passed, and a "
        "reply-by time already past, are warnings. Amendments and supersessions are held to the "
        "lead time of the notification they carry. FLASH and IMMEDIATE bodies carry at most 200 "
        "words of free text by default (structured fields are bounded by their schemas). Free "
        "text is always allowed, whatever types a charter lists.",
        "",
        "Default rules ([`schemas/channel_rules.json`](schemas/channel_rules.json)):",
        "",
        "```json",
        defaults,
        "```",
        "",
        "A charter that allows three types, wants flight notices 4 hours ahead (blocking) and "
        "FLASH bodies of at most 100 words:",
        "",
        "```json",
        json.dumps(example.model_dump(mode="json", exclude_defaults=True), indent=2),
        "```",
        "",
    ]


_INTRO = """\
# The notification catalogue

<!-- Generated by `python -m hotline.catalogue.reference`; do not edit by hand. -->

Operators must never argue about what a message meant. Each notification is a typed, validated
structure, one per real practice; each renders from that structure into English, Russian and
Ukrainian, compact or readable. Free text is never machine-translated: it is shown as written
and marked so in every language.

## Using it

```python
from datetime import UTC, datetime
from hotline.catalogue import (
    RenderContext, check_release, decode_body, encode_body, render, volumes)
from hotline.catalogue.examples import examples
from hotline.protocol.types import Marking, Precedence

notice = examples()["flight_notice"].notification
body = encode_body(notice)                 # canonical bytes: sign them, send them
assert decode_body(body) == notice         # a peer's bytes: InvalidNotificationError if bad
now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
for finding in check_release(notice, Precedence.PRIORITY, now=now):
    print(finding)                         # lead-time, precedence, size rules: warn or block
context = RenderContext(precedence=Precedence.PRIORITY, marking=Marking.EXERCISE,
                        sender="US", recipients=("RU",), number=41, released=now)
print(render(notice, context, lang="ru", form="compact"))
features = volumes(notice, message_id="US-0041", party="US")   # GeoJSON for the engine
```

From the shell:

```sh
hotline catalogue list                      # every type, its version and precedences
hotline catalogue show flight_notice        # fields, rules and an example
hotline catalogue show flight_notice --example > notice.json
hotline validate notice.json --precedence PRIORITY --now 2026-11-25T18:00:00Z
hotline render notice.json --lang ru --form compact --marking EXERCISE
```

`validate` and `render` take a body (as sent on the wire) or a message file
`{"context": {...}, "body": {...}}` whose context carries the envelope facts
([`schemas/render_context.json`](schemas/render_context.json)).

## The wire form of a body

- Compact UTF-8 JSON, keys sorted, no spaces, optional fields left out when absent: the same
  notification always encodes to the same bytes. `type` names the type and `version` is
  `"MAJOR.MINOR"`. Precedence, marking, sender and number travel in the envelope, not here.
- Positions are `[lon, lat]` in WGS84 degrees (RFC 7946). Times are UTC in whole seconds,
  `2026-11-26T06:00:00Z`. Units are in field names (`radius_nm`, `nohd_m`, `alt_ft`); a
  distance may be given in km or NM (`radius_km` or `radius_nm`, exactly one).
- Decoding treats the bytes as hostile: bodies over {max_kib} KiB are refused before parsing;
  invalid UTF-8, duplicate keys, NaN and infinities are refused; every string is bounded and
  may not contain control characters or bidirectional overrides; identifiers may not mix Latin
  and Cyrillic look-alike letters. Every problem is reported with its field path and what is
  expected, for example `impact_area.radius_nm: must be > 0`.

## Versions and schema evolution

Each type has a version `MAJOR.MINOR`; every body says which version its writer knew. The rules
follow msgspec's schema evolution, made stricter where a hotline needs it:

1. **A minor version only adds optional fields.** A new field must be optional, absent by
   default, and its absence must mean what the message meant before. Never remove or rename a
   field, change its type, unit or meaning, or change a default, within a major version.
2. **Older bodies on newer readers** decode unchanged: the fields they lack take their defaults.
3. **Newer bodies on older readers** still decode. The reader skips the fields it does not know,
   lists their paths in `notification.unknown_fields` and `body_version`, and every rendering
   says, in every language, that these fields are not shown and that the signed original is kept
   in full (the store keeps the bytes). Nothing is silently lost and nothing is guessed.
4. **Unknown fields in a body of the reader's own or an older minor are errors**: a writer may
   not invent fields, and a misspelt field is caught (`is not a field of flight_notice 1.0`).
5. **Closed vocabularies do not grow within a major**: an older reader cannot say what a new code
   means. Add an optional field instead, or make a new major. The phrasebook is the one
   exception: a code from a newer phrasebook is shown as unknown ("ask the sender"), never
   guessed.
6. **A breaking change makes a new major version.** A reader refuses a body of another major
   with `UnsupportedVersionError`, naming the version it reads. Until every party of a channel
   has upgraded, senders keep sending the old major (the charter says which versions a channel
   uses); a reader that must read both keeps the old model beside the new one.

The tests hold these rules: a body of `flight_notice` 1.1 with an added field decodes on the
1.0 reader with the field listed as unknown and noted in the rendering; a 1.0 body with the
same field is refused; a 2.0 body is refused with a message that says what to do.

"""

_RENDERING = """\
## Renderings

Every type renders in two forms, from the same items in the same order:

- **compact**: a formatted message: header lines (precedence, from, to, message number,
  date-time group such as `251430ZNOV26` with the same time in ISO form, references, subject,
  basis), numbered body lines, an end marker.
- **readable**: the same content with labels in full, dates written out (`25 ноября 2026 г.`),
  and every sub-value on its own line.

Conventions, the same in every language:

- TEST and EXERCISE messages open and close with a banner (`EXERCISE EXERCISE EXERCISE`,
  `УЧЕНИЕ УЧЕНИЕ УЧЕНИЕ`, `НАВЧАННЯ НАВЧАННЯ НАВЧАННЯ`); REAL messages have none.
- A stop / check fire opens and closes with a demand for an immediate acknowledgement; the
  humanitarian types always carry the standing disclaimer that notification is not permission.
- Positions are given three ways on one line: decimal degrees, degrees-minutes-seconds and MGRS
  (1 m), latitude first with its hemisphere written in the reader's language (N, с. ш., пн. ш.).
- Distances show the author's unit first and the other in brackets: `25 NM (46.3 km)`,
  `25 морских миль (46,3 км)`. Altitudes show feet and metres, flight levels as written
  (`FL350`) with their value in feet. Russian and Ukrainian use the decimal comma and the
  correct plural forms (`1 морская миля`, `2 морские мили`, `5 морских миль`,
  `2,5 морской мили`).
- Times are UTC, always marked so; dates in readable text spell the month
  (`26 November 2026`, `26 ноября 2026 г.`, `26 листопада 2026 р.`), compact text uses
  `2026-11-26 06:00 UTC`, which no reader can misread.
- Free text is shown exactly as written, marked with its language and "not translated";
  a free-text message is marked UNFORMATTED in every language. Every line of a peer's text is
  quoted with `|`, so that no line of it can pass for a line of the message itself.
- Russian and Ukrainian separate thousands with a no-break space (`35 000`), so that no display
  wraps a number in two.
- Amendments carry the whole notification as amended and mark the changed items with `»`.
- An incident with accounts from more than one party is shown as DISPUTED, each account in full
  (`hotline.catalogue.incidents.IncidentFile`).

Golden files of every type in every language and form are in `tests/golden/catalogue/`.

## Volumes

Every type with an area exports it as GeoJSON Features in the shape of
`docs/decisions.md` section 2 (`volumes(notification, message_id=..., party=...)`,
[`schemas/volume_feature.json`](schemas/volume_feature.json)): circles become a `Point` with
`radius_m`, corridors a `LineString` with `half_width_m`, whatever unit the notification used;
altitudes become feet above mean sea level (`null` for surface or unlimited); a sea named
without a boundary is not drawn. Amendments and supersessions export the areas of the
notification they carry; a cancellation exports none (the node removes the cancelled volumes).

"""


def _catalogue_md() -> str:
    lines = [_INTRO.replace("{max_kib}", str(MAX_BODY_BYTES // 1024))]
    lines += ["## Types", "", "| type | title | version |", "| --- | --- | --- |"]
    for spec in CATALOGUE:
        lines.append(
            f"| [`{spec.name}`](#{spec.name}) | {TEXTS[f'type.{spec.name}'].en} | {spec.version} |"
        )
    lines += ["", "## Release rules", "", *_rules(), _RENDERING]
    lines += ["## Type reference", ""]
    for spec in CATALOGUE:
        lines += _type_section(spec)
    lines += [*_phrasebook(), *_vocabularies()]
    languages = ", ".join(LANGUAGES)
    lines += [f"Languages: {languages}.", ""]
    return "\n".join(lines)


def generate() -> dict[str, str]:
    """Every generated file, by path relative to the repository root."""
    files = {"docs/catalogue.md": _catalogue_md()}
    for spec in CATALOGUE:
        major = spec.model.VERSION[0]
        files[f"docs/schemas/{spec.name}.json"] = _schema(
            spec.model, f"urn:hotline:catalogue:{spec.name}:{major}", spec.name
        )
    files["docs/schemas/channel_rules.json"] = _schema(
        ChannelRules, "urn:hotline:catalogue:channel_rules", "channel_rules"
    )
    files["docs/schemas/render_context.json"] = _schema(
        RenderContext, "urn:hotline:catalogue:render_context", "render_context"
    )
    files["docs/schemas/volume_feature.json"] = _schema(
        Feature, "urn:hotline:catalogue:volume_feature", "volume_feature"
    )
    return files


def stale_files(root: Path) -> list[str]:
    """Generated files that are missing or differ under ``root``."""
    stale = []
    for rel, text in generate().items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    schemas = root / "docs" / "schemas"
    expected = {Path(rel).name for rel in generate() if rel.startswith("docs/schemas/")}
    if schemas.is_dir():
        stale += [
            f"docs/schemas/{p.name}" for p in schemas.glob("*.json") if p.name not in expected
        ]
    return sorted(stale)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hotline.catalogue.reference", description=__doc__
    )
    parser.add_argument("root", nargs="?", default=".", type=Path, help="repository root")
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.check:
        stale = stale_files(root)
        for rel in stale:
            print(f"stale: {rel}", file=sys.stderr)
        if stale:
            print("run: python -m hotline.catalogue.reference", file=sys.stderr)
        return 1 if stale else 0
    for rel, text in generate().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(generate())} files under {root / 'docs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
