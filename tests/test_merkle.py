"""The Merkle root over the chains' heads is RFC 6962's tree hash, computed as leaves stream by."""

from __future__ import annotations

import hashlib

from collegium.engine.merkle import MerkleRoot, leaf_hash, node_hash


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, as written."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_the_streamed_root_is_rfc_6962s() -> None:
    # the test vectors of Certificate Transparency's reference implementation
    vectors = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        bytes(range(0x50, 0x58)),
        bytes(range(0x60, 0x70)),
    ]
    roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    tree = MerkleRoot()
    for leaf, root in zip(vectors, roots, strict=True):
        tree.add(leaf)
        assert tree.hexdigest() == root
    for n in range(70):
        leaves = [str(i).encode() for i in range(n)]
        tree = MerkleRoot()
        for leaf in leaves:
            tree.add(leaf)
        assert tree.digest() == reference_root(leaves) and tree.count == n
