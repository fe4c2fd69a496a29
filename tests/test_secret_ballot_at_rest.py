"""A secret ballot at rest: once it closes, nothing the database keeps links a voter to a choice.

Threat model: someone who, after the close, reads every byte the database keeps must not link a
voter to a choice; an opaque ciphertext linked to a voter is acceptable, since it opens only with
the tellers' secret, which is never stored. Each test runs a whole ballot of 11 members with known
choices through the public API, by method ``secret`` (paper ballots: a vote records that the member
returned one; the tellers enter the counts) or ``secret_electronic`` (each choice sealed to the
tellers' public key, opened at the tellers' count), and reads the store with the probes of
``tests/_raw_store``, which know nothing of Collegium's code:

- PostgreSQL: every tuple version of every table, live and dead, and the tuple headers left in
  pages' free space, after VACUUM; every WAL record of the ballot, with its data;
- SQLite: each commit in the WAL before the count, replayed; the database file and its WAL after
  the close;
- MariaDB: every statement of every transaction (general log); the record images of the totals in
  the tables' ``.ibd`` files and, along their roll pointers, in the undo log, purge held back by a
  reader's snapshot for the whole ballot.

While the ballot is open, a reader of the store learns who voted and when (a row of
``collegium_ballot_voters``, the vote's event) and, for an electronic ballot, one opaque ciphertext
per voter, written in the voter's transaction: the tests assert that a vote writes that and no
more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from collegium import Engine, ManualClock, SequentialIds
from tests._raw_store import CHOICE_TABLES, Trace, choice_runs, links, switches
from tests._raw_store import mariadb as my
from tests._raw_store import postgresql as pg
from tests._raw_store import sqlite as sq
from tests.conftest import consult_all, standing_committee, state_views, to_deliberation

OPTIONS = ("agree", "oppose", "abstain")
CHOICES = {
    "sec": "agree",
    "dep": "agree",
    "m1": "oppose",
    "m2": "agree",
    "m3": "abstain",
    "m4": "agree",
    "m5": "oppose",
    "m6": "agree",
    "m7": "agree",
    "m8": "agree",
    "m9": "abstain",
}
TOTALS = Counter(CHOICES.values())
TELLERS = ("m8", "m9")
METHODS = ("secret", "secret_electronic")
SEALED, COUNTS = "collegium_sealed_votes", "collegium_ballot_counts"
#: the tables a vote writes: its event and outbox entry, the instance's row, who voted, the sealed
#: choice of an electronic ballot
VOTE_WRITES = {
    "secret": {
        "collegium_instances",
        "collegium_events",
        "collegium_outbox",
        "collegium_ballot_voters",
    },
    "secret_electronic": {
        "collegium_instances",
        "collegium_events",
        "collegium_outbox",
        "collegium_ballot_voters",
        SEALED,
    },
}
#: what else a SQLite commit may write: page 1's header, AUTOINCREMENT's counters, freed pages
SQLITE_BOOKKEEPING = frozenset({"sqlite_schema", "sqlite_sequence", "freelist"})


RecordProperty = Callable[[str, object], None]  # pytest's record_property fixture


class Ballot:
    """One secret ballot through the public API: the only code in this module that names the
    engine's triggers and payloads (open_meeting with the tellers and, for an electronic ballot, the
    ballot key; the members' views, stated openly first; vote; count_ballots by a teller;
    close_ballot by the chair)."""

    def __init__(self, engine: Engine, clock: ManualClock, method: str) -> None:
        from collegium import TellerKey  # here: a collegium without it fails each test, not import

        self.engine, self.clock, self.method = engine, clock, method
        self.key = TellerKey.generate() if method == "secret_electronic" else None
        self.iid = ""

    def open(self) -> None:
        iid = to_deliberation(self.engine)
        consult_all(self.engine, iid)
        meeting_at = self.clock.now() + dt.timedelta(days=2)
        self.engine.fire(iid, "schedule", "sec", {"meeting_at": meeting_at.isoformat()})
        self.clock.advance(dt.timedelta(days=2))
        data: dict[str, object] = {
            "attendance": dict.fromkeys(CHOICES, "present"),
            "method": self.method,
            "tellers": list(TELLERS),
        }
        if self.key is not None:
            data["ballot_key"] = self.key.public
        self.engine.fire(iid, "open_meeting", "sec", data)
        state_views(self.engine, iid)  # every member's view, stated openly before the vote
        self.iid = iid

    def vote_all(self) -> None:
        for person, choice in CHOICES.items():
            self.clock.advance(dt.timedelta(minutes=1))
            payload = None if self.key is None else {"choice": choice}
            self.engine.fire(self.iid, "vote", person, payload)

    def count(self) -> None:
        if self.key is None:
            counts = {**{o: TOTALS[o] for o in OPTIONS}, "blank": 0, "invalid": 0}
            payload: dict[str, object] = {"counts": counts}
        else:
            payload = {"teller_secret": self.key.secret}
        self.engine.fire(self.iid, "count_ballots", TELLERS[0], payload)

    def close(self) -> str:
        return self.engine.fire(self.iid, "close_ballot", "sec").instance.state


@contextlib.contextmanager
def ballot_on(url: str, clock: ManualClock, method: str) -> Iterator[Ballot]:
    engine = Engine.open(url, clock=clock, ids=SequentialIds())
    try:
        engine.define_body(standing_committee())
        yield Ballot(engine, clock, method)
    finally:
        engine.close()


def _query(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def assert_closed_and_counted(url: str, state: str) -> str:
    """By plain SQL: the ballot passed with the known totals, every voter recorded, no sealed
    choice left. Returns the ballot's id."""
    ((ballot_id,),) = _query(url, "SELECT DISTINCT ballot_id FROM collegium_ballot_voters")
    rows = _query(url, f"SELECT choice, count FROM {COUNTS} WHERE ballot_id = :b", b=ballot_id)
    totals = {choice: n for choice, n in rows}
    assert state == "adopted"
    assert {o: totals.get(o) for o in OPTIONS} == {o: TOTALS[o] for o in OPTIONS}
    assert _query(url, "SELECT count(*) FROM collegium_ballot_voters") == [(len(CHOICES),)]
    assert _query(url, f"SELECT count(*) FROM {SEALED}") == [(0,)]
    return str(ballot_id)


def sealed_now(url: str) -> list[bytes]:
    """The sealed choices as stored (bytes of the stored value, whatever its type)."""
    return [
        v if isinstance(v, bytes) else str(v).encode()
        for (v,) in _query(url, f"SELECT sealed FROM {SEALED}")
    ]


def assert_opaque(method: str, sealed: list[bytes]) -> None:
    """An electronic ballot holds one ciphertext per voter while open, all of one length, all
    different (equal choices do not seal alike), none naming an option; a paper ballot none."""
    if method == "secret":
        assert sealed == []
        return
    assert len(sealed) == len(CHOICES) and len(set(sealed)) == len(sealed)
    assert len({len(s) for s in sealed}) == 1
    assert [s for s in sealed if any(o.encode() in s for o in OPTIONS)] == []


def pieces(sealed: list[bytes]) -> list[bytes]:
    """16 bytes from the start, middle and end of each ciphertext, to find any copy or remnant."""
    return [p for s in sealed for p in (s[:16], s[len(s) // 2 - 8 : len(s) // 2 + 8], s[-16:])]


def assert_a_vote_writes_no_more(
    method: str, traces: dict[str, list[Trace]], bookkeeping: frozenset[str] = frozenset()
) -> None:
    """Each voter's transaction wrote only the vote's tables, and one sealed choice exactly when
    the ballot is electronic."""
    allowed = VOTE_WRITES[method] | bookkeeping
    for voter, ts in traces.items():
        written = set().union(*(t.tables for t in ts))
        assert written <= allowed, (voter, sorted(written - allowed))
        sealed = [t.where for t in ts if SEALED in t.tables]
        assert len(sealed) == (method == "secret_electronic"), (voter, sealed)


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_no_tuple_version_or_wal_record_links_a_voter_to_a_choice(
    db_url: str,
    clock: ManualClock,
    method: str,
    record_property: RecordProperty,
) -> None:
    raw = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with raw.connect() as conn:
            pg.enable(conn)
            since = pg.wal_position(conn)
        with ballot_on(db_url, clock, method) as ballot:
            ballot.open()
            ballot.vote_all()
            assert_opaque(method, sealed_now(db_url))
            with raw.connect() as conn:
                voters = pg.voter_xids(conn)
                assert sorted(voters.values()) == sorted(CHOICES)
                open_traces = pg.voter_traces(conn, voters, pg.user_tables(conn))
            # what a vote wrote: the versions it created (xmin) or replaced (xmax)
            assert_a_vote_writes_no_more(
                method,
                {
                    v: [t for t in ts if "free space" not in t.where]
                    for v, ts in open_traces.items()
                },
            )
            assert links(open_traces, OPTIONS) == {}
            ballot.count()
            state = ballot.close()
        ballot_id = assert_closed_and_counted(db_url, state)
        with raw.connect() as conn:
            wal = pg.wal_records(conn, since)
            totals_before_vacuum = pg.versions(conn, COUNTS)
        pg.vacuum(db_url)
        with raw.connect() as conn:
            tables = pg.user_tables(conn)
            traces = pg.voter_traces(conn, voters, tables, wal)
            every_version = [v.trace().content for t in tables for v in pg.versions(conn, t)]
            left = pg.residue(conn, SEALED, voters)
    finally:
        raw.dispose()
    assert all(traces[v] for v in CHOICES)  # each voter's own versions and WAL records were read
    assert links(traces, OPTIONS) == {}
    assert [r for content in every_version for r in choice_runs(content, OPTIONS)] == []
    # each transaction that wrote totals (no voter's) wrote each total once, and apart from its
    # deletions of sealed choices: a total written between two deletions would tie them to it
    writers = {v.xmin for v in totals_before_vacuum if v.values[0] == ballot_id.encode()}
    assert writers and not writers & voters.keys()
    for writer in writers:
        choices = [v.values[1] for v in totals_before_vacuum if v.xmin == writer]
        assert len(choices) == len(set(choices)), (writer, choices)
        order = [r.tables for r in wal if r.xid == writer and r.kind.startswith("Heap")]
        assert switches(order, SEALED, COUNTS) <= 1, [r.kind for r in wal if r.xid == writer]
    with_data = sum(r.data is not None for r in wal)
    record_property(
        "figures",
        f"{method}: {len(wal)} WAL records read, {with_data} with their "
        f"data; {len(left)} sealed choices' headers left in free space",
    )


# -- SQLite --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_sqlite_no_commit_links_a_voter_and_the_close_leaves_no_ciphertext(
    db_url: str, clock: ManualClock, method: str, tmp_path: Path
) -> None:
    path = Path(str(sa.make_url(db_url).database))
    files = sq.database_files(path)
    scratch = tmp_path / "replay"
    scratch.mkdir()
    with ballot_on(db_url, clock, method) as ballot:
        ballot.open()
        ballot.vote_all()
        sealed = sealed_now(db_url)
        assert_opaque(method, sealed)
        wal = files[1].read_bytes()
        by_voter = sq.voter_commits(sq.changes(path, wal, scratch), CHOICES)
        assert {v: len(cs) for v, cs in by_voter.items()} == dict.fromkeys(CHOICES, 1)
        pages = {v: {t for c in cs for t in c.page_tables.values()} for v, cs in by_voter.items()}
        assert [v for v, ts in pages.items() if ts & CHOICE_TABLES] == []
        assert all(ts <= VOTE_WRITES[method] | SQLITE_BOOKKEEPING for ts in pages.values()), pages
        assert_a_vote_writes_no_more(
            method,
            {v: [t for c in cs for t in c.row_traces()] for v, cs in by_voter.items()},
            SQLITE_BOOKKEEPING,
        )
        assert (
            links({v: [t for c in cs for t in c.traces()] for v, cs in by_voter.items()}, OPTIONS)
            == {}
        )
        assert choice_runs(wal, OPTIONS) == []
        ballot.count()
        state = ballot.close()
        # the engine still open: what the files hold now
        assert sq.find_bytes(files, pieces(sealed)) == []
        assert _wal_links(path, files[1], scratch) == {}
    assert_closed_and_counted(db_url, state)
    assert sq.find_bytes(files, pieces(sealed)) == []
    assert [r for f in files if f.exists() for r in choice_runs(f.read_bytes(), OPTIONS)] == []


def _wal_links(path: Path, wal_path: Path, scratch: Path) -> dict[str, list[str]]:
    """What the WAL, if it still holds commits, links of voters to choices."""
    if not wal_path.exists():
        return {}
    found = sq.voter_commits(sq.changes(path, wal_path.read_bytes(), scratch), CHOICES)
    return links({v: [t for c in cs for t in c.traces()] for v, cs in found.items()}, OPTIONS)


# -- MariaDB -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)
def test_on_mariadb_no_statement_of_a_vote_links_a_voter_to_a_choice(
    db_url: str, clock: ManualClock, method: str
) -> None:
    database = str(sa.make_url(db_url).database)
    with my.general_log(db_url) as log, ballot_on(db_url, clock, method) as ballot:
        ballot.open()
        ballot.vote_all()
        assert_opaque(method, sealed_now(db_url))
        by_voter = my.voter_transactions(log.transactions(database), CHOICES)
        assert {v: len(txs) for v, txs in by_voter.items()} == dict.fromkeys(CHOICES, 1)
        assert_a_vote_writes_no_more(
            method,
            {
                v: [s.trace() for tx in txs for s in tx if s.trace().tables]
                for v, txs in by_voter.items()
            },
        )
        ballot.count()
        state = ballot.close()
    assert_closed_and_counted(db_url, state)
    transactions = log.transactions(database)
    by_voter = my.voter_transactions(transactions, CHOICES)
    assert (
        links({v: [s.trace() for tx in txs for s in tx] for v, txs in by_voter.items()}, OPTIONS)
        == {}
    )
    assert [r for tx in transactions for s in tx for r in choice_runs(s.text, OPTIONS)] == []
    counting = [tx for tx in transactions if any(COUNTS in s.trace().tables for s in tx)]
    assert counting and not [tx for tx in counting for txs in by_voter.values() if tx in txs]
    for tx in counting:  # totals written apart from the deletions of sealed choices
        assert switches([s.trace().tables for s in tx], SEALED, COUNTS) <= 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)
def test_on_mariadb_no_record_version_in_the_table_files_or_undo_log_links_a_voter(
    db_url: str,
    clock: ManualClock,
    method: str,
    record_property: RecordProperty,
) -> None:
    with my.held_snapshot(db_url):
        with ballot_on(db_url, clock, method) as ballot:
            ballot.open()
            ballot.vote_all()
            ballot.count()
            state = ballot.close()
        voters_file = my.table_file(db_url, "collegium_ballot_voters")
        if voters_file is None:
            pytest.skip("MariaDB's data files cannot be read from here: record versions unchecked")
        my.flush_dirty_pages(db_url)
        undo = my.system_tablespace(db_url)
        totals_file, votes_file = (my.table_file(db_url, t) for t in (COUNTS, "collegium_votes"))
    ballot_id = assert_closed_and_counted(db_url, state)
    assert totals_file is not None and votes_file is not None
    voters = my.voter_trx_ids(voters_file, ballot_id, CHOICES)
    assert sorted(voters.values()) == sorted(CHOICES), "a voter's transaction id was not found"
    images = [
        im
        for key in (*OPTIONS, "blank", "invalid")
        for im in my.record_images(totals_file, COUNTS, (ballot_id + key).encode(), undo)
    ]
    assert {im.key for im in images} >= {(ballot_id + o).encode() for o in OPTIONS}
    images += [
        im
        for v in CHOICES
        for im in my.record_images(votes_file, "collegium_votes", (ballot_id + v).encode(), undo)
    ]
    assert links(my.voter_traces(images, voters), OPTIONS) == {}
    in_undo = sum(im.where.startswith("undo") for im in images)
    record_property(
        "figures",
        f"{method}: {len(images)} versions of totals and votes read, "
        f"{in_undo} of them in the undo log"
        f"{'' if undo is not None else ' (undo log not readable)'}",
    )
