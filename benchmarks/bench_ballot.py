"""Figures (e): ballots of a large body. (e1) casting 3,000 named votes, one
command each, on SQLite; (e2)/(e3) the tally of 3,000 and of 100,000 votes, each
against raw ``sqlite3`` in the same run.

Same method as the other figures: Collegium and its floor alternate in one process, set-up is
untimed, the collector is off while timing, and the figure is the median of the repetitions.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import pragmas
from benchmarks import scenario as sc
from benchmarks.bench_core import Figure, Settings, _timed, alternate, temp_dir
from collegium.engine.clock import ManualClock, SequentialIds, format_time
from collegium.engine.engine import Engine
from collegium.store.bodies import Body, Member


@dataclass(frozen=True, slots=True)
class BallotSettings:
    """How much work (e) does in a mode. A repetition of (e1) opens a fresh ballot of ``voters``
    members (untimed), puts ``prefill`` of its rows in directly (untimed; quick mode only), then
    times ``cast`` votes, one ``fire`` each. The prefills step through the ballot so that the
    repetitions sample the cost of a vote early, midway and late in it; the last repetition ends
    with every member's vote in."""

    # members of the body (one secretary, the rest standing members), all present and voting
    voters: int
    big: int  # rows of the (e3) ballot
    cast: int  # votes cast by fire per repetition of (e1)
    cast_reps: int
    tally_loops: (
        int  # engine.ballot calls per sample of (e2); (e3) does a tenth of them (at least 1)
    )
    tally_reps: int

    def prefills(self) -> list[int]:
        room = self.voters - self.cast
        if self.cast_reps == 1 or room == 0:
            return [room] * self.cast_reps
        return [round(i * room / (self.cast_reps - 1)) for i in range(self.cast_reps)]


QUICK = BallotSettings(
    voters=3_000, big=100_000, cast=100, cast_reps=5, tally_loops=10, tally_reps=5
)
FULL = BallotSettings(
    voters=3_000, big=100_000, cast=3_000, cast_reps=3, tally_loops=20, tally_reps=11
)

CHOICES = ("agree", "agree", "oppose", "abstain")  # the n-th voter's choice is CHOICES[n % 4]
_GROUP_BY = "SELECT choice, count(*) FROM collegium_votes WHERE ballot_id = ? GROUP BY choice"
_INSERT_VOTE = "INSERT INTO collegium_votes (ballot_id, voter, choice) VALUES (?, ?, ?)"


def settings_for(s: Settings) -> BallotSettings:
    return QUICK if s.mode == "quick" else FULL


def congress(size: int) -> Body:
    """A plenary body of ``size``: secretary ``sec`` and standing members v000001, v000002, …"""
    members = (
        Member(person="sec", role="secretary"),
        *(Member(person=f"v{i:06d}", role="standing_member") for i in range(1, size)),
    )
    return Body(id="congress", kind="plenary", members=members)


MATTER: dict[str, Any] = {
    "title": "Five-year plan",
    "category": "important",
    "proposer": "sec",
    "lead_member": "v000001",
    "body": "congress",
    "confidentiality": "public",
}


def _bulk(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], sql: str = _INSERT_VOTE) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")


class Congress:
    """A SQLite database with a body of ``voters`` members and the means to open ballots in it."""

    def __init__(self, root: Path, voters: int) -> None:
        self.path = root / "congress.db"
        self.clock = ManualClock(sc.START)
        self.engine = Engine.open(str(self.path), clock=self.clock, ids=SequentialIds())
        self.body = self.engine.define_body(congress(voters))
        self.people = [m.person for m in self.body.members]
        self.attendance = dict.fromkeys(self.people, "present")
        self.speakers = sc.speaking_order(self.body.members)
        self.raw = pragmas.connect(self.path)  # for untimed prefills and the (e2)/(e3) floor

    def open_ballot(self, **meeting: object) -> tuple[str, str]:
        """A new ``major_decision`` taken to ``in_meeting`` with everyone present (``meeting``: more
        data for ``open_meeting``, e.g. its method) and every view stated, so that a vote may be
        cast; (instance id, ballot id)."""
        e, clock = self.engine, self.clock
        iid = e.start("major_decision", "sec", MATTER).instance.id
        e.fire(iid, "prepare", "v000001")
        e.fire(iid, "start_deliberation", "v000001", {"preparation": "drafting committee report"})
        e.fire(iid, "schedule", "sec", {"meeting_at": format_time(clock.now() + sc.NOTICE)})
        clock.advance(sc.NOTICE)
        out = e.fire(iid, "open_meeting", "sec", {"attendance": self.attendance, **meeting})
        self.state_views(iid)
        return iid, out.instance.facts["ballot"]["id"]

    def state_views(self, iid: str) -> None:
        """Every member states a view, the secretary last (末位表态), as the pack requires before
        the first vote (R-CHAIR-LAST): one ``state_view`` fire each, in one transaction."""
        fire = self.engine.fire
        with self.engine.batch():
            for person in self.speakers:
                fire(iid, "state_view", person, {"view": "agree"})

    def schema(self) -> list[str]:
        return [
            row[0]
            for row in self.raw.execute(
                "SELECT sql FROM sqlite_master "
                "WHERE tbl_name = 'collegium_votes' AND sql IS NOT NULL ORDER BY type DESC"
            )
        ]

    def close(self) -> None:
        self.raw.close()
        self.engine.close()


# -- (e1) casting votes, one command each ------------------------------------------------------
class Casting:
    """Collegium: ``engine.fire(iid, "vote", person, {"choice": …})`` per vote on the congress
    database. Floor: another file in the same dir, the same ``collegium_votes`` DDL, one
    ``BEGIN IMMEDIATE`` / ``INSERT`` / ``COMMIT`` per vote."""

    def __init__(self, root: Path, bs: BallotSettings) -> None:
        self.bs = bs
        self.congress = Congress(root, bs.voters)
        self.floor_conn = pragmas.connect(root / "floor.db")
        for ddl in self.congress.schema():
            self.floor_conn.execute(ddl)
        pragmas.check_same(self.congress.engine, self.floor_conn)
        self.offsets = iter(bs.prefills())  # floor and Collegium each walk the same offsets
        self.floor_offsets = iter(bs.prefills())
        self.serial = 0
        self.last: tuple[str, str] | None = (
            None  # (instance, ballot) of Collegium's latest repetition
        )

    def _plan(self, offset: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(voter, choice) of the rows put in directly, and of the votes to time."""
        people = self.congress.people
        pre = [(people[i], CHOICES[i % 4]) for i in range(offset)]
        timed = [
            (people[i], CHOICES[i % 4])
            for i in range(offset, min(offset + self.bs.cast, len(people)))
        ]
        return pre, timed

    def ballot(self, offset: int) -> Callable[[], int]:
        """Open a fresh ballot, put its first ``offset`` rows in directly
        (untimed); return the casting."""
        iid, bid = self.congress.open_ballot()
        pre, timed = self._plan(offset)
        if pre:
            _bulk(self.congress.raw, [(bid, p, c) for p, c in pre])
        fire = self.congress.engine.fire
        self.last = (iid, bid)

        def cast() -> int:
            for person, choice in timed:
                fire(iid, "vote", person, {"choice": choice})
            return len(timed)

        return cast

    def collegium(self, offset: int | None = None) -> float:
        return _timed(self.ballot(next(self.offsets) if offset is None else offset))

    def floor(self, offset: int | None = None) -> float:
        offset = next(self.floor_offsets) if offset is None else offset
        self.serial += 1
        bid = f"floor-{self.serial}/5"
        pre, timed = self._plan(offset)
        conn = self.floor_conn
        if pre:
            _bulk(conn, [(bid, p, c) for p, c in pre])
        execute = conn.execute

        def cast() -> int:
            for person, choice in timed:
                execute("BEGIN IMMEDIATE")
                execute(_INSERT_VOTE, (bid, person, choice))
                execute("COMMIT")
            return len(timed)

        return _timed(cast)

    def close(self) -> None:
        self.floor_conn.close()
        self.congress.close()


class VoteStatements:
    """(e1s), informational: the SQL one vote runs in Collegium, replayed on plain ``sqlite3`` with
    no engine, i.e. what a vote would cost if the Python side cost nothing.

    Another file in the same dir with the same tables and indexes (instances, events, seats, votes)
    and pragmas, the seats of a real (e1) meeting and, per vote, the statements ``engine.fire``
    runs: ``BEGIN IMMEDIATE``; load the instance; the voter's seat; has the voter voted; the
    version-guarded ``UPDATE`` of the instance; the ``INSERT`` of the event; the ``INSERT`` of the
    vote; ``COMMIT``. The instance and event rows are the texts Collegium wrote for the warm-up
    votes (cycled), so row sizes match."""

    def __init__(self, root: Path, congress: Congress, iid: str) -> None:
        src = congress.raw
        self.conn = pragmas.connect(root / "statements.db")
        for (ddl,) in src.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN "
            "('collegium_instances', 'collegium_events', 'collegium_seats', 'collegium_votes') "
            "AND sql IS NOT NULL ORDER BY type DESC"
        ).fetchall():
            self.conn.execute(ddl)
        pragmas.check_same(congress.engine, self.conn)
        self.instance = src.execute(
            "SELECT * FROM collegium_instances WHERE id = ?", (iid,)
        ).fetchone()
        self.events = src.execute(
            "SELECT trigger, actor, source, dest, at, data, verdict, effects, facts_sha, "
            "prev_hash, hash, idempotency_key FROM collegium_events "
            "WHERE instance_id = ? AND trigger = 'vote' ORDER BY seq",
            (iid,),
        ).fetchall()
        seats = src.execute(
            "SELECT * FROM collegium_seats WHERE meeting_id = "
            "(SELECT meeting_id FROM collegium_seats WHERE meeting_id LIKE ? LIMIT 1)",
            (f"{iid}/%",),
        ).fetchall()
        self.meeting = seats[0][0]
        _bulk(self.conn, seats, "INSERT INTO collegium_seats VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        self.people = congress.people
        self.serial = 0

    def run(self, offset: int, cast: int) -> float:
        self.serial += 1
        iid, bid = f"statements-{self.serial}", f"statements-{self.serial}/5"
        row = self.instance
        version, seq = row[6], row[10]
        _bulk(
            self.conn,
            [(iid, *row[1:])],
            "INSERT INTO collegium_instances VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        if offset:
            _bulk(self.conn, [(bid, self.people[i], CHOICES[i % 4]) for i in range(offset)])
        timed = [
            (self.people[i], CHOICES[i % 4])
            for i in range(offset, min(offset + cast, len(self.people)))
        ]
        events, state, facts, meeting, execute = (
            self.events,
            row[5],
            row[7],
            self.meeting,
            self.conn.execute,
        )

        def votes() -> int:
            for n, (person, choice) in enumerate(timed):
                ev = events[n % len(events)]
                execute("BEGIN IMMEDIATE")
                execute(_LOAD, (iid,)).fetchone()
                execute(_SEAT, (meeting, person)).fetchone()
                execute(_VOTED, (bid, person)).fetchone()
                if (
                    execute(
                        _UPDATE,
                        (
                            state,
                            version + n + 1,
                            facts,
                            ev[10],
                            seq + n + 1,
                            ev[4],
                            iid,
                            version + n,
                        ),
                    ).rowcount
                    != 1
                ):
                    raise AssertionError("statement replay lost its version guard")
                execute(_EVENT, (iid, seq + n + 1, *ev))
                execute(_INSERT_VOTE, (bid, person, choice))
                execute("COMMIT")
            return len(timed)

        return _timed(votes)


_LOAD = "SELECT * FROM collegium_instances WHERE id = ?"
_SEAT = (
    "SELECT role, voting, attendance, view FROM collegium_seats WHERE meeting_id = ? AND person = ?"
)
_VOTED = "SELECT voter FROM collegium_votes WHERE ballot_id = ? AND voter = ?"
_UPDATE = (
    "UPDATE collegium_instances SET state = ?, version = ?, facts = ?, head_hash = ?, "
    "event_count = ?, updated_at = ? WHERE id = ? AND version = ?"
)
_EVENT = (
    "INSERT INTO collegium_events (instance_id, seq, trigger, actor, source, dest, at, data, "
    "verdict, effects, facts_sha, prev_hash, hash, idempotency_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


# -- (e2)/(e3) tally ------------------------------------------------------------------------------
def _tally_pair(
    engine: Engine, raw: sqlite3.Connection, iid: str, bid: str, expect: int, loops: int, reps: int
) -> tuple[tuple[list[float], list[float]], tuple[list[float], list[float]]]:
    """Samples of engine.ballot vs the raw GROUP BY, and of Collegium's counts query vs the same."""

    def ballot() -> int:
        for _ in range(loops):
            b = engine.ballot(iid)
        assert sum(b.counts.values()) == expect and len(b.choices) == expect
        return loops

    def counts() -> int:
        with engine.store.unit(write=False) as unit:
            for _ in range(loops):
                c = unit.counts(bid, False)
        assert sum(c.values()) == expect
        return loops

    def group_by() -> int:
        for _ in range(loops):
            rows = raw.execute(_GROUP_BY, (bid,)).fetchall()
        assert sum(n for _, n in rows) == expect
        return loops

    ballot(), counts(), group_by()  # warm-up: page cache, compiled statements
    full = alternate(reps, lambda: _timed(ballot), lambda: _timed(group_by))
    query = alternate(reps, lambda: _timed(counts), lambda: _timed(group_by))
    return full, query


_SCALE = {"ms": 1e3, "µs": 1e6}


def figure_e(s: Settings) -> list[Figure]:
    bs = settings_for(s)
    figures: list[Figure] = []
    with temp_dir() as root:
        bench = Casting(root, bs)
        try:
            # (e1): warm-up on a ballot of its own (the compiled procedure, statement caches),
            # then alternate
            warm = bs.voters - min(bs.cast, 50)
            bench.collegium(offset=warm)
            bench.floor(offset=warm)
            assert bench.last is not None
            statements = VoteStatements(
                root, bench.congress, bench.last[0]
            )  # rows of the warm-up votes
            statements.run(warm, bs.cast)
            xs, ys = alternate(bs.cast_reps, bench.collegium, bench.floor)
            prefilled = bs.prefills()
            how = (
                f"a fresh ballot per repetition, all {bs.cast:,} votes cast by fire"
                if not any(prefilled)
                else f"{bs.cast} votes cast by fire per repetition after "
                f"{', '.join(f'{p:,}' for p in prefilled)} "
                f"rows put in directly (untimed), so the samples span the ballot"
            )
            figures.append(
                Figure(
                    "e1",
                    f"cast a vote, {bs.voters:,}-member ballot",
                    "µs/vote",
                    statistics.median(xs) * 1e6,
                    statistics.median(ys) * 1e6,
                    "raw sqlite3 1-row INSERT txn",
                    5.0,
                    "ratio",
                    [x * 1e6 for x in xs],
                    [y * 1e6 for y in ys],
                    f"plenary body of {bs.voters:,}, all present; {how}; median of {bs.cast_reps}; "
                    f"floor: same collegium_votes DDL, BEGIN IMMEDIATE/INSERT/COMMIT per vote "
                    f"(the engine's pragmas: WAL, synchronous=NORMAL, secure_delete=FAST)",
                )
            )

            # (e1s), informational: the same statements without the engine, against the same floor
            offsets, floor_offsets = iter(bs.prefills()), iter(bs.prefills())
            ss, fs = alternate(
                bs.cast_reps,
                lambda: statements.run(next(offsets), bs.cast),
                lambda: bench.floor(offset=next(floor_offsets)),
            )
            figures.append(
                Figure(
                    "e1s",
                    "  the vote's SQL alone, raw sqlite3",
                    "µs/vote",
                    statistics.median(ss) * 1e6,
                    statistics.median(fs) * 1e6,
                    "raw sqlite3 1-row INSERT txn",
                    3.0,
                    "info",
                    [x * 1e6 for x in ss],
                    [y * 1e6 for y in fs],
                    "informational: the statements one vote runs in Collegium "
                    "(begin, load, seat, voted?, update, event, vote, commit) "
                    "with Collegium's row texts, no engine: the floor of (e1) on this schema",
                )
            )
            statements.conn.close()

            # (e2): the last (e1) ballot holds one vote per member
            engine, raw = bench.congress.engine, bench.congress.raw
            assert bench.last is not None
            iid, bid = bench.last
            filled = (
                "every vote cast by fire"
                if not prefilled[-1]
                else (f"{prefilled[-1]:,} rows put in directly, the last {bs.cast} cast by fire")
            )
            full, query = _tally_pair(
                engine, raw, iid, bid, bs.voters, bs.tally_loops, bs.tally_reps
            )
            figures += _tally_figures(
                "e2",
                f"{bs.voters:,} votes",
                full,
                query,
                bs.tally_reps,
                bs.tally_loops,
                f"the (e1) ballot ({filled})",
                "µs",
            )

            # (e3): a ballot with `big` rows, bulk-inserted into collegium_votes
            iid, bid = bench.congress.open_ballot()
            _bulk(raw, [(bid, f"v{i:06d}", CHOICES[i % 4]) for i in range(bs.big)])
            loops = max(1, bs.tally_loops // 10)
            full, query = _tally_pair(engine, raw, iid, bid, bs.big, loops, bs.tally_reps)
            figures += _tally_figures(
                "e3",
                f"{bs.big:,} votes",
                full,
                query,
                bs.tally_reps,
                loops,
                f"{bs.big:,} rows bulk-inserted; the tally reads them as Collegium would. "
                f"The instance's meeting is that of the {bs.voters:,}-member body: "
                f"open_meeting with {bs.big:,} attendance entries takes minutes (see README)",
                "ms",
            )
        finally:
            bench.close()
    return figures


def _tally_figures(
    key: str,
    what: str,
    full: tuple[list[float], list[float]],
    query: tuple[list[float], list[float]],
    reps: int,
    loops: int,
    source: str,
    unit: str,
) -> list[Figure]:
    k = _SCALE[unit]
    (xs, ys), (qs, zs) = (
        ([x * k for x in full[0]], [y * k for y in full[1]]),
        ([x * k for x in query[0]], [y * k for y in query[1]]),
    )
    return [
        Figure(
            key,
            f"tally {what}: engine.ballot()",
            f"{unit}/tally",
            statistics.median(xs),
            statistics.median(ys),
            "raw sqlite3 GROUP BY",
            2.0,
            "info",
            xs,
            ys,
            f"informational (the tally is the counts query below); {source};"
            f" engine.ballot() = load the instance + counts + voters + choices; "
            f"median of {reps} samples of {loops} calls, "
            f"alternating with the raw GROUP BY on the same database rows",
        ),
        Figure(
            f"{key}q",
            f"tally {what}: counts query only",
            f"{unit}/tally",
            statistics.median(qs),
            statistics.median(zs),
            "raw sqlite3 GROUP BY",
            2.0,
            "ratio",
            qs,
            zs,
            "the GROUP BY Collegium runs for the counts "
            "(store unit's counts(), as at close_ballot), same rows",
        ),
    ]


def profiled(
    key: str, bs: BallotSettings, root: Path
) -> tuple[Callable[[], object], Callable[[], None]]:
    """Set up (untimed) the Collegium side of (e1) or (e3) for cProfile:
    (the call to profile, clean-up).

    (e1): the votes of the mode's middle repetition (``cast`` votes by fire, the ballot opened and
    prefilled beforehand); (e3): ``engine.ballot`` of the bulk-filled ballot,
    ``tally_loops // 10`` times."""
    bench = Casting(root, bs)
    if key == "e1":
        bench.collegium(offset=bs.voters - min(bs.cast, 50))  # warm-up
        return bench.ballot(bs.prefills()[len(bs.prefills()) // 2]), bench.close
    if key == "e3":
        iid, bid = bench.congress.open_ballot()
        _bulk(bench.congress.raw, [(bid, f"v{i:06d}", CHOICES[i % 4]) for i in range(bs.big)])
        engine = bench.congress.engine
        engine.ballot(iid)  # warm-up
        loops = max(1, bs.tally_loops // 10)
        return (lambda: [engine.ballot(iid) for _ in range(loops)]), bench.close
    bench.close()
    raise ValueError(f"no profile for figure {key!r}")
