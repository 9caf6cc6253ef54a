"""Ready-made identities for tests: a party with its secret keys, node keys and card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.protocol.identity import IdentityCard, issue_card, issue_node_certificate
from hotline.protocol.keys import NodeSecretKey, PartySecretKeys


@dataclass(frozen=True)
class SampleIdentity:
    """A party's secret keys, its node keys by name, and its verified card."""

    secret: PartySecretKeys
    nodes: dict[str, NodeSecretKey]
    card: IdentityCard

    @property
    def party(self) -> str:
        return self.secret.party


def make_identity(
    party: str = "US",
    nodes: Sequence[str] = ("node-1",),
    *,
    at: datetime,
    valid: timedelta = timedelta(days=365),
) -> SampleIdentity:
    """A fresh party whose node certificates are valid from ``at`` for ``valid``."""
    secret = PartySecretKeys.generate(party)
    node_keys = {name: NodeSecretKey.generate(party, name) for name in nodes}
    certs = [
        issue_node_certificate(secret, name, key.public_key, at, at + valid)
        for name, key in node_keys.items()
    ]
    return SampleIdentity(secret, node_keys, issue_card(secret, certs, at))
