"""The Merkle tree hash of RFC 6962 (Certificate Transparency), computed as the leaves stream by.

A leaf hashes to SHA-256(0x00 ‖ leaf data), an inner node to SHA-256(0x01 ‖ left ‖ right); a tree of
n leaves splits at the largest power of two below n, and a tree of no leaves hashes to SHA-256 of
nothing. The prefixes keep a leaf from passing for an inner node. :class:`MerkleRoot` keeps one hash
per complete subtree (at most one per bit of the count): a million leaves, some twenty hashes.
"""

from __future__ import annotations

import hashlib

_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 ‖ ``data``)."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ ``left`` ‖ ``right``)."""
    return hashlib.sha256(_NODE + left + right).digest()


class MerkleRoot:
    """The RFC 6962 tree hash of the leaves added so far, in the order they were added."""

    def __init__(self) -> None:
        self._subtrees: list[tuple[int, bytes]] = []  # (leaf count, hash), counts decreasing
        self.count = 0  #: leaves added

    def add(self, data: bytes) -> None:
        """Add the next leaf (its data, not yet hashed)."""
        size, digest = 1, leaf_hash(data)
        while self._subtrees and self._subtrees[-1][0] == size:
            left_size, left = self._subtrees.pop()
            size, digest = left_size + size, node_hash(left, digest)
        self._subtrees.append((size, digest))
        self.count += 1

    def digest(self) -> bytes:
        """The root over every leaf added: the complete subtrees joined from the right, which is
        where RFC 6962 splits."""
        if not self._subtrees:
            return hashlib.sha256(b"").digest()
        digest = self._subtrees[-1][1]
        for _, left in reversed(self._subtrees[:-1]):
            digest = node_hash(left, digest)
        return digest

    def hexdigest(self) -> str:
        """:meth:`digest` as lower-case hex."""
        return self.digest().hex()
