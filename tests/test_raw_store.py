"""The raw-store probes (tests/_raw_store) find a link between a voter and a choice where one is.

Each probe test plants, with raw SQL in the test's own database, the leak the probes exist to catch:
a voter's transaction that records who voted and also raises the total of their choice (RUNNING),
beside voters whose transactions record only who voted (CLEAN). The probe must link every running
voter to their choice and no clean one, on the store as it is kept: the WAL's commits (SQLite);
tuple versions, free space and WAL records after VACUUM (PostgreSQL); statements, table files and
undo log (MariaDB). Other tests check the parts a probe stands on: the b-tree walk against
``dbstat``, stale WAL frames, compressed and out-of-line values, the judgement itself.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests._raw_store import Trace, choice_runs, link, links, switches
from tests._raw_store import mariadb as my
from tests._raw_store import postgresql as pg
from tests._raw_store import sqlite as sq

OPTIONS = ("agree", "oppose", "abstain")
RUNNING = {"ra": "oppose", "rb": "agree", "rc": "abstain"}  # each also raises their choice's total
CLEAN = ("ca", "cb")  # each records only that they voted
BALLOT = "b-1"
#: what every step writes: the instance's facts, naming every option
FACTS = '{"ballot":{"id":"b-1","options":["agree","oppose","abstain"]},"voted":%d}'
Statements = list[tuple[str, Mapping[str, object]]]


def _planted(text: str, engine: str = "") -> tuple[Statements, list[Statements]]:
    """The statements that set the planted ballot up, then each voter's transaction; ``text`` is the
    backend's type for the key columns, ``engine`` what ends a CREATE TABLE."""
    setup: Statements = [
        (f"CREATE TABLE collegium_instances (id {text} PRIMARY KEY, facts TEXT){engine}", {}),
        (
            f"CREATE TABLE collegium_ballot_voters (ballot_id {text}, voter {text}, "
            f"PRIMARY KEY (ballot_id, voter)){engine}",
            {},
        ),
        (
            f"CREATE TABLE collegium_ballot_counts (ballot_id {text}, choice {text}, "
            f"count INTEGER, PRIMARY KEY (ballot_id, choice)){engine}",
            {},
        ),
        ("INSERT INTO collegium_instances VALUES ('i', :f)", {"f": FACTS % 0}),
        *(
            ("INSERT INTO collegium_ballot_counts VALUES (:b, :o, 0)", {"b": BALLOT, "o": o})
            for o in OPTIONS
        ),
    ]
    votes = []
    for n, voter in enumerate([*RUNNING, *CLEAN], 1):
        vote: Statements = [
            ("UPDATE collegium_instances SET facts = :f", {"f": FACTS % n}),
            ("INSERT INTO collegium_ballot_voters VALUES (:b, :v)", {"b": BALLOT, "v": voter}),
        ]
        if voter in RUNNING:
            vote.append(
                (
                    "UPDATE collegium_ballot_counts SET count = count + 1 "
                    "WHERE ballot_id = :b AND choice = :c",
                    {"b": BALLOT, "c": RUNNING[voter]},
                )
            )
        votes.append(vote)
    return setup, votes


def _plant(url: str, text: str) -> None:
    """The planted ballot on a server, each voter's statements in a transaction of their own."""
    setup, votes = _planted(text)
    engine = sa.create_engine(url)
    try:
        for transaction in [setup, *votes]:
            with engine.begin() as conn:
                for sql, params in transaction:
                    conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


# -- the judgement ------------------------------------------------------------------------------


def _trace(tables: set[str], content: bytes) -> Trace:
    return Trace(where="here", tables=frozenset(tables), content=content)


def test_a_trace_links_when_it_writes_a_choice_table_or_names_some_options_but_not_all() -> None:
    all3 = "of agree, oppose, abstain"
    assert (
        link(_trace({"collegium_ballot_counts"}, b""), OPTIONS)
        == "here: writes collegium_ballot_counts"
    )
    assert (
        link(_trace({"collegium_votes"}, b"m1 oppose"), OPTIONS)
        == f"here: writes collegium_votes (names oppose {all3})"
    )
    assert link(_trace({"t"}, b'{"choice":"abstain"}'), OPTIONS) == f"here: names abstain {all3}"
    assert link(_trace({"t"}, FACTS.encode()), OPTIONS) is None  # every option: the options list
    assert link(_trace({"t"}, b"m1"), OPTIONS) is None
    assert links({"m1": [_trace({"t"}, b"agree")], "m2": [_trace({"t"}, b"")]}, OPTIONS) == {
        "m1": [f"here: names agree {all3}"]
    }
    with pytest.raises(ValueError, match="'agree' is part of 'disagree'"):
        link(_trace(set(), b""), ("agree", "disagree"))


def test_a_list_of_individual_choices_is_a_run_of_more_names_than_options() -> None:
    kept = b'"options":["agree","oppose","abstain"],"counts":{"agree": 7, "oppose": 2}'
    assert choice_runs(kept, OPTIONS) == []
    assert choice_runs(b'{"opened":["agree","oppose","agree","abstain"]}', OPTIONS) == [
        b'agree","oppose","agree","abstain'
    ]
    assert choice_runs(b"agree|oppose|abstain|agree", OPTIONS) == [b"agree|oppose|abstain|agree"]


def test_switches_counts_turns_between_two_tables_in_a_sequence_of_writes() -> None:
    a, b, other = frozenset({"a"}), frozenset({"b"}), frozenset({"c"})
    assert switches([a, a, other, b, b], "a", "b") == 1
    assert switches([a, b, a, b], "a", "b") == 3
    assert switches([other, other], "a", "b") == 0


# -- SQLite --------------------------------------------------------------------------------------


def test_the_sqlite_probe_links_each_voter_whose_commit_writes_a_total(tmp_path: Path) -> None:
    path = tmp_path / "planted.db"
    setup, votes = _planted("TEXT", " WITHOUT ROWID")
    db = sqlite3.connect(path, isolation_level=None)
    try:  # the connection stays open while the WAL is read, so nothing checkpoints it away
        db.execute("PRAGMA journal_mode=WAL")
        for transaction in [setup, *votes]:
            db.execute("BEGIN")
            for sql, params in transaction:
                db.execute(sql, params)
            db.execute("COMMIT")
        found = sq.changes(path, sq.database_files(path)[1].read_bytes(), tmp_path)
    finally:
        db.close()
    by_voter = sq.voter_commits(found, [*RUNNING, *CLEAN])
    assert {v: len(cs) for v, cs in by_voter.items()} == dict.fromkeys([*RUNNING, *CLEAN], 1)
    linked = links({v: [t for c in cs for t in c.traces()] for v, cs in by_voter.items()}, OPTIONS)
    assert sorted(linked) == sorted(RUNNING)
    for voter, choice in RUNNING.items():  # the total it raised names the voter's choice
        assert [why for why in linked[voter] if f"'{choice}', 1)" in why], linked[voter]
        assert "collegium_ballot_counts" in by_voter[voter][0].page_tables.values()


def test_the_sqlite_btree_walk_finds_the_pages_dbstat_lists(tmp_path: Path) -> None:
    path = tmp_path / "pages.db"
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB, tag TEXT)")
        db.execute("CREATE INDEX t_tag ON t (tag)")
        db.execute("CREATE TABLE w (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
        db.executemany(
            "INSERT INTO t (body, tag) VALUES (?, ?)",
            [(os.urandom(9000 if i % 50 == 0 else 40), f"tag{i:05}" * 20) for i in range(600)],
        )
        db.executemany(
            "INSERT INTO w VALUES (?, ?)", [(f"k{i:05}" * 30, os.urandom(3000)) for i in range(80)]
        )
        db.commit()
        by_dbstat, by_walk = sq.page_owners(db), sq.page_owners(db, path.read_bytes())
        kinds = {r[0] for r in db.execute("SELECT pagetype FROM dbstat WHERE name IN ('t', 'w')")}
    finally:
        db.close()
    assert kinds == {"internal", "leaf", "overflow"}
    assert by_walk == by_dbstat


def test_sqlite_wal_frames_left_from_an_older_log_are_not_read_as_commits(tmp_path: Path) -> None:
    path = tmp_path / "restart.db"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (v TEXT)")
        for i in range(20):
            db.execute("INSERT INTO t VALUES (?)", (f"old {i} " * 300,))
        db.execute("PRAGMA wal_checkpoint(RESTART)")
        db.execute("INSERT INTO t VALUES ('new')")  # the log starts again, with new salts
        wal = sq.database_files(path)[1].read_bytes()
        found = sq.changes(path, wal, tmp_path)
    finally:
        db.close()
    _, frames = sq.read_wal(wal)
    assert [f.current for f in frames].count(False) > 0
    assert len(found) == 1 and found[0].added == {"t": [("new",)]}


@pytest.mark.parametrize("secure_delete", ["OFF", "ON"])
def test_find_bytes_finds_a_deleted_value_unless_secure_delete_zeroed_it(
    tmp_path: Path, secure_delete: str
) -> None:
    path = tmp_path / "deleted.db"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(f"PRAGMA secure_delete={secure_delete}")
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES ('keep'), ('ciphertext-0123456789abcdef')")
        db.execute("DELETE FROM t WHERE v LIKE 'ciphertext%'")
    finally:
        db.close()
    hits = sq.find_bytes(sq.database_files(path), [b"ciphertext-0123456789abcdef"])
    assert [h[0] for h in hits] == (["deleted.db"] if secure_delete == "OFF" else [])


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def pg_conn(db_url: str) -> Iterator[sa.Connection]:
    """The probes' connection: each statement commits by itself."""
    engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            pg.enable(conn)
            yield conn
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_postgresql_probe_links_running_voters_by_dead_versions_free_space_and_wal(
    db_url: str, pg_conn: sa.Connection
) -> None:
    conn = pg_conn
    since = pg.wal_position(conn)
    _plant(db_url, "text")
    tables = ["collegium_ballot_counts", "collegium_ballot_voters", "collegium_instances"]
    voters = pg.voter_xids(conn)
    assert sorted(voters.values()) == sorted([*RUNNING, *CLEAN])
    assert sorted(links(pg.voter_traces(conn, voters, tables), OPTIONS)) == sorted(RUNNING)
    wal = pg.wal_records(conn, since)
    pg.vacuum(db_url)
    # VACUUM pruned every dead version: only the pages' free space keeps them now
    assert [v for v in pg.versions(conn, "collegium_ballot_counts") if v.xmax != 0] == []
    residue = pg.residue(conn, "collegium_ballot_counts", voters)
    by_residue = links({voters[r.xmin]: [r.trace()] for r in residue if r.xmin in voters}, OPTIONS)
    assert sorted(by_residue) == sorted(RUNNING)
    for voter, choice in RUNNING.items():  # the old version's bytes name the voter's choice
        assert [r for r in residue if voters.get(r.xmin) == voter and choice.encode() in r.content]
    assert sorted(links(pg.voter_traces(conn, voters, [], wal), OPTIONS)) == sorted(RUNNING)


@pytest.mark.parametrize("storage", ["MAIN", "EXTERNAL", "EXTENDED"])
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_postgresql_probe_reads_compressed_and_out_of_line_values(
    pg_conn: sa.Connection, storage: str
) -> None:
    conn = pg_conn
    conn.execute(sa.text("CREATE TABLE collegium_events (id int PRIMARY KEY, data text)"))
    conn.execute(sa.text(f"ALTER TABLE collegium_events ALTER COLUMN data SET STORAGE {storage}"))
    if storage == "EXTENDED":  # compresses to about half, still large: compressed, out of line
        rng = random.Random(16)
        words = [f"{rng.randrange(10**6):06}" for _ in range(400)]
        filler = " ".join(rng.choice(words) for _ in range(6000))
    else:
        filler = "the meeting went on " * 600
    conn.execute(
        sa.text("INSERT INTO collegium_events VALUES (1, :d)"),
        {"d": f"{filler} choice=oppose {filler}"},
    )
    toast = conn.execute(
        sa.text(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'collegium_events'"
        )
    ).scalar()
    chunks = conn.execute(sa.text(f"SELECT count(*) FROM {toast}")).scalar_one()
    compressed = conn.execute(sa.text("SELECT pg_column_compression(data) FROM collegium_events"))
    assert (compressed.scalar(), chunks > 0) == {
        "MAIN": ("pglz", False),
        "EXTERNAL": (None, True),
        "EXTENDED": ("pglz", True),
    }[storage]
    (version,) = pg.versions(conn, "collegium_events")
    raw = conn.execute(
        sa.text(
            "SELECT t_data FROM heap_page_items(get_raw_page('collegium_events',"
            " 0)) WHERE lp_flags = 1"
        )
    ).scalar_one()
    assert b"choice=oppose" not in bytes(raw)  # compressed or out of line: not in the tuple as such
    assert b"choice=oppose" in (version.values[1] or b"")
    assert link(version.trace(), OPTIONS) is not None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_postgresql_wal_probe_reads_a_row_written_and_deleted_in_one_transaction(
    db_url: str, pg_conn: sa.Connection
) -> None:
    conn = pg_conn
    conn.execute(sa.text("CREATE TABLE collegium_ballot_voters (ballot_id text, voter text)"))
    conn.execute(sa.text("CREATE TABLE collegium_outbox (note text)"))
    since = pg.wal_position(conn)
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as voter:
            voter.execute(
                sa.text("INSERT INTO collegium_ballot_voters VALUES (:b, 'ra')"), {"b": BALLOT}
            )
            voter.execute(sa.text("INSERT INTO collegium_outbox VALUES ('ra chose oppose')"))
            voter.execute(sa.text("DELETE FROM collegium_outbox"))
    finally:
        engine.dispose()
    conn.execute(sa.text("TRUNCATE collegium_outbox"))  # not even the dead tuple's bytes are left
    wal = pg.wal_records(conn, since)
    if all(r.data is None for r in wal):
        pytest.skip("the server's WAL files cannot be read from here: only their descriptions are")
    assert pg.versions(conn, "collegium_outbox") == []
    (insert,) = [r for r in wal if r.data and b"ra chose oppose" in r.data]
    assert links(pg.voter_traces(conn, pg.voter_xids(conn), [], wal), OPTIONS) == {
        "ra": [link(insert.trace(), OPTIONS)]
    }


# -- MariaDB -------------------------------------------------------------------------------------


@pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)
def test_the_general_log_probe_links_each_voter_whose_transaction_writes_a_total(
    db_url: str,
) -> None:
    with my.general_log(db_url) as log:
        _plant(db_url, "varchar(16)")
    transactions = log.transactions(str(sa.make_url(db_url).database))
    by_voter = my.voter_transactions(transactions, [*RUNNING, *CLEAN])
    assert {v: len(txs) for v, txs in by_voter.items()} == dict.fromkeys([*RUNNING, *CLEAN], 1)
    traces = {v: [s.trace() for tx in txs for s in tx] for v, txs in by_voter.items()}
    linked = links(traces, OPTIONS)
    assert sorted(linked) == sorted(RUNNING)
    for voter, choice in RUNNING.items():
        assert [why for why in linked[voter] if f"names {choice} of" in why], linked[voter]


@pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)
def test_the_innodb_probe_links_running_voters_through_the_record_and_its_undo_chain(
    db_url: str,
) -> None:
    with my.held_snapshot(db_url):  # purge keeps the votes' undo records, so they reach the disk
        _plant(db_url, "varchar(16)")
        voters_file = my.table_file(db_url, "collegium_ballot_voters")
        if voters_file is None:
            pytest.skip("MariaDB's data files cannot be read from here")
        my.flush_dirty_pages(db_url)
        undo = my.system_tablespace(db_url)
        counts_file = my.table_file(db_url, "collegium_ballot_counts")
    assert undo is not None and counts_file is not None
    voters = my.voter_trx_ids(voters_file, BALLOT, [*RUNNING, *CLEAN])
    assert sorted(voters.values()) == sorted([*RUNNING, *CLEAN])
    images = [
        im
        for o in OPTIONS
        for im in my.record_images(
            counts_file, "collegium_ballot_counts", (BALLOT + o).encode(), undo
        )
    ]
    assert [im for im in images if im.where.startswith("undo")]  # the chain was followed
    by_voter = {
        voters[im.trx]: im.key.removeprefix(BALLOT.encode()).decode()
        for im in images
        if im.trx in voters
    }
    assert by_voter == RUNNING  # each running voter, by the version of their choice's total
    assert sorted(links(my.voter_traces(images, voters), OPTIONS)) == sorted(RUNNING)
