"""Merkle trees over a sender's log, as in RFC 9162 (Certificate Transparency v2), SHA-256.

Leaves are envelope ids in sequence order (leaf i = envelope seq i + 1). A checkpoint signs the
tree head over the first `size` leaves; an inclusion proof shows one envelope belongs to it; a
consistency proof shows a later head extends an earlier one (the log was only appended to).

Levels are built bottom-up, promoting the last node of an odd level unchanged; that gives the
same tree as RFC 9162's recursive split at the largest power of two below n (tested).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from hotline.errors import LocalProtocolError


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    level = [leaf_hash(x) for x in leaves]
    levels = [level]
    while len(level) > 1:
        pairs = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            pairs.append(level[-1])
        level = pairs
        levels.append(level)
    return levels


def tree_head(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]); the empty tree's head is SHA-256 of nothing."""
    if not leaves:
        return EMPTY_ROOT
    return _levels(leaves)[-1][0]


class MerkleFrontier:
    """Append-only running tree head in O(log n) memory: what a live channel keeps per sender."""

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []  # (height, root of a perfect subtree)
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def append(self, data: bytes) -> None:
        node, height = leaf_hash(data), 0
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node, height = node_hash(left, node), height + 1
        self._stack.append((height, node))
        self._size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Audit path for leaf `index` in the tree over all of `leaves` (RFC 9162 2.1.3.1)."""
    if not 0 <= index < len(leaves):
        raise LocalProtocolError(f"leaf index {index} outside tree of size {len(leaves)}")
    proof: list[bytes] = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        index //= 2
    return proof


def verify_inclusion(
    data: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does leaf `data` sit at `index` of the tree of `size` with `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, node = index, size - 1, leaf_hash(data)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = node_hash(p, node)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            node = node_hash(node, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and node == root


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Proof that the first `old_size` leaves are a prefix of `leaves` (RFC 9162 2.1.4.1)."""
    if not 0 < old_size <= len(leaves):
        raise LocalProtocolError(f"old size {old_size} not in 1..{len(leaves)}")
    return _subproof(old_size, list(leaves), True)


def _subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [tree_head(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete), tree_head(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), tree_head(leaves[:k])]


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (new_size, new_root) an extension of (old_size, old_root)?"""
    if old_size < 1 or old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself on the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
