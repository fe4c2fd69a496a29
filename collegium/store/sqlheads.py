"""The heads of the hash chains on SQL: read in code point order, looked up where a list put them.

Each kind of chain has a table of rows recording each chain's length and last hash, and a table of
events keyed by (chain id, seq): :data:`CHAINS`. A new kind of chain is one more entry there (and in
:data:`collegium.store.heads.KINDS`).

Ordered by code point on every backend: SQLite compares text as its UTF-8 bytes already; PostgreSQL
sorts by ``COLLATE "C"`` (byte order), MariaDB by the id cast to bytes (its text collations fold
case, and a PAD SPACE one ignores trailing spaces).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Connection, LargeBinary, Table, cast, select

from collegium.store import schema as s
from collegium.store.heads import KINDS, ChainHead, StoredHead

_PAGE = 2000  # rows fetched at a time from a streamed result


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainTables:
    """Where one kind of chain is kept: its rows (id, length, last hash) and its events (chain id,
    seq, hash)."""

    rows: Table
    row_id: Column[str]
    length: Column[int]
    head: Column[str]
    events: Table
    event_chain: Column[str]
    seq: Column[int]
    hash: Column[str]


CHAINS: dict[str, ChainTables] = {
    "body": ChainTables(
        rows=s.bodies,
        row_id=s.bodies.c.id,
        length=s.bodies.c.event_count,
        head=s.bodies.c.head_hash,
        events=s.body_events,
        event_chain=s.body_events.c.body_id,
        seq=s.body_events.c.seq,
        hash=s.body_events.c.hash,
    ),
    "instance": ChainTables(
        rows=s.instances,
        row_id=s.instances.c.id,
        length=s.instances.c.event_count,
        head=s.instances.c.head_hash,
        events=s.events,
        event_chain=s.events.c.instance_id,
        seq=s.events.c.seq,
        hash=s.events.c.hash,
    ),
}
assert tuple(sorted(CHAINS)) == KINDS


def by_code_point(column: Column[str], dialect: str) -> ColumnElement[str] | ColumnElement[bytes]:
    """``column`` as an ORDER BY term that sorts by code point on ``dialect``."""
    if dialect == "postgresql":
        return column.collate("C")
    if dialect in ("mysql", "mariadb"):
        return cast(column, LargeBinary)
    return column


def chain_heads(conn: Connection) -> Iterator[ChainHead]:
    """Every chain's head as its row records it, kind by kind, each by chain id in code point
    order."""
    streamed = conn.execution_options(stream_results=True, yield_per=_PAGE)
    for kind in KINDS:
        t = CHAINS[kind]
        order = by_code_point(t.row_id, conn.dialect.name)
        q = select(t.row_id, t.length, t.head).order_by(order)
        for chain_id, length, head in streamed.execute(q):
            yield ChainHead(kind=kind, chain_id=chain_id, seq=length, hash=head)


def stored_heads(conn: Connection, heads: Sequence[ChainHead]) -> list[StoredHead]:
    """What the store holds at each of ``heads``: two queries per kind among them."""
    rows: dict[tuple[str, str], int] = {}
    hashes: dict[tuple[str, str, int], str] = {}
    for kind in sorted({h.kind for h in heads}):
        t = CHAINS[kind]
        mine = [h for h in heads if h.kind == kind]
        ids = {h.chain_id for h in mine}
        # compared again here, exactly: a case-insensitive collation may return a row of another id
        chains = select(t.row_id, t.length).where(t.row_id.in_(ids))
        rows.update(((kind, chain_id), length) for chain_id, length in conn.execute(chains))
        # ids IN (…) AND seqs IN (…), then the pairs picked out here: each side is an index range on
        # every backend, where SQLite scans the whole table for (id, seq) IN (VALUES …)
        wanted = {(h.chain_id, h.seq) for h in mine}
        points = select(t.event_chain, t.seq, t.hash).where(
            t.event_chain.in_(ids), t.seq.in_({h.seq for h in mine})
        )
        hashes.update(
            ((kind, chain_id, seq), digest)
            for chain_id, seq, digest in conn.execute(points)
            if (chain_id, seq) in wanted
        )
    return [
        StoredHead(
            head=h,
            chain_exists=h.key in rows,
            recorded=rows.get(h.key),
            hash=hashes.get((*h.key, h.seq)),
        )
        for h in heads
    ]
