"""``hotline catalogue list|show``, ``hotline render`` and ``hotline validate``.

Thin: reading files and the clock happens here, everything else in ``hotline.catalogue``.
Bad input is one clear line per problem on stderr and exit status 1; ``--json`` for scripts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import IO, Any

import click
from pydantic import ValidationError

from hotline.catalogue import (
    CATALOGUE,
    DEFAULT_RULES,
    LANGUAGES,
    ChannelRules,
    InvalidNotificationError,
    Issue,
    Notification,
    Outcome,
    RenderContext,
    TypeSpec,
    check_precedence,
    check_release,
    decode_body,
    encode_body,
    render,
)
from hotline.catalogue.body import body_object, issues_from
from hotline.catalogue.examples import examples
from hotline.catalogue.fields import format_utc
from hotline.catalogue.files import MessageFile, read_message_file
from hotline.catalogue.i18n.texts import TEXTS
from hotline.catalogue.reference import type_summary
from hotline.protocol.types import Marking, Precedence

__all__ = ["catalogue_group", "render_command", "validate_command"]

PRECEDENCES = click.Choice([p.value for p in Precedence], case_sensitive=False)
MARKINGS = click.Choice([m.value for m in Marking], case_sensitive=False)


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _utc(text: str, option: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a time like 2026-11-26T06:00:00Z", param_hint=option
        ) from None
    if value.utcoffset() is None:
        raise click.BadParameter("give a UTC time ending in Z", param_hint=option)
    return value.astimezone(UTC)


def _lead_text(spec: TypeSpec) -> str:
    if spec.lead_time is None:
        return "-"
    hours = spec.lead_time.minimum.total_seconds() / 3600
    return f"{hours:g} h ({spec.lead_time.outcome.value})"


def _spec_json(spec: TypeSpec) -> dict[str, Any]:
    return {
        "type": spec.name,
        "version": spec.version,
        "title": TEXTS[f"type.{spec.name}"].en,
        "basis": TEXTS[f"basis.{spec.basis}"].en if spec.basis else None,
        "precedences": [p.value for p in spec.precedences],
        "default_precedence": spec.default_precedence.value,
        "lead_time_s": int(spec.lead_time.minimum.total_seconds()) if spec.lead_time else None,
        "lead_time_outcome": spec.lead_time.outcome.value if spec.lead_time else None,
        "immediate_ack": spec.immediate_ack,
    }


# --- hotline catalogue list / show -----------------------------------------------------------


@click.group("catalogue")
def catalogue_group() -> None:
    """The notification types: list them, show one in detail."""


@catalogue_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def list_command(as_json: bool) -> None:
    """List every notification type with its version, precedences and lead time."""
    if as_json:
        _echo_json([_spec_json(spec) for spec in CATALOGUE])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("type", "version", "title", "precedences", "lead time", box=None)
    for spec in CATALOGUE:
        table.add_row(
            spec.name,
            spec.version,
            TEXTS[f"type.{spec.name}"].en,
            ", ".join(p.value for p in spec.precedences),
            _lead_text(spec),
        )
    Console(width=140).print(table)


@catalogue_group.command("show")
@click.argument("type_name", metavar="TYPE")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--example", is_flag=True, help="Print only an example body, to start a file.")
@click.option("--schema", is_flag=True, help="Print only the JSON Schema of the type.")
def show_command(type_name: str, lang: str, as_json: bool, example: bool, schema: bool) -> None:
    """Show a type: its rules, fields, an example body and its rendering."""
    spec = CATALOGUE.spec(type_name)
    sample = examples()[spec.name]
    if example:
        _echo_json(body_object(sample.notification))
        return
    if schema:
        _echo_json(spec.model.model_json_schema())
        return
    fields = [
        {
            "name": name,
            "type": type_summary(info.annotation),
            "required": info.is_required(),
            "label": getattr(TEXTS[f"field.{name}"], lang) if f"field.{name}" in TEXTS else name,
            "description": info.description,
        }
        for name, info in spec.model.model_fields.items()
        if name != "type"
    ]
    if as_json:
        _echo_json(
            {**_spec_json(spec), "fields": fields, "example": body_object(sample.notification)}
        )
        return
    click.echo(f"{spec.name} {spec.version}: {getattr(TEXTS[f'type.{spec.name}'], lang)}")
    click.echo(" ".join((spec.model.__doc__ or "").split()))
    info = _spec_json(spec)
    click.echo(f"basis: {info['basis'] or '-'}")
    click.echo(
        f"precedences: {', '.join(info['precedences'])} (default {info['default_precedence']})"
    )
    click.echo(f"lead time: {_lead_text(spec)}")
    if spec.immediate_ack:
        click.echo("demands an immediate operator acknowledgement")
    click.echo("\nfields:")
    width = max(len(str(f["name"])) for f in fields)
    for f in fields:
        need = "required" if f["required"] else "optional"
        click.echo(f"  {str(f['name']).ljust(width)}  {f['type']} ({need}): {f['label']}")
    click.echo("\nexample body:")
    click.echo(json.dumps(body_object(sample.notification), ensure_ascii=False, indent=2))
    click.echo(f"\nrendering ({lang}, compact):")
    click.echo(render(sample.notification, sample.context, lang=lang, form="compact"), nl=False)


# --- reading a file --------------------------------------------------------------------------


def _read(stream: IO[bytes]) -> tuple[MessageFile, Notification]:
    data = stream.read()
    message = read_message_file(data)
    try:
        notification = decode_body(message.body)
    except InvalidNotificationError as exc:
        prefix = message.body_path
        issues = [
            Issue(f"{prefix}.{i.path}" if prefix and i.path else (i.path or prefix), i.message)
            for i in exc.issues
        ]
        raise InvalidNotificationError(issues) from None
    return message, notification


def _fail_issues(ctx: click.Context, name: str, issues: tuple[Issue, ...], as_json: bool) -> None:
    if as_json:
        _echo_json(
            {"valid": False, "errors": [{"path": i.path, "message": i.message} for i in issues]}
        )
    else:
        for issue in issues:
            click.echo(f"error: {name}: {issue}", err=True)
    ctx.exit(1)


# --- hotline render --------------------------------------------------------------------------


@click.command("render")
@click.argument("file", type=click.File("rb"))
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default="en", show_default=True)
@click.option(
    "--form", type=click.Choice(["readable", "compact"]), default="readable", show_default=True
)
@click.option(
    "--marking",
    type=MARKINGS,
    help="TEST, EXERCISE or REAL [default: the file's context, else TEST].",
)
@click.option(
    "--precedence", type=PRECEDENCES, help="[default: the file's context, else the type's default]"
)
@click.option("--from", "sender", help="Sending party, such as US.")
@click.option("--to", "recipients", multiple=True, help="Receiving party; repeat for several.")
@click.option("--number", type=click.IntRange(min=1), help="The sender's message number.")
@click.option("--released", help="Release time, UTC, like 2026-11-25T14:30:00Z.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def render_command(
    ctx: click.Context,
    file: IO[bytes],
    lang: str,
    form: str,
    marking: str | None,
    precedence: str | None,
    sender: str | None,
    recipients: tuple[str, ...],
    number: int | None,
    released: str | None,
    as_json: bool,
) -> None:
    """Render a notification FILE (a body, or {"context": ..., "body": ...}) as text.

    A body without a context renders as a draft marked TEST unless --marking says otherwise,
    so that a preview can never pass for a real message.
    """
    try:
        message, notification = _read(file)
    except InvalidNotificationError as exc:
        _fail_issues(ctx, file.name, exc.issues, as_json)
        return
    spec = CATALOGUE.spec_of(notification)
    base: dict[str, Any] = (
        message.context.model_dump()
        if message.context
        else {"precedence": spec.default_precedence, "marking": Marking.TEST}
    )
    overrides = {
        "precedence": precedence.upper() if precedence else None,
        "marking": marking.upper() if marking else None,
        "sender": sender,
        "recipients": recipients or None,
        "number": number,
        "released": _utc(released, "--released") if released else None,
    }
    base.update({k: v for k, v in overrides.items() if v is not None})
    try:
        context = RenderContext.model_validate(base)
    except ValidationError as exc:
        raise click.UsageError("; ".join(str(i) for i in issues_from(exc))) from None
    check_precedence(notification, context.precedence)
    text = render(
        notification, context, lang=lang, form="compact" if form == "compact" else "readable"
    )
    if as_json:
        _echo_json({"type": notification.type, "lang": lang, "form": form, "text": text})
    else:
        click.echo(text, nl=False)


# --- hotline validate ------------------------------------------------------------------------


def _rules(stream: IO[bytes] | None) -> ChannelRules:
    if stream is None:
        return DEFAULT_RULES
    try:
        return ChannelRules.model_validate_json(stream.read(), strict=True)
    except ValidationError as exc:
        problems = "; ".join(str(i) for i in issues_from(exc))
        raise click.BadParameter(f"{stream.name}: {problems}", param_hint="--rules") from None


@click.command("validate")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--precedence", type=PRECEDENCES, help="[default: the file's context, else the type's default]"
)
@click.option("--now", help="Check lead times as of this UTC time [default: the clock].")
@click.option("--rules", "rules_file", type=click.File("rb"), help="The channel's rules (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def validate_command(
    ctx: click.Context,
    file: IO[bytes],
    precedence: str | None,
    now: str | None,
    rules_file: IO[bytes] | None,
    as_json: bool,
) -> None:
    """Validate a notification FILE and check it against the release rules.

    Exit status 0 when it may be released (warnings are printed), 1 when it is invalid or a
    rule blocks it.
    """
    rules = _rules(rules_file)
    when = _utc(now, "--now") if now else datetime.now(UTC)
    try:
        message, notification = _read(file)
    except InvalidNotificationError as exc:
        _fail_issues(ctx, file.name, exc.issues, as_json)
        return
    spec = CATALOGUE.spec_of(notification)
    if precedence:
        chosen = Precedence(precedence.upper())
    elif message.context:
        chosen = message.context.precedence
    else:
        chosen = spec.default_precedence
    findings = check_release(notification, chosen, now=when, rules=rules)
    blocked = any(f.outcome is Outcome.BLOCK for f in findings)
    size = len(encode_body(notification))
    if as_json:
        _echo_json(
            {
                "valid": True,
                "releasable": not blocked,
                "type": notification.type,
                "version": notification.body_version,
                "precedence": chosen.value,
                "now": format_utc(when.replace(microsecond=0)),
                "size_bytes": size,
                "unknown_fields": list(notification.unknown_fields),
                "findings": [
                    {
                        "code": f.code,
                        "outcome": f.outcome.value,
                        "path": f.path,
                        "message": f.message,
                    }
                    for f in findings
                ],
            }
        )
    else:
        state = "blocked" if blocked else "ok"
        click.echo(
            f"{state}: {file.name}: {notification.type} {notification.body_version}, "
            f"{size} bytes, precedence {chosen.value}"
        )
        if notification.unknown_fields:
            click.echo(
                f"note: written in a newer version; fields this reader skips: "
                f"{', '.join(notification.unknown_fields)}"
            )
        for finding in findings:
            click.echo(str(finding), err=finding.outcome is Outcome.BLOCK)
    if blocked:
        ctx.exit(1)
