"""SQLite: what the database file and its write-ahead log hold, read as files.

The WAL (https://sqlite.org/fileformat2.html#walformat) is a 32-byte header and frames, each a
24-byte header (page number, the database size in pages after the commit for a commit frame, else 0,
the header's two salts, a cumulative checksum) and one page. Frames whose salts match the header and
whose checksum chain holds are the ones SQLite would read (:attr:`Frame.current`); older frames left
behind a shorter, newer log are stale. :func:`commits` groups current frames into commits;
:func:`replay` rebuilds the database as of each commit from the main file and the frames, so each
commit's changed rows and pages can be read with plain SQL (:func:`changes`).
:func:`table_pages` says which pages belong to a table (``dbstat``, or the b-tree walked from
``sqlite_schema.rootpage`` by :func:`btree_pages` where this SQLite lacks ``dbstat``).
"""

from __future__ import annotations

import sqlite3
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests._raw_store import Trace

WAL_HEADER, FRAME_HEADER = 32, 24
_MAGIC = (0x377F0682, 0x377F0683)  # the checksum's words are little-endian, big-endian


@dataclass(frozen=True, kw_only=True)
class Frame:
    """One WAL frame: the page it writes, the database size it commits (0: not a commit frame)."""

    index: int
    page: int
    commit_size: int
    current: bool
    data: bytes


@dataclass(frozen=True, kw_only=True)
class Commit:
    """The frames of one committed transaction, in WAL order; ``number`` counts commits from 0."""

    number: int
    frames: tuple[Frame, ...]

    @property
    def pages(self) -> frozenset[int]:
        return frozenset(f.page for f in self.frames)

    @property
    def size(self) -> int:
        return self.frames[-1].commit_size


def _checksum(data: bytes, s0: int, s1: int, big: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(wal: bytes) -> tuple[int, list[Frame]]:
    """The page size and every frame of a WAL file's bytes (stale frames included, marked)."""
    if len(wal) < WAL_HEADER:
        return 0, []
    magic, _version, page_size, _ckpt, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:WAL_HEADER])
    if magic not in _MAGIC:
        raise ValueError(f"not a SQLite WAL: magic {magic:#x}")
    big = magic == _MAGIC[1]
    chain_ok = _checksum(wal[:24], 0, 0, big) == (c0, c1)
    s = (c0, c1)
    frames = []
    size = FRAME_HEADER + page_size
    for index, at in enumerate(range(WAL_HEADER, len(wal) - size + 1, size)):
        page, commit_size, f1, f2, k0, k1 = struct.unpack(">6I", wal[at : at + FRAME_HEADER])
        data = wal[at + FRAME_HEADER : at + size]
        if chain_ok and (f1, f2) == (salt1, salt2):
            s = _checksum(wal[at : at + 8] + data, *s, big)
            chain_ok = s == (k0, k1)
        else:
            chain_ok = False
        frames.append(
            Frame(index=index, page=page, commit_size=commit_size, current=chain_ok, data=data)
        )
    return page_size, frames


def commits(frames: Iterable[Frame]) -> list[Commit]:
    """The committed transactions of the current frames (frames after the last commit frame are
    dropped)."""
    done: list[Commit] = []
    pending: list[Frame] = []
    for f in frames:
        if not f.current:
            break
        pending.append(f)
        if f.commit_size:
            done.append(Commit(number=len(done), frames=tuple(pending)))
            pending = []
    return done


def replay(
    main: bytes,
    page_size: int,
    wal_commits: Sequence[Commit],
) -> Iterator[tuple[Commit, bytes]]:
    """The database image as of each commit: the main file with the commit's frames and all before
    it applied, marked as a rollback-journal database so that it opens alone."""
    image = bytearray(main)
    for commit in wal_commits:
        for f in commit.frames:
            at = (f.page - 1) * page_size
            if len(image) < at + page_size:
                image.extend(bytes(at + page_size - len(image)))
            image[at : at + page_size] = f.data
        del image[commit.size * page_size :]
        out = bytearray(image)
        out[18:20] = b"\x01\x01"  # file format: legacy (no WAL), so the image opens without a log
        yield commit, bytes(out)


def open_image(image: bytes, path: Path) -> sqlite3.Connection:
    """A read-only connection to a database image, written to ``path``."""
    path.write_bytes(image)
    return sqlite3.connect(f"file:{path}?immutable=1", uri=True)


def tables(conn: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
    return [r[0] for r in conn.execute(query)]


def rows(conn: sqlite3.Connection) -> dict[str, Counter[tuple[object, ...]]]:
    """Every row of every table, by table."""
    return {t: Counter(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables(conn)}


def page_owners(conn: sqlite3.Connection, image: bytes | None = None) -> dict[int, str]:
    """The table each page belongs to (an index's pages belong to its table; page 1 to
    ``sqlite_schema``). Pages on no b-tree (the freelist) are absent."""
    owner = {name: tbl for name, tbl in conn.execute("SELECT name, tbl_name FROM sqlite_schema")}
    if image is None and _has_dbstat(conn):
        return {
            int(p): owner.get(name, "sqlite_schema")
            for name, p in conn.execute("SELECT name, pageno FROM dbstat")
        }
    if image is None:
        raise ValueError("this SQLite has no dbstat: give the database image to walk its b-trees")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    found = {p: "sqlite_schema" for p in btree_pages(image, page_size, 1)}
    roots = conn.execute("SELECT tbl_name, rootpage FROM sqlite_schema WHERE rootpage > 0")
    for tbl, root in roots:
        found.update(dict.fromkeys(btree_pages(image, page_size, root), tbl))
    return found


def table_pages(conn: sqlite3.Connection, table: str, image: bytes | None = None) -> set[int]:
    """The pages of ``table`` and its indexes (by ``dbstat``, or by walking ``image`` when
    given)."""
    return {p for p, t in page_owners(conn, image).items() if t == table}


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def _varint(b: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        c = b[i + k]
        if k == 8:
            return (value << 8) | c, i + 9
        value = (value << 7) | (c & 0x7F)
        if c < 0x80:
            return value, i + k + 1
    raise AssertionError("unreachable")


def btree_pages(image: bytes, page_size: int, root: int) -> set[int]:
    """Every page of the b-tree rooted at ``root``: interior and leaf pages and their overflow
    chains."""
    usable = page_size - image[20]
    seen: set[int] = set()
    todo = [root]
    while todo:
        page = todo.pop()
        if page in seen or page == 0:
            continue
        seen.add(page)
        base = (page - 1) * page_size
        head = base + (100 if page == 1 else 0)
        kind = image[head]
        n_cells = struct.unpack_from(">H", image, head + 3)[0]
        interior = kind in (2, 5)
        if interior:
            todo.append(struct.unpack_from(">I", image, head + 8)[0])
        pointers = head + (12 if interior else 8)
        for k in range(n_cells):
            cell = base + struct.unpack_from(">H", image, pointers + 2 * k)[0]
            if interior:
                todo.append(struct.unpack_from(">I", image, cell)[0])
                cell += 4
            if kind == 5:  # a table's interior cell holds a key, no payload
                continue
            size, cell = _varint(image, cell)
            if kind == 13:
                _rowid, cell = _varint(image, cell)
            local = _local_size(size, usable, table=kind == 13)
            if local < size:
                first = struct.unpack_from(">I", image, cell + local)[0]
                seen |= _overflow_chain(image, page_size, first)
    return seen


def _local_size(payload: int, usable: int, *, table: bool) -> int:
    most = usable - 35 if table else (usable - 12) * 64 // 255 - 23
    least = (usable - 12) * 32 // 255 - 23
    if payload <= most:
        return payload
    k = least + (payload - least) % (usable - 4)
    return k if k <= most else least


def _overflow_chain(image: bytes, page_size: int, page: int) -> set[int]:
    chain: set[int] = set()
    while page and page not in chain:
        chain.add(page)
        page = struct.unpack_from(">I", image, (page - 1) * page_size)[0]
    return chain


def _row_bytes(row: tuple[object, ...]) -> bytes:
    return b"\x1f".join(v if isinstance(v, bytes) else str(v).encode() for v in row)


@dataclass(frozen=True, kw_only=True)
class CommitChanges:
    """What one commit changed, read by diffing the database before and after it."""

    commit: Commit
    added: dict[str, list[tuple[object, ...]]]
    removed: dict[str, list[tuple[object, ...]]]
    page_tables: dict[int, str]  # each page written: the table it belongs to (after, or before)

    def page_traces(self) -> list[Trace]:
        """Each page the commit wrote, as a trace of the table it belongs to (no content)."""
        n = self.commit.number
        return [
            Trace(where=f"WAL commit {n}: page {p} of {t}", tables=frozenset({t}), content=b"")
            for p, t in sorted(self.page_tables.items())
        ]

    def row_traces(self) -> list[Trace]:
        """Each row the commit added (+) or removed (-), as a trace of its table with its values."""
        n = self.commit.number
        return [
            Trace(
                where=f"WAL commit {n}: {sign}{table} {row!r}"[:300],
                tables=frozenset({table}),
                content=_row_bytes(row),
            )
            for sign, changed in (("+", self.added), ("-", self.removed))
            for table, rs in changed.items()
            for row in rs
        ]

    def traces(self) -> list[Trace]:
        return self.page_traces() + self.row_traces()


def changes(db_path: Path, wal: bytes, scratch: Path) -> list[CommitChanges]:
    """Each commit of the WAL of ``db_path`` (bytes read beforehand), with the rows it added and
    removed and the tables of the pages it wrote. ``scratch`` is a directory for the replayed
    images."""
    page_size, frames = read_wal(wal)
    wal_commits = commits(frames)
    main = db_path.read_bytes()
    conn = open_image(main[:18] + b"\x01\x01" + main[20:], scratch / "replay-before.db")
    try:
        before_rows, before_owner = rows(conn), page_owners(conn)
    finally:
        conn.close()
    found = []
    for commit, image in replay(main, page_size, wal_commits):
        conn = open_image(image, scratch / f"replay-{commit.number}.db")
        try:
            after_rows, after_owner = rows(conn), page_owners(conn)
        finally:
            conn.close()
        owners = {p: after_owner.get(p) or before_owner.get(p) or "freelist" for p in commit.pages}
        found.append(
            CommitChanges(
                commit=commit,
                added=_minus(after_rows, before_rows),
                removed=_minus(before_rows, after_rows),
                page_tables=owners,
            )
        )
        (scratch / f"replay-{commit.number}.db").unlink()
        before_rows, before_owner = after_rows, after_owner
    return found


def _minus(
    a: dict[str, Counter[tuple[object, ...]]],
    b: dict[str, Counter[tuple[object, ...]]],
) -> dict[str, list[tuple[object, ...]]]:
    """The rows of ``a`` that ``b`` lacks, by table (tables with none left out)."""
    found = {t: list((rs - b.get(t, Counter())).elements()) for t, rs in a.items()}
    return {t: rs for t, rs in found.items() if rs}


def voter_commits(
    found: Sequence[CommitChanges],
    voters: Iterable[str],
    voters_table: str = "collegium_ballot_voters",
) -> dict[str, list[CommitChanges]]:
    """For each of ``voters``, the commits that added a row holding their name to
    ``voters_table``."""
    return {
        v: [c for c in found if any(v in row for row in c.added.get(voters_table, []))]
        for v in voters
    }


def find_bytes(paths: Iterable[Path], needles: Iterable[bytes]) -> list[tuple[str, int, bytes]]:
    """Every place a needle occurs in the files that exist among ``paths``: (file name, offset,
    needle)."""
    wanted = [n for n in needles if n]
    hits = []
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes()
        for needle in wanted:
            at = data.find(needle)
            while at >= 0:
                hits.append((path.name, at, needle))
                at = data.find(needle, at + 1)
    return hits


def database_files(db_path: Path) -> list[Path]:
    """The main file, its WAL and its shared-memory index: every file SQLite keeps for a
    database."""
    return [db_path, *(db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm"))]
