"""Catalogue throughput: encode, decode (valid and hostile), release checks, render, volumes.

    PYTHONPATH=src python bench/catalogue_bench.py

Prints figures; asserts nothing about speed. A channel carries up to 15,000 notifications a
year with bursts of hundreds a minute, and a node catching up decodes thousands a second.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from hotline.catalogue import (
    InvalidNotificationError,
    check_release,
    decode_body,
    encode_body,
    render,
    volumes,
)
from hotline.catalogue.examples import examples
from hotline.catalogue.registry import CATALOGUE


def per_second(fn: Callable[[], object], *, seconds: float = 0.3) -> float:
    """Calls per second, best of three runs of about ``seconds`` each."""
    rates = []
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            fn()
            count += 1
        rates.append(count / elapsed)
    return max(rates)


def refuse(data: bytes) -> None:
    try:
        decode_body(data)
    except InvalidNotificationError:
        return
    raise AssertionError("a broken body decoded")


def main() -> None:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    print(
        f"{'type':24} {'bytes':>6} {'encode/s':>10} {'decode/s':>10} {'check/s':>10} "
        f"{'render/s':>10} {'volumes/s':>10}"
    )
    columns: list[list[float]] = [[], [], [], [], []]
    for spec in CATALOGUE:
        example = examples()[spec.name]
        n, ctx = example.notification, example.context
        data = encode_body(n)
        rates = [
            per_second(lambda n=n: encode_body(n)),
            per_second(lambda data=data: decode_body(data)),
            per_second(lambda n=n, p=spec.default_precedence: check_release(n, p, now=now)),
            per_second(lambda n=n, ctx=ctx: render(n, ctx, lang="ru", form="readable")),
            per_second(lambda n=n: volumes(n, message_id="X-0001", party="X")),
        ]
        for column, rate in zip(columns, rates, strict=True):
            column.append(rate)
        if not n.placed_areas():
            columns[4].pop()  # nothing to export: not a meaningful volumes figure
        print(f"{spec.name:24} {len(data):6d} " + " ".join(f"{r:10.0f}" for r in rates))
    names = ("encode", "decode", "check", "render", "volumes")
    for name, column in zip(names, columns, strict=True):
        print(
            f"{name:8}: median {statistics.median(column):8.0f}/s, "
            f"slowest type {min(column):8.0f}/s"
        )

    polygon = json.loads(encode_body(examples()["hazard_warning"].notification))
    ring = [
        [30 + 0.5 * __import__("math").cos(i / 160), 44 + 0.5 * __import__("math").sin(i / 160)]
        for i in range(999)
    ]
    polygon["area"]["coordinates"] = [[*ring, ring[0]]]
    big = json.dumps(polygon).encode()
    print(
        f"hazard warning with a 1000-corner polygon ({len(big)} bytes): "
        f"{per_second(lambda: decode_body(big)):.0f} decodes/s"
    )
    garbage = b"{" * 60_000
    print(f"hostile: 60 KB of nesting refused at {per_second(lambda: refuse(garbage)):.0f}/s")
    oversized = b" " * 10_000_000
    rate = per_second(lambda: refuse(oversized))
    print(f"hostile: 10 MB body refused before parsing at {rate:.0f}/s")


if __name__ == "__main__":
    main()
