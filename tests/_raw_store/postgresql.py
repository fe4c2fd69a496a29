"""PostgreSQL: the tuple versions in a table's pages, live and dead, the bytes around them, the WAL.

Reads through ``pageinspect`` (``get_raw_page``, ``heap_page_items``, ``tuple_data_split``) and
``pg_walinspect``; both need a superuser (or granted) connection. :func:`versions` lists each tuple
a line pointer still points at, with its raw ``t_xmin``/``t_xmax`` and its attributes decoded from
their stored form (inline, pglz-compressed, or out of line in the TOAST table). :func:`residue`
reads the rest of each page: pruning a page (by VACUUM or on access) marks dead tuples' line
pointers unused and compacts the live tuples, but leaves the old tuples' bytes, headers included, in
the page's free space, where ``heap_page_items`` no longer shows them, so a probe that stopped at
line pointers would miss them. :func:`wal_records` lists WAL records since a position with their
transaction id and the relations they write, and reads each record's data from the WAL files when
this process may read them (the server's own machine, as root or the server's user):
``pg_walinspect`` in PostgreSQL 15 shows no record data.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests._raw_store import Trace

_VERSIONS = sa.text("""
    SELECT b.blkno, h.lp, h.lp_off, h.lp_len, h.t_xmin::text::bigint, h.t_xmax::text::bigint,
           tuple_data_split(CAST(:rel AS regclass), h.t_data, h.t_infomask, h.t_infomask2, h.t_bits)
    FROM generate_series(0, pg_relation_size(CAST(:rel AS regclass))
                            / current_setting('block_size')::int - 1) AS b(blkno),
         heap_page_items(get_raw_page(CAST(:rel AS text), b.blkno::int)) AS h
    WHERE h.lp_flags = 1
    ORDER BY b.blkno, h.lp""")
_PAGES = sa.text("""
    SELECT get_raw_page(CAST(:rel AS text), b::int)
    FROM generate_series(0, pg_relation_size(CAST(:rel AS regclass))
                            / current_setting('block_size')::int - 1) AS b""")
_TABLES = sa.text("""
    SELECT relname FROM pg_class
    WHERE relkind = 'r' AND relname LIKE :prefix AND relnamespace = current_schema()::regnamespace
    ORDER BY relname""")
_ATTLENS = sa.text("""
    SELECT attlen FROM pg_attribute
    WHERE attrelid = CAST(:rel AS regclass) AND attnum > 0 ORDER BY attnum""")  # dropped ones too
_TOAST = sa.text("""
    SELECT reltoastrelid::regclass::text FROM pg_class
    WHERE oid = CAST(:rel AS regclass) AND reltoastrelid <> 0""")
# each relation's file number, and the table it belongs to (an index's table; a TOAST table's owner)
_OWNERS = sa.text("""
    SELECT pg_relation_filenode(c.oid), coalesce(owner.relname, t.relname)
    FROM pg_class c
    LEFT JOIN pg_index i ON i.indexrelid = c.oid
    JOIN pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
    LEFT JOIN pg_class owner ON owner.reltoastrelid = t.oid
    WHERE pg_relation_filenode(c.oid) IS NOT NULL""")
_WAL = sa.text("""
    SELECT w.start_lsn, w.xid::text::bigint, w.resource_manager, w.record_type, w.description,
           w.block_ref, w.record_length, f.file_name, f.file_offset
    FROM pg_get_wal_records_info_till_end_of_wal(CAST(:since AS pg_lsn)) AS w,
         pg_walfile_name_offset(w.start_lsn) AS f""")
_BLOCK_REF = re.compile(r"rel (\d+)/(\d+)/(\d+)")
#: WAL page size, and the length of the header of a segment's first page and of every other page
WAL_PAGE, LONG_HEADER, SHORT_HEADER = 8192, 40, 24

Row = tuple[int, int, int, int, int, int, list[bytes | None]]


class ProbeError(Exception):
    """The probe met a stored form it cannot read; it says so rather than report nothing."""


@dataclass(frozen=True, kw_only=True)
class TupleVersion:
    """One stored tuple of ``table`` at (``block``, ``lp``): its raw transaction ids and its
    attributes decoded."""

    table: str
    block: int
    lp: int
    xmin: int
    xmax: int
    values: tuple[bytes | None, ...]

    def trace(self) -> Trace:
        where = f"{self.table} ({self.block},{self.lp}) xmin {self.xmin} xmax {self.xmax}"
        content = b"\x1f".join(v or b"" for v in self.values)
        return Trace(where=where, tables=frozenset({self.table}), content=content)


@dataclass(frozen=True, kw_only=True)
class Residue:
    """A tuple header found in a page's free space (no line pointer points at it), and the bytes
    after it up to the next header or stored tuple, as stored (not decoded)."""

    table: str
    block: int
    offset: int
    xmin: int
    xmax: int
    content: bytes

    def trace(self) -> Trace:
        where = (
            f"{self.table} block {self.block} free space at {self.offset} "
            f"xmin {self.xmin} xmax {self.xmax}"
        )
        return Trace(where=where, tables=frozenset({self.table}), content=self.content)


def enable(conn: sa.Connection) -> None:
    """Create the extensions the probes read through (needs a superuser)."""
    conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_walinspect"))


def vacuum(url: str, *, checkpoint: bool = True) -> None:
    """VACUUM the whole database, then (by default) CHECKPOINT, so that the files on disk hold what
    the pages in memory do."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("VACUUM"))
            if checkpoint:
                conn.execute(sa.text("CHECKPOINT"))
    finally:
        engine.dispose()


def user_tables(conn: sa.Connection, prefix: str = "collegium_") -> list[str]:
    """The ordinary tables whose names start with ``prefix``, in the current schema."""
    return [str(t) for t in conn.execute(_TABLES, {"prefix": prefix + "%"}).scalars()]


def voter_xids(conn: sa.Connection, table: str = "collegium_ballot_voters") -> dict[int, str]:
    """The transaction id of each voter's vote: the ``xmin`` of their row in ``table``."""
    rows = conn.execute(sa.text(f"SELECT xmin::text::bigint, voter FROM {table}"))
    return {int(x): str(v) for x, v in rows}


def _attlens(conn: sa.Connection, rel: str) -> list[int]:
    return [int(n) for n in conn.execute(_ATTLENS, {"rel": rel}).scalars()]


def _raw_versions(conn: sa.Connection, rel: str) -> list[Row]:
    return [
        (int(b), int(lp), int(off), int(n), int(xmin), int(xmax), list(attrs or []))
        for b, lp, off, n, xmin, xmax, attrs in conn.execute(_VERSIONS, {"rel": rel})
    ]


def _toast_chunks(conn: sa.Connection, table: str) -> dict[int, bytes]:
    """Each out-of-line value of ``table``'s TOAST table, every version of its chunks included."""
    toast = conn.execute(_TOAST, {"rel": table}).scalar()
    if toast is None:
        return {}
    chunks: dict[int, dict[int, bytes]] = {}
    for *_, attrs in _raw_versions(conn, str(toast)):
        value_id = struct.unpack("<I", attrs[0] or bytes(4))[0]
        seq = struct.unpack("<i", attrs[1] or bytes(4))[0]
        chunks.setdefault(value_id, {})[seq] = _varlena(attrs[2] or b"\x03", {})
    return {v: b"".join(parts[k] for k in sorted(parts)) for v, parts in chunks.items()}


def versions(conn: sa.Connection, table: str) -> list[TupleVersion]:
    """Every tuple of ``table`` a line pointer points at, live or dead, its attributes decoded."""
    lens = _attlens(conn, table)
    toast = _toast_chunks(conn, table)
    found = []
    for block, lp, _off, _len, xmin, xmax, attrs in _raw_versions(conn, table):
        values = tuple(
            None if a is None else (_varlena(a, toast) if n == -1 else a)
            for a, n in zip(attrs, lens, strict=True)
        )
        found.append(
            TupleVersion(table=table, block=block, lp=lp, xmin=xmin, xmax=xmax, values=values)
        )
    return found


def _varlena(raw: bytes, toast: dict[int, bytes]) -> bytes:
    """A variable-length value's bytes from its stored form (postgres.h's varattrib_* layouts)."""
    first = raw[0]
    if first == 0x01:  # out of line: varatt_external after a 2-byte header
        raw_size, ext_info, value_id, _rel = struct.unpack_from("<iIII", raw, 2)
        data = toast.get(value_id)
        if data is None:
            return raw  # its chunks are gone: only the pointer remains
        if (ext_info & 0x3FFFFFFF) < raw_size - 4:  # stored compressed
            return _decompress(data[4:], struct.unpack_from("<I", data)[0])
        return data
    if first & 0x01:  # a short value: 1-byte header
        return raw[1 : first >> 1]
    header = struct.unpack_from("<I", raw)[0]
    size = header >> 2
    if header & 0x03 == 0x02:  # compressed inline
        return _decompress(raw[8:size], struct.unpack_from("<I", raw, 4)[0])
    return raw[4:size]


def _decompress(data: bytes, info: int) -> bytes:
    raw_size, method = info & 0x3FFFFFFF, info >> 30
    if method != 0:
        raise ProbeError(f"a value is compressed by method {method} (lz4?): this probe reads pglz")
    return _pglz(data, raw_size)


def _pglz(src: bytes, size: int) -> bytes:
    """PostgreSQL's pglz decompression (src/common/pg_lzcompress.c)."""
    out = bytearray()
    i = 0
    while i < len(src) and len(out) < size:
        control = src[i]
        i += 1
        for _ in range(8):
            if i >= len(src):
                break
            if control & 1:
                length = (src[i] & 0x0F) + 3
                offset = ((src[i] & 0xF0) << 4) | src[i + 1]
                i += 2
                if length == 18:
                    length += src[i]
                    i += 1
                for _ in range(length):
                    out.append(out[-offset])
            else:
                out.append(src[i])
                i += 1
            control >>= 1
    return bytes(out)


def residue(conn: sa.Connection, table: str, xids: Iterable[int]) -> list[Residue]:
    """Tuple headers in ``table``'s pages, outside every stored tuple, whose xmin or xmax is one of
    ``xids``.

    A header is recognised at an 8-byte aligned offset past the line pointers by its shape: a normal
    xmin, at most the table's number of attributes, a header length that is a multiple of 8 from 24.
    Its content runs to the next such header or stored tuple."""
    wanted = set(xids)
    natts = len(_attlens(conn, table))
    stored: dict[int, list[tuple[int, int]]] = {}
    for block, _lp, off, n, *_ in _raw_versions(conn, table):
        stored.setdefault(block, []).append((off, off + n))
    found = []
    for block, raw in enumerate(conn.execute(_PAGES, {"rel": table}).scalars()):
        page = bytes(raw)
        lower, special = (struct.unpack_from("<H", page, at)[0] for at in (12, 16))
        taken = stored.get(block, [])
        heads = [
            at
            for at in range((lower + 7) // 8 * 8, special - 24, 8)
            if not any(a <= at < b for a, b in taken) and _looks_like_header(page, at, natts)
        ]
        for k, at in enumerate(heads):
            xmin, xmax = struct.unpack_from("<II", page, at)
            if xmin not in wanted and xmax not in wanted:
                continue
            end = min(
                [heads[k + 1] if k + 1 < len(heads) else special, *(a for a, _ in taken if a > at)]
            )
            found.append(
                Residue(
                    table=table,
                    block=block,
                    offset=at,
                    xmin=xmin,
                    xmax=xmax,
                    content=page[at + page[at + 22] : end],
                )
            )
    return found


def _looks_like_header(page: bytes, at: int, natts: int) -> bool:
    xmin = struct.unpack_from("<I", page, at)[0]
    attributes = struct.unpack_from("<H", page, at + 18)[0] & 0x07FF  # t_infomask2's count
    hoff = page[at + 22]
    return xmin >= 3 and 1 <= attributes <= natts and hoff >= 24 and hoff % 8 == 0


@dataclass(frozen=True, kw_only=True)
class WalRecord:
    """One WAL record: its position, transaction id, kind, the tables it writes blocks of, and, when
    the WAL files could be read, its data (block data and main data, full-page images left out)."""

    lsn: str
    xid: int
    kind: str
    tables: frozenset[str]
    description: str
    data: bytes | None = None

    def trace(self) -> Trace:
        where = f"WAL {self.lsn} xid {self.xid} {self.kind} on {', '.join(sorted(self.tables))}"
        content = self.description.encode() + b"\x1f" + (self.data or b"")
        return Trace(where=where, tables=self.tables, content=content)


def wal_position(conn: sa.Connection) -> str:
    """Where the WAL is being written now: give it to :func:`wal_records` later."""
    return str(conn.execute(sa.text("SELECT pg_current_wal_insert_lsn()")).scalar())


def wal_records(conn: sa.Connection, since: str, *, data: bool = True) -> list[WalRecord]:
    """The WAL records flushed since ``since`` that touch this database or none, each relation named
    by the table it belongs to now (a file rewritten since shows as its old file number). With
    ``data``, each record's data is read from the WAL files when this process can read them (else
    left None, as for a record whose segment was recycled since)."""
    db = conn.execute(sa.text("SELECT oid FROM pg_database WHERE datname = current_database()"))
    db_oid = int(db.scalar_one())
    names = {int(f): str(n) for f, n in conn.execute(_OWNERS)}
    wal_dir = Path(str(conn.execute(sa.text("SHOW data_directory")).scalar())) / "pg_wal"
    segment_size = int(
        conn.execute(
            sa.text("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'")
        ).scalar_one()
    )
    readable = data and os.access(wal_dir, os.R_OK | os.X_OK)
    found = []
    for row in conn.execute(_WAL, {"since": since}):
        lsn, xid, rm, kind, desc, refs, length, file, offset = row
        rels = [(int(d), int(f)) for _, d, f in _BLOCK_REF.findall(refs or "")]
        if rels and all(d != db_oid for d, _ in rels):
            continue
        tables = frozenset(names.get(f, f"filenode {f}") for d, f in rels if d == db_oid)
        body = None
        if readable:
            with contextlib.suppress(OSError):
                record = _read_record(wal_dir, str(file), int(offset), int(length), segment_size)
                body = _record_data(record)
        found.append(
            WalRecord(
                lsn=str(lsn),
                xid=int(xid),
                kind=f"{rm}/{kind}",
                tables=tables,
                description=str(desc or ""),
                data=body,
            )
        )
    return found


def _read_record(wal_dir: Path, file: str, offset: int, length: int, segment_size: int) -> bytes:
    """A record's bytes from the WAL files: from ``offset`` in segment ``file``, on to the next
    segments if it crosses their ends, leaving out the header of each WAL page it crosses."""
    out = bytearray()
    per_log = (1 << 32) // segment_size  # segments per "log" (the file name's middle 8 digits)
    timeline, segment = file[:8], int(file[8:16], 16) * per_log + int(file[16:], 16)
    while len(out) < length:
        name = f"{timeline}{segment // per_log:08X}{segment % per_log:08X}"
        with open(wal_dir / name, "rb") as f:
            f.seek(offset)
            left = length - len(out)
            chunk = f.read(min(segment_size - offset, left + LONG_HEADER * (left // WAL_PAGE + 2)))
        if not chunk:
            raise OSError(f"{name} ends before the record does")
        at = 0
        while at < len(chunk) and len(out) < length:
            if (offset + at) % WAL_PAGE == 0:
                at += LONG_HEADER if offset + at == 0 else SHORT_HEADER
                continue
            take = min(WAL_PAGE - (offset + at) % WAL_PAGE, length - len(out))
            out += chunk[at : at + take]
            at += take
        segment, offset = segment + 1, 0
    return bytes(out)


def _record_data(record: bytes) -> bytes:
    """The block data and main data of a WAL record (access/xlogrecord.h), full-page images left
    out: they copy whole pages, whose tuples the other probes read where they are kept."""
    i, blocks, main = 24, [], 0  # past XLogRecord
    while i < len(record):
        block_id = record[i]
        if block_id == 255:  # XLR_BLOCK_ID_DATA_SHORT
            main, i = record[i + 1], i + 2
            break
        if block_id == 254:  # XLR_BLOCK_ID_DATA_LONG
            main, i = struct.unpack_from("<I", record, i + 1)[0], i + 5
            break
        if block_id in (252, 253):  # XLR_BLOCK_ID_TOPLEVEL_XID, XLR_BLOCK_ID_ORIGIN
            i += 5 if block_id == 252 else 3
            continue
        fork_flags, data_len = record[i + 1], struct.unpack_from("<H", record, i + 2)[0]
        i += 4
        image = 0
        if fork_flags & 0x10:  # BKPBLOCK_HAS_IMAGE
            image, _hole, info = struct.unpack_from("<HHB", record, i)
            compressed_with_hole = info & 0x01 and info & 0x1C
            i += 5 + (2 if compressed_with_hole else 0)  # then the hole's length
        i += (0 if fork_flags & 0x80 else 12) + 4  # RelFileNode unless BKPBLOCK_SAME_REL; block
        blocks.append((image, data_len))
    out = bytearray()
    for image, data_len in blocks:
        i += image
        out += record[i : i + data_len]
        i += data_len
    return bytes(out + record[i : i + main])


def voter_traces(
    conn: sa.Connection,
    voters: dict[int, str],
    tables: Sequence[str],
    wal: Sequence[WalRecord] = (),
) -> dict[str, list[Trace]]:
    """What each voter's transaction left: tuple versions it wrote or deleted (live and dead),
    headers in free space that carry its id, and its WAL records."""
    found: dict[str, list[Trace]] = {v: [] for v in voters.values()}
    for table in tables:
        for v in versions(conn, table):
            for xid in {v.xmin, v.xmax} & voters.keys():
                found[voters[xid]].append(v.trace())
        for r in residue(conn, table, voters):
            for xid in {r.xmin, r.xmax} & voters.keys():
                found[voters[xid]].append(r.trace())
    for rec in wal:
        if rec.xid in voters:
            found[voters[rec.xid]].append(rec.trace())
    return found
