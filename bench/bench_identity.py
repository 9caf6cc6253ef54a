"""Print the cost of identity operations: key checks, card parsing, fingerprints, key files.

PYTHONPATH=src python bench/bench_identity.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.protocol import IdentityCard, PartySecretKeys, fingerprint
from hotline.protocol.edwards import point_problem
from hotline.storage.keyfiles import read_party_keys, write_party_keys
from hotline.testing.identities import make_identity


def measure(name: str, action: Callable[[], object], repeat: int) -> None:
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    per_op = (time.perf_counter() - start) / repeat
    print(f"{name:<52} {per_op * 1e3:9.3f} ms   {1 / per_op:10.0f} /s")


def main() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    raw_keys = [Ed25519PrivateKey.generate().public_key().public_bytes_raw() for _ in range(200)]
    keys = iter(raw_keys)
    measure(
        "Ed25519 public key check (uncached, field maths)",
        lambda: point_problem.__wrapped__(next(keys)),
        200,
    )
    identity = make_identity("US", ("hq", "sea-1", "air-1"), at=now)
    data = identity.card.to_bytes()
    print(f"card size with 3 nodes: {len(data)} bytes")
    point_problem.cache_clear()
    measure(
        "IdentityCard.from_bytes, 3 nodes (keys cached)", lambda: IdentityCard.from_bytes(data), 200
    )
    card = IdentityCard.from_bytes(data)
    measure(
        "fingerprint (5,200 x SHA-512)",
        lambda: fingerprint(card.party, card.keys.ed25519, card.keys.mldsa65),
        50,
    )
    measure(
        "make_identity: party keys + 3 nodes + card",
        lambda: make_identity("RU", ("a", "b", "c"), at=now),
        50,
    )
    secret = PartySecretKeys.generate("US")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "party.key"
        measure(
            "write party key sealed, Argon2id 64 MiB t=3 p=4",
            lambda: write_party_keys(path, secret, passphrase=b"pw", overwrite=True),
            5,
        )
        measure("read party key sealed (same)", lambda: read_party_keys(path, passphrase=b"pw"), 5)


if __name__ == "__main__":
    main()
