"""Ready-made channel members for tests and the simulation: keys, charter, configs.

Keys are derived from the party name and a seed, so a simulation replays byte for byte where
signatures are deterministic (Ed25519) and costs no key generation after the first run.

Charter members need identity-card bytes. `placeholder_card` makes a clearly labelled stand-in
(the public keys as JSON behind a "PLACEHOLDER" magic); it is not an identity card and nothing
outside tests may accept it. Real channels carry the cards of `hotline.protocol.identity`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey

from hotline.protocol.channel import ChannelConfig, LocalKeys
from hotline.protocol.charter import Charter, CharterMember
from hotline.protocol.envelope import canonical_json
from hotline.protocol.link import Tuning
from hotline.protocol.members import MemberDirectory, MemberKeys

PLACEHOLDER_CARD_MAGIC = b"HOTLINE-TEST-PLACEHOLDER-CARD\x00"
T0_MS = 1_790_000_000_000  # 2026-09-21T12:53:20Z: a fixed start for reproducible tests


@dataclass(frozen=True, slots=True)
class SampleParty:
    """A member with its secret keys and the public keys the others hold for it."""

    keys: LocalKeys
    public: MemberKeys

    @property
    def party(self) -> str:
        return self.keys.party


def _seed(label: str, party: str, seed: int) -> bytes:
    return hashlib.sha256(f"hotline-test/{label}/{party}/{seed}".encode()).digest()


@lru_cache(maxsize=256)
def sample_party(party: str, seed: int = 0) -> SampleParty:
    """Deterministic keys for ``party`` (same name and seed, same keys)."""
    node = Ed25519PrivateKey.from_private_bytes(_seed("node", party, seed))
    ed = Ed25519PrivateKey.from_private_bytes(_seed("party-ed25519", party, seed))
    ml = MLDSA65PrivateKey.from_seed_bytes(_seed("party-mldsa65", party, seed))
    public = MemberKeys(
        party=party,
        ed25519=ed.public_key().public_bytes_raw(),
        mldsa65=ml.public_key().public_bytes_raw(),
        node_keys=(node.public_key().public_bytes_raw(),),
    )
    return SampleParty(LocalKeys(party, node, ed, ml), public)


def placeholder_card(keys: MemberKeys) -> bytes:
    """A labelled stand-in for an identity card: NOT a card, for tests only."""
    doc = {
        "party": keys.party,
        "ed25519": keys.ed25519.hex(),
        "mldsa65_sha256": hashlib.sha256(keys.mldsa65).hexdigest(),
        "node_keys": [k.hex() for k in keys.node_keys],
    }
    return PLACEHOLDER_CARD_MAGIC + canonical_json(doc)


def sample_charter(
    members: Sequence[SampleParty],
    *,
    proposer: str | None = None,
    name: str = "Test channel",
    created_ms: int = T0_MS,
    settings: Mapping[str, object] | None = None,
) -> bytes:
    """Canonical charter bytes for these members; ``settings`` override Charter fields."""
    ordered = sorted(members, key=lambda m: m.party)
    entries = []
    for m in ordered:
        card = placeholder_card(m.public)
        fingerprint = hashlib.sha256(card).hexdigest()[:20]
        entries.append(CharterMember(party=m.party, fingerprint=fingerprint, card=card))
    fields: dict[str, object] = {
        "name": name,
        "proposer": proposer or ordered[0].party,
        "created_ms": created_ms,
        "members": entries,
    }
    fields.update(settings or {})
    charter = Charter(**fields)  # type: ignore[arg-type]
    return charter.to_bytes()


def sample_configs(
    parties: Sequence[str],
    *,
    seed: int = 0,
    proposer: str | None = None,
    tuning: Tuning | None = None,
    settings: Mapping[str, object] | None = None,
) -> dict[str, ChannelConfig]:
    """One ChannelConfig per party, all over the same charter."""
    members = [sample_party(p, seed) for p in parties]
    charter = sample_charter(members, proposer=proposer, settings=settings)
    directory = MemberDirectory({m.party: m.public for m in members})
    return {m.party: ChannelConfig(charter, m.keys, directory, tuning or Tuning()) for m in members}


__all__ = [
    "PLACEHOLDER_CARD_MAGIC",
    "T0_MS",
    "SampleParty",
    "placeholder_card",
    "sample_charter",
    "sample_configs",
    "sample_party",
]
