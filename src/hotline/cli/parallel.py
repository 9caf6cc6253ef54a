"""`hotline verify --jobs N`: the signature checks spread over N worker processes.

Workers run `LineOpener.precheck` (canonical line, frame, signer, Ed25519, header, body hash) on
batches of lines and send back tiny answers; this process feeds every line, in order, to the
one `TranscriptVerifier`, which repeats everything but the signature check and does all checks
that need other lines. The result is the same `Report` as with one process. At most
2 * N batches are in flight, so memory stays bounded whatever the file's size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from hotline.protocol.transcript import MembersOf, Report, TranscriptVerifier
from hotline.protocol.transcript_open import LineOpener, Prechecked

BATCH_LINES = 2000

_opener: LineOpener | None = None


def _start_worker(opener: LineOpener) -> None:
    global _opener
    _opener = opener


def _precheck(lines: list[bytes]) -> list[Prechecked]:
    assert _opener is not None
    return [_opener.precheck(line) for line in lines]


def verify_with_processes(lines: Iterator[bytes], members_of: MembersOf, jobs: int) -> Report:
    """Verify like `verify_transcript`, with `jobs` worker processes checking signatures."""
    verifier = TranscriptVerifier(members_of)
    head = next(lines, None)
    if head is None or not verifier.feed(head) or verifier.opener is None:
        return verifier.finish()
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(verifier.opener,)) as pool:
        in_flight: deque[tuple[list[bytes], Future[list[Prechecked]]]] = deque()

        def submit() -> None:
            batch = list(islice(lines, BATCH_LINES))
            if batch:
                in_flight.append((batch, pool.submit(_precheck, batch)))

        for _ in range(2 * jobs):
            submit()
        while in_flight:
            batch, future = in_flight.popleft()
            answers = future.result()
            submit()
            for line, answer in zip(batch, answers, strict=True):
                if not verifier.feed(line, answer):
                    for _, pending in in_flight:
                        pending.cancel()
                    return verifier.finish()
    return verifier.finish()
