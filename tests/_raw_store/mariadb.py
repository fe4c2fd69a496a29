"""MariaDB: the statements each connection ran (the general log), the record images in a table's
file and the older versions of each record in the undo log.

:func:`general_log` turns the server's general log on, into ``mysql.general_log``
(``log_output=TABLE``), for the duration of a block, and puts the previous settings back;
:meth:`GeneralLog.transactions` then splits the statements of the connections to one database into
transactions (a transaction ends at COMMIT or ROLLBACK). A row-based binary log and the undo log
hold the row changes of exactly these statements, so no statement of a transaction that writes or
names a choice means that neither log holds one for it. The binary log itself is not read: it is
off on the servers these tests run against.

:func:`table_file` flushes a table's pages (``FLUSH TABLES ... FOR EXPORT``) and reads its ``.ibd``
file under the datadir, which needs the server's files on this machine and the right to read them
(root). In an InnoDB clustered index record the primary key's columns are stored one after another,
then the 6-byte id of the transaction that wrote that version (DB_TRX_ID) and the 7-byte roll
pointer into the undo log; :func:`record_images` reads both after each copy of a key, live or left
in free space, then follows each roll pointer through the undo log (the system tablespace,
``ibdata1``, once :func:`flush_dirty_pages` has had it written): each undo record of an update or
delete holds the key, the previous version's DB_TRX_ID and roll pointer and the old values of the
columns changed. Purge frees undo pages once no reader needs them, and a freed page is not written
again, so the undo log on disk holds what the server happened to write before; a reader's open
snapshot (:func:`held_snapshot`, as a backup running during the ballot keeps) holds purge back. The
redo log (``ib_logfile0``) is not read.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests._raw_store import Trace

_END = re.compile(rb"\s*(COMMIT|ROLLBACK)\b", re.IGNORECASE)
_WRITES = re.compile(
    rb"^\s*(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+`?(\w+)",
    re.IGNORECASE,
)
#: InnoDB's page size this probe reads the system tablespace with
PAGE_SIZE = 16384


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One statement a connection sent, as the general log keeps it (values inlined by the
    client)."""

    thread: int
    text: bytes

    def trace(self) -> Trace:
        written = _WRITES.match(self.text)
        tables = frozenset({written.group(1).decode()} if written else ())
        where = f"general log, thread {self.thread}: {self.text[:160]!r}"
        return Trace(where=where, tables=tables, content=self.text)


class GeneralLog:
    """The general log's rows since :func:`general_log` turned it on."""

    def __init__(self, admin: sa.Engine, since: object) -> None:
        self._admin = admin
        self._since = since

    def statements(self, database: str) -> list[Statement]:
        """The statements of the connections opened to ``database`` while the log was on, in log
        order."""
        with self._admin.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT thread_id, command_type, argument "
                    "FROM mysql.general_log WHERE event_time >= :t"
                ),
                {"t": self._since},
            ).all()
        ours = {
            t for t, kind, arg in rows if kind == "Connect" and f" on {database} " in _text(arg)
        }
        return [
            Statement(thread=int(t), text=_bytes(arg))
            for t, kind, arg in rows
            if t in ours and kind in ("Query", "Execute")
        ]

    def transactions(self, database: str) -> list[list[Statement]]:
        """The statements of ``database``'s connections, grouped into transactions (each ends at its
        COMMIT or ROLLBACK, which it includes); a connection's trailing statements form the last
        group."""
        open_: dict[int, list[Statement]] = {}
        done: list[list[Statement]] = []
        for s in self.statements(database):
            open_.setdefault(s.thread, []).append(s)
            if _END.match(s.text):
                done.append(open_.pop(s.thread))
        return done + [ss for ss in open_.values() if ss]


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes | bytearray) else str(value)


def _bytes(value: object) -> bytes:
    return bytes(value) if isinstance(value, bytes | bytearray) else str(value).encode()


@contextlib.contextmanager
def general_log(url: str) -> Iterator[GeneralLog]:
    """The server's general log on (into ``mysql.general_log``) for the block; the previous settings
    after. Connections opened before the block are not attributed to a database: open the engine
    inside it."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            was_on, output = conn.execute(
                sa.text("SELECT @@global.general_log, @@global.log_output")
            ).one()
            if not was_on:  # what the table holds is then an earlier block's: it does not pile up
                conn.execute(sa.text("TRUNCATE TABLE mysql.general_log"))
            conn.execute(sa.text("SET GLOBAL log_output = 'TABLE'"))
            conn.execute(sa.text("SET GLOBAL general_log = 1"))
            since = conn.execute(sa.text("SELECT NOW(6)")).scalar()
        try:
            yield GeneralLog(admin, since)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text("SET GLOBAL general_log = :on"), {"on": int(was_on)})
                conn.execute(sa.text("SET GLOBAL log_output = :out"), {"out": output})
    finally:
        admin.dispose()


def voter_transactions(
    transactions: Iterable[list[Statement]],
    voters: Iterable[str],
    voters_table: str = "collegium_ballot_voters",
) -> dict[str, list[list[Statement]]]:
    """For each voter, the transactions that inserted a row naming them (as a quoted value) into
    ``voters_table``."""
    inserts = re.compile(rb"^\s*INSERT\s+INTO\s+`?" + voters_table.encode() + rb"\b", re.IGNORECASE)
    found: dict[str, list[list[Statement]]] = {v: [] for v in voters}
    for tx in transactions:
        for s in tx:
            if inserts.match(s.text):
                for v in found:
                    if f"'{v}'".encode() in s.text:
                        found[v].append(tx)
    return found


def table_file(url: str, table: str) -> bytes | None:
    """The bytes of ``table``'s ``.ibd`` file once its pages are flushed, or None when the server's
    files cannot be read from here (another machine, or no right to read them)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            datadir, database = conn.execute(sa.text("SELECT @@datadir, DATABASE()")).one()
            path = Path(str(datadir), str(database), f"{table}.ibd")
            conn.execute(sa.text(f"FLUSH TABLES {table} FOR EXPORT"))
            try:
                return path.read_bytes()
            except OSError:
                return None
            finally:
                conn.execute(sa.text("UNLOCK TABLES"))
    finally:
        engine.dispose()


def flush_dirty_pages(url: str, timeout: float = 60.0) -> None:
    """Have InnoDB write every page changed so far to its files (the undo log's pages among them):
    the page cleaner is told to flush all dirty pages until the checkpoint passes the log position
    of the call, and the previous settings are put back."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            pct, lwm = conn.execute(
                sa.text(
                    "SELECT @@global.innodb_max_dirty_pages_pct, "
                    "@@global.innodb_max_dirty_pages_pct_lwm"
                )
            ).one()
            target = _status(conn, "Innodb_lsn_current")
            conn.execute(sa.text("SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001"))
            conn.execute(sa.text("SET GLOBAL innodb_max_dirty_pages_pct = 0"))
            try:
                deadline = time.monotonic() + timeout
                while _status(conn, "Innodb_lsn_last_checkpoint") < target:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"no InnoDB checkpoint at {target} after {timeout} s")
                    time.sleep(0.1)
            finally:
                conn.execute(sa.text("SET GLOBAL innodb_max_dirty_pages_pct = :p"), {"p": pct})
                conn.execute(sa.text("SET GLOBAL innodb_max_dirty_pages_pct_lwm = :p"), {"p": lwm})
    finally:
        admin.dispose()


@contextlib.contextmanager
def held_snapshot(url: str) -> Iterator[None]:
    """A reader's consistent snapshot, open for the block: purge keeps every undo record written
    meanwhile, as it does for a long backup (``mysqldump --single-transaction``) running then."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as reader:
            reader.execute(sa.text("START TRANSACTION WITH CONSISTENT SNAPSHOT"))
            reader.execute(sa.text("SELECT 1")).all()
            try:
                yield
            finally:
                reader.execute(sa.text("ROLLBACK"))
    finally:
        engine.dispose()


def _status(conn: sa.Connection, name: str) -> int:
    return int(conn.execute(sa.text("SHOW GLOBAL STATUS LIKE :n"), {"n": name}).one()[1])


def system_tablespace(url: str) -> bytes | None:
    """The bytes of the system tablespace (``ibdata1``, which holds the undo log when the server has
    no separate undo tablespaces), or None when it cannot be read from here or is not one file."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            datadir, files, undo = conn.execute(
                sa.text("SELECT @@datadir, @@innodb_data_file_path, @@innodb_undo_tablespaces")
            ).one()
            page_size = conn.execute(sa.text("SELECT @@innodb_page_size")).scalar_one()
    finally:
        engine.dispose()
    if int(undo) != 0 or ";" in str(files) or int(page_size) != PAGE_SIZE:
        return None
    try:
        return (Path(datadir) / str(files).split(":")[0]).read_bytes()
    except OSError:
        return None


@dataclass(frozen=True, kw_only=True)
class RecordImage:
    """A version of the record of ``table`` with primary key ``key``: where it was found, the
    transaction that wrote it (DB_TRX_ID), its roll pointer, and the values an undo record kept."""

    table: str
    key: bytes
    where: str
    trx: int
    roll: int
    old_values: tuple[bytes, ...] = ()

    def trace(self) -> Trace:
        where = f"{self.table} {self.key!r} {self.where} DB_TRX_ID {self.trx}"
        content = b"\x1f".join((self.key, *self.old_values))
        return Trace(where=where, tables=frozenset({self.table}), content=content)


def record_images(
    image: bytes,
    table: str,
    key: bytes,
    undo: bytes | None,
    key_fields: int = 2,
) -> list[RecordImage]:
    """Every version of the record of ``table`` whose primary key columns, concatenated, are
    ``key``: each copy in the table file ``image``, then the versions its roll pointer leads to in
    the undo log ``undo`` (the system tablespace; None: not read). ``key_fields`` is the number of
    key columns."""
    found = []
    for m in re.finditer(re.escape(key), image):
        at = m.end()
        if len(image) < at + 13:
            continue
        trx = int.from_bytes(image[at : at + 6], "big")
        roll = int.from_bytes(image[at + 6 : at + 13], "big")
        found.append(
            RecordImage(table=table, key=key, where=f"file offset {m.start()}", trx=trx, roll=roll)
        )
        if undo is not None:
            found += _undo_chain(undo, table, key, roll, key_fields)
    return found


def _undo_chain(
    undo: bytes,
    table: str,
    key: bytes,
    roll: int,
    key_fields: int,
) -> list[RecordImage]:
    chain: list[RecordImage] = []
    seen = set()
    while roll and not roll >> 55 and roll not in seen:  # top bit: an insert, no older version
        seen.add(roll)
        page, offset = (roll >> 16) & 0xFFFFFFFF, roll & 0xFFFF
        try:
            trx, roll, fields, old = _undo_record(undo, page * PAGE_SIZE + offset, key_fields)
        except IndexError:
            break
        if b"".join(fields) != key:
            break  # the page was reused since: the chain ends here
        chain.append(
            RecordImage(
                table=table,
                key=key,
                where=f"undo page {page} offset {offset}",
                trx=trx,
                roll=roll,
                old_values=old,
            )
        )
    return chain


def _undo_record(
    b: bytes,
    i: int,
    key_fields: int,
) -> tuple[int, int, list[bytes], tuple[bytes, ...]]:
    """An update or delete-mark undo record (trx0rec.cc, trx_undo_page_report_modify): the previous
    version's DB_TRX_ID and roll pointer, the key columns, then the old values of the changed
    columns."""
    i += 3  # next record's offset, type and compilation info
    _undo_no, i = _much_compressed(b, i)
    _table_id, i = _much_compressed(b, i)
    i += 1  # info bits
    trx, i = _u64_compressed(b, i)
    roll, i = _u64_compressed(b, i)
    fields = []
    for _ in range(key_fields):
        n, i = _compressed(b, i)
        fields.append(b[i : i + n])
        i += n
    changed, i = _compressed(b, i)
    old = []
    for _ in range(min(changed, 64)):
        _field_no, i = _compressed(b, i)
        n, i = _compressed(b, i)
        old.append(b[i : i + n])
        i += n
    return trx, roll, fields, tuple(old)


def _compressed(b: bytes, i: int) -> tuple[int, int]:
    """mach_read_compressed: 1 to 5 bytes, the leading bits giving the length."""
    x = b[i]
    if x < 0x80:
        return x, i + 1
    if x < 0xC0:
        return ((x & 0x3F) << 8) | b[i + 1], i + 2
    if x < 0xE0:
        return ((x & 0x1F) << 16) | int.from_bytes(b[i + 1 : i + 3], "big"), i + 3
    if x < 0xF0:
        return ((x & 0x0F) << 24) | int.from_bytes(b[i + 1 : i + 4], "big"), i + 4
    return int.from_bytes(b[i + 1 : i + 5], "big"), i + 5


def _u64_compressed(b: bytes, i: int) -> tuple[int, int]:
    high, i = _compressed(b, i)
    return (high << 32) | int.from_bytes(b[i : i + 4], "big"), i + 4


def _much_compressed(b: bytes, i: int) -> tuple[int, int]:
    if b[i] != 0xFF:
        return _compressed(b, i)
    high, i = _compressed(b, i + 1)
    low, i = _compressed(b, i)
    return (high << 32) | low, i


def voter_trx_ids(
    voters_file: bytes,
    ballot_id: str,
    voters: Iterable[str],
    table: str = "collegium_ballot_voters",
) -> dict[int, str]:
    """The transaction id of each voter's vote: the DB_TRX_ID of their row (ballot id, voter) in the
    file of ``table``. A voter whose row shows none (0: purge may reset it) is left out."""
    found = {}
    for voter in voters:
        for im in record_images(voters_file, table, (ballot_id + voter).encode(), None):
            if im.trx:
                found[im.trx] = voter
    return found


def voter_traces(images: Iterable[RecordImage], voters: dict[int, str]) -> dict[str, list[Trace]]:
    """The record images each voter's transaction wrote (``voters``: transaction id to voter)."""
    found: dict[str, list[Trace]] = {v: [] for v in voters.values()}
    for im in images:
        if im.trx in voters:
            found[voters[im.trx]].append(im.trace())
    return found
