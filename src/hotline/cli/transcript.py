"""`hotline verify`, `hotline prove`, `hotline verify-proof`: transcripts and proofs, offline.

Exit status: 0 valid (or proof written), 1 the transcript or proof does not verify (the first
problem is named on stderr), 2 the file cannot be read or the command line is wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

import click
import msgspec

from hotline.protocol.members import members_from_cards
from hotline.protocol.proofs import (
    CannotProveError,
    ProofError,
    build_proof,
    describe_proof,
    verify_proof,
)
from hotline.protocol.transcript import (
    MAX_LINE_BYTES,
    Check,
    MembersOf,
    Report,
    TranscriptVerifier,
    format_duration_ms,
    format_ms,
)

# How member cards in a charter become keys: real identity cards, verified, with the
# fingerprints the charter records. Everything else takes it as a parameter.
MEMBERS_OF: MembersOf = members_from_cards

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def _die(message: str, status: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        _die(f"cannot read {path}: {exc.strerror or exc}", EXIT_UNREADABLE)


def _lines(stream: BinaryIO, path: Path) -> Iterator[bytes]:
    """The file's lines, each at most one byte over the limit (the verifier names it)."""
    try:
        while line := stream.readline(MAX_LINE_BYTES + 1):
            yield line
    except OSError as exc:
        _die(f"cannot read {path}: {exc.strerror or exc}", EXIT_UNREADABLE)


def check_transcript(path: Path, members_of: MembersOf = MEMBERS_OF, jobs: int = 1) -> Report:
    """Verify the transcript file at `path`, reading it once, line by line."""
    with _open(path) as stream:
        if jobs > 1:
            from hotline.cli.parallel import verify_with_processes

            return verify_with_processes(_lines(stream, path), members_of, jobs)
        verifier = TranscriptVerifier(members_of)
        for line in _lines(stream, path):
            if not verifier.feed(line):
                break
    return verifier.finish()


@click.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for the signature checks (same report, less time on many cores).",
)
def verify(file: Path, as_json: bool, jobs: int) -> None:
    """Verify a transcript FILE offline: every signature, chain link, cross-link, receipt,
    checkpoint and the charter. Exit 0 and a summary if valid; otherwise exit 1 and the first
    problem: which line, which member and seq, what is wrong."""
    report = check_transcript(file, jobs=jobs)
    if as_json:
        click.echo(msgspec.json.encode(report))
    else:
        for line in summary_lines(report):
            click.echo(line)
    if not report.valid:
        if not as_json:
            more = len(report.problems) - 1
            also = f" (and {more} more: see --json)" if more else ""
            click.echo(f"INVALID: {report.problems[0]}{also}", err=True)
        sys.exit(EXIT_INVALID)


def summary_lines(report: Report) -> list[str]:
    """The report for a person: verdict, then what the transcript holds."""
    s = report.summary
    if report.valid:
        head = f"VALID transcript of channel {s.channel_name!r} ({s.channel[:16]}...)"
    elif all(p.check is Check.EQUIVOCATION for p in report.problems):
        head = f"Transcript of channel {s.channel_name!r} ({s.channel[:16]}...), read to the end"
    else:
        return []  # stopped at the first problem: the stderr line says it all
    lines = [head]
    if s.exported_by:
        lines.append(f"  exported by {s.exported_by} at {s.exported_at}")
    span = ""
    if s.first_t_ms is not None and s.last_t_ms is not None:
        span = f", from {format_ms(s.first_t_ms)} to {format_ms(s.last_t_ms)}"
    lines.append(f"  {s.lines} lines, {s.envelopes} envelopes{span}")
    kinds = sorted({k for m in s.members for k in m.by_kind})
    if kinds:
        width = max(len(k) for k in kinds) + 2
        lines.append("  envelopes".ljust(width + 4) + "".join(m.party.rjust(8) for m in s.members))
        for kind in kinds:
            counts = "".join(str(m.by_kind.get(kind, 0)).rjust(8) for m in s.members)
            lines.append(f"    {kind.ljust(width)}{counts}")
    for prec, row in s.notifications.items():
        counts = ", ".join(f"{mark} {n}" for mark, n in row.items())
        lines.append(f"  notifications {prec}: {counts}")
    a = s.acks
    if a is not None and a.notifications:
        lines.append(
            f"  acknowledged: {a.acknowledged} of {a.notifications} notifications"
            f" ({a.unacknowledged} not), {a.acks} acks"
        )
        if a.p50_ms is not None and a.max_ms is not None:
            lines.append(
                f"  ack latency: p50 {format_duration_ms(a.p50_ms)},"
                f" max {format_duration_ms(a.max_ms)}, {a.late} later than the charter's window"
            )
    for c in s.receipts:
        lines.append(
            f"  receipts: {c.receiver} has receipted {c.sender} up to seq {c.receipted_seq}"
            f" of {c.chain_length}"
        )
    for m in s.members:
        accepted = "accepted the charter" if m.accepted_charter else "has NOT accepted the charter"
        covers = f" (newest covers seq 1..{m.checkpointed} of {m.chain_length})"
        lines.append(
            f"  {m.party}: {accepted}; {m.checkpoints} checkpoints verified"
            f"{covers if m.checkpoints else ''}, {m.cosigns} cosigns verified"
        )
    lines.append(f"  withheld bodies: {s.withheld_bodies}")
    for w in s.witnesses:
        lines.append(
            f"  relay {w.relay} (card {w.fingerprint}): {w.deposits} deposit and"
            f" {w.deliveries} delivery witnesses verified"
        )
    for e in report.equivocations:
        lines.append(
            f"  EQUIVOCATION: {e.party} seq {e.seq}: line {e.first_line} (id {e.first_id[:16]}...)"
            f" and line {e.second_line} (id {e.second_id[:16]}...)"
        )
    return lines


def _party_seq(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, int]:
    party, sep, seq = value.partition(":")
    if not sep or not party or not seq.isdigit() or int(seq) < 1:
        raise click.BadParameter(f"{value!r}: expected PARTY:SEQ, for example US:17")
    return party, int(seq)


@click.command("prove")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--envelope",
    "target",
    required=True,
    callback=_party_seq,
    metavar="PARTY:SEQ",
    help="The envelope to prove, e.g. US:17.",
)
@click.option("--with-ack", is_flag=True, help="Also prove a peer's acknowledgement of it.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the proof here (default: standard output).",
)
def prove(file: Path, target: tuple[str, int], with_ack: bool, out: Path | None) -> None:
    """Prove one envelope of a transcript FILE to a third party, without the rest: the
    envelope, its sender's signed checkpoint, the Merkle audit path, the peers' cosigns."""
    party, seq = target
    with _open(file) as stream:
        try:
            proof = build_proof(_lines(stream, file), party, seq, MEMBERS_OF, with_ack=with_ack)
        except CannotProveError as exc:
            _die(str(exc), EXIT_INVALID)
    data = proof.to_bytes()
    if out is None:
        click.echo(data, nl=False)
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        _die(f"cannot write {out}: {exc.strerror or exc}", EXIT_UNREADABLE)
    also = " and its acknowledgement" if with_ack else ""
    click.echo(f"wrote a proof of {party} seq {seq}{also} to {out}", err=True)


@click.command("verify-proof")
@click.argument("proof", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what is proven as JSON.")
def verify_proof_command(proof: Path, as_json: bool) -> None:
    """Verify a PROOF made by `hotline prove` and print exactly what it proves: who said
    what, when, in which channel, acknowledged by whom and when."""
    with _open(proof) as stream:
        try:
            data = stream.read()
        except OSError as exc:
            _die(f"cannot read {proof}: {exc.strerror or exc}", EXIT_UNREADABLE)
    try:
        report = verify_proof(data, MEMBERS_OF)
    except ProofError as exc:
        if as_json:
            click.echo(msgspec.json.encode({"valid": False, "error": str(exc)}))
        _die(f"the proof does not verify: {exc}", EXIT_INVALID)
    if as_json:
        click.echo(msgspec.json.encode({"valid": True, "proven": report}))
        return
    for line in describe_proof(report):
        click.echo(line)
