"""Protocol benchmarks: envelopes sealed/opened/encoded per second, transcript generation and
verification of 10^6 envelopes. Prints figures; asserts nothing about speed.

    PYTHONPATH=src python bench/protocol.py                     # 10^6 envelopes, one core
    PYTHONPATH=src python bench/protocol.py --envelopes 100000  # quicker
    PYTHONPATH=src python bench/protocol.py --keep /tmp/t.jsonl # reuse a generated file

Verification runs in this one process (one core), reading the file line by line, exactly as
`hotline verify` does. Generation is timed separately: it signs every envelope with
`cryptography` and every checkpoint and cosign with ML-DSA-65 too.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

from hotline.cli.parallel import verify_with_processes
from hotline.protocol.envelope import (
    Header,
    KeyTable,
    Kind,
    Mark,
    make_header,
    open_envelope,
    parse_header,
    seal,
)
from hotline.protocol.members import members_from_cards
from hotline.protocol.transcript import TranscriptVerifier, TranscriptWriter
from hotline.protocol.types import Marking, Precedence
from hotline.testing.transcripts import (
    TranscriptBuilder,
    drive,
    party_keys,
)


def rate(label: str, n: int, seconds: float, unit: str = "envelopes") -> None:
    print(f"  {label:<34} {n / seconds:>12,.0f} {unit}/s   ({seconds / n * 1e6:8.2f} us each)")


def micro(n: int) -> None:
    """Seal, open, encode and parse one realistic notification header, `n` times each."""
    keys = party_keys("US")
    table = KeyTable()
    kid = table.add("US", keys.node_public)
    body = b'{"text":"Flight of 2 aircraft, 44.9N 31.5E, 0600-0900Z, FL200-350","type":"free_text"}'
    seen = {"RU": Mark(seq=41_000, id="cd" * 32)}

    def header(seq: int) -> Header:
        return make_header(
            channel="ab" * 32, sender="US", seq=seq, prev="ef" * 32, seen=seen,
            now_ms=1_790_000_000_000 + seq, kind=Kind.NOTIFICATION, body=body,
            prec=Precedence.PRIORITY, mark=Marking.REAL,
        )  # fmt: skip

    t = time.perf_counter()
    headers = [header(i + 2) for i in range(n)]
    rate("make_header (validated)", n, time.perf_counter() - t, "headers")
    t = time.perf_counter()
    envelopes = [seal(h, body, keys.node, kid) for h in headers]
    rate("seal (Ed25519 sign, cryptography)", n, time.perf_counter() - t)
    t = time.perf_counter()
    for env in envelopes:
        open_envelope(env.raw, table)
    rate("open (verify + parse, libsodium)", n, time.perf_counter() - t)
    wires = [h.to_wire() for h in headers]
    t = time.perf_counter()
    for h in headers:
        h.to_wire()
    rate("encode header (canonical JSON)", n, time.perf_counter() - t, "headers")
    t = time.perf_counter()
    for w in wires:
        parse_header(w)
    rate("parse header (strict, canonical)", n, time.perf_counter() - t, "headers")
    size = len(envelopes[0].raw)
    print(f"  envelope size: {size} bytes (header {len(wires[0])}, body {len(body)})")


def generate(path: Path, envelopes: int, seed: int) -> float:
    """Stream a valid two-member transcript of `envelopes` envelopes to `path`; seconds taken."""
    t = time.perf_counter()
    with path.open("wb") as out:
        builder = TranscriptBuilder(("RU", "US"), seed=seed, checkpoint_every=256)
        writer = TranscriptWriter(
            builder.charter_bytes,
            exported_by="US",
            exported_at_ms=builder.now_ms,
            node_key=builder.keys["US"].node,
        )
        out.write(writer.head())
        builder._sink = lambda env: out.write(writer.envelope(env))  # stream, keep nothing
        drive(builder, envelopes, random.Random(seed))
        out.write(writer.end())
    return time.perf_counter() - t


def verify_file(path: Path, jobs: int = 1) -> tuple[float, float, int, bool]:
    """(wall seconds, CPU seconds of this process, envelopes, valid)."""
    t, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as stream:
        if jobs > 1:
            report = verify_with_processes(iter(stream), members_from_cards, jobs)
        else:
            verifier = TranscriptVerifier(members_from_cards)
            for line in stream:
                if not verifier.feed(line):
                    break
            report = verifier.finish()
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    if not report.valid:
        print(f"  INVALID: {report.problems[0]}")
    return seconds, cpu, report.summary.envelopes, report.valid


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--envelopes", type=int, default=1_000_000)
    parser.add_argument("--micro", type=int, default=20_000, help="iterations of micro benchmarks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate here (or reuse if it exists)")
    parser.add_argument("--jobs", type=int, default=1, help="also verify with N processes")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"micro benchmarks ({args.micro:,} each):")
    micro(args.micro)
    path = args.keep or Path(f"/tmp/hotline-bench-{os.getpid()}.jsonl")
    if path.exists() and args.keep:
        print(f"reusing {path}")
    else:
        cpu = time.process_time()
        seconds = generate(path, args.envelopes, args.seed)
        cpu = time.process_time() - cpu
        print(f"generation ({args.envelopes:,} envelopes, streamed to {path}):")
        rate("generate + export", args.envelopes, seconds)
        print(f"  total {seconds:.1f} s wall, {cpu:.1f} s CPU")
    size_mb = path.stat().st_size / 1e6
    seconds, cpu, envelopes, valid = verify_file(path)
    print(f"verification, one core ({envelopes:,} envelopes, {size_mb:,.0f} MB):")
    rate("verify transcript", envelopes, seconds)
    print(f"  total {seconds:.1f} s wall, {cpu:.1f} s CPU, valid: {valid}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process: {peak_mb:,.0f} MB")
    if args.jobs > 1:
        seconds, cpu, envelopes, valid = verify_file(path, args.jobs)
        print(f"verification with --jobs {args.jobs} ({os.cpu_count()} cores):")
        rate("verify transcript", envelopes, seconds)
        print(f"  total {seconds:.1f} s wall, {cpu:.1f} s CPU in the main process, valid: {valid}")
    if not args.keep:
        path.unlink()
    sys.exit(0 if valid else 1)


if __name__ == "__main__":
    main()
