"""The heads of the hash chains: what a signed checkpoint lists, and what the store holds there.

Every hash chain has a kind and an id: ``("instance", id)`` is an instance's chain of events
(:mod:`collegium.engine.audit`), ``("body", id)`` a body's chain of definitions
(:mod:`collegium.store.bodychain`). A head is the chain's length and the hash of its last event;
every chain's first event links to :data:`GENESIS`.
Heads are ordered by kind, then id, both compared by code point (the order of their UTF-8 bytes):
the stores yield them and a checkpoint lists them in that order, so its Merkle root does not
depend on the database's collation.

A new kind of chain is a name in :data:`KINDS` (kept sorted), an entry in
``collegium.store.sqlheads.CHAINS`` and its branch in ``MemoryStore.chain_heads`` and
``stored_heads``; checkpoints, their file and their checks need nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

#: the hash the first event of every chain links to, as if it followed an event of this hash
GENESIS = "0" * 64
#: the kinds of hash chain, in canonical order
KINDS = ("body", "instance")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainHead:
    """A chain's head: ``seq`` events long, the last one hashing to ``hash`` (64 hex digits)."""

    kind: str
    chain_id: str
    seq: int
    hash: str

    @property
    def key(self) -> tuple[str, str]:
        """(kind, chain id): what heads are ordered by."""
        return self.kind, self.chain_id

    def leaf(self) -> bytes:
        """The head as a Merkle leaf and as a line of a checkpoint: the canonical JSON of
        ``[kind, chain id, seq, hash]``, UTF-8."""
        return orjson.dumps([self.kind, self.chain_id, self.seq, self.hash])

    def __str__(self) -> str:
        return f"event {self.seq} of {self.kind} {self.chain_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredHead:
    """What the store holds where a checkpoint put ``head``: whether the chain's row is there (and
    the length it records), and the hash of the chain's event ``head.seq`` (None: no such event)."""

    head: ChainHead
    chain_exists: bool
    recorded: int | None
    hash: str | None
