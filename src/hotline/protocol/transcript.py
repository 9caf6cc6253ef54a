"""Transcripts: everything said in a channel, exported as a file anyone can verify offline.

The public face of five small modules:

- `transcript_format`: the JSON Lines format (head line, one line per envelope, signed end line);
- `transcript_export`: `export_lines` and the line writer, in causal order;
- `transcript_open`: the checks of one envelope line that need no other line (signatures);
- `transcript_verify`: `verify_transcript`, the auditor's one-pass check of every rule;
- `transcript_report`: the `Report` it returns (first problem, equivocations, summary).

Pure functions over bytes: reading and writing files is the caller's job (`hotline verify`).
Member keys come from the cards in the charter, read by a `MembersOf` function.
"""

from __future__ import annotations

from hotline.protocol.transcript_export import TranscriptWriter, export_lines, order_causally
from hotline.protocol.transcript_format import (
    FORMAT,
    MAX_LINE_BYTES,
    VERSION,
    EndLine,
    EnvelopeLine,
    HeadLine,
    format_duration_ms,
    format_ms,
)
from hotline.protocol.transcript_report import (
    AckSummary,
    Check,
    Coverage,
    Equivocation,
    MemberSummary,
    Problem,
    Report,
    Summary,
)
from hotline.protocol.transcript_verify import MembersOf, TranscriptVerifier, verify_transcript

__all__ = [
    "FORMAT",
    "MAX_LINE_BYTES",
    "VERSION",
    "AckSummary",
    "Check",
    "Coverage",
    "EndLine",
    "EnvelopeLine",
    "Equivocation",
    "HeadLine",
    "MemberSummary",
    "MembersOf",
    "Problem",
    "Report",
    "Summary",
    "TranscriptVerifier",
    "TranscriptWriter",
    "export_lines",
    "format_duration_ms",
    "format_ms",
    "order_causally",
    "verify_transcript",
]
