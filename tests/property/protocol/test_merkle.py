"""Merkle trees against the recursive definitions of RFC 9162, written out here as reference."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from hotline.protocol import merkle


def reference_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:])).digest()


def reference_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*reference_path(m, leaves[:k]), reference_mth(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), reference_mth(leaves[:k])]


trees = st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=70)


@given(trees)
def test_tree_head_and_frontier_match_reference(leaves: list[bytes]) -> None:
    frontier = merkle.MerkleFrontier()
    for x in leaves:
        frontier.append(x)
    assert merkle.tree_head(leaves) == reference_mth(leaves)
    assert frontier.root() == reference_mth(leaves)
    assert frontier.size == len(leaves)


@given(trees, st.data())
def test_inclusion_proof_matches_reference_and_verifies(
    leaves: list[bytes], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(leaves) - 1))
    proof = merkle.inclusion_proof(i, leaves)
    root = merkle.tree_head(leaves)
    assert proof == reference_path(i, leaves)
    assert merkle.verify_inclusion(leaves[i], i, len(leaves), proof, root)
    assert not merkle.verify_inclusion(leaves[i] + b"x", i, len(leaves), proof, root)
    assert not merkle.verify_inclusion(leaves[i], i, len(leaves), proof, merkle.leaf_hash(root))
    assert not merkle.verify_inclusion(leaves[i], len(leaves), len(leaves), proof, root)


@given(trees, st.data())
def test_consistency_proof_verifies_and_detects_rewrite(
    leaves: list[bytes], data: st.DataObject
) -> None:
    m = data.draw(st.integers(1, len(leaves)))
    proof = merkle.consistency_proof(m, leaves)
    old_root, new_root = merkle.tree_head(leaves[:m]), merkle.tree_head(leaves)
    assert merkle.verify_consistency(m, len(leaves), proof, old_root, new_root)
    rewritten = [*leaves[: m - 1], leaves[m - 1] + b"!", *leaves[m:]]
    assert not merkle.verify_consistency(
        m, len(leaves), proof, merkle.tree_head(rewritten[:m]), new_root
    )


def test_empty_tree_head_is_sha256_of_nothing() -> None:
    assert merkle.tree_head([]) == hashlib.sha256(b"").digest()
    assert merkle.MerkleFrontier().root() == hashlib.sha256(b"").digest()
