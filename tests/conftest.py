"""Shared fixtures. Store-backed tests run on SQLite, PostgreSQL and MariaDB (one suite,
parametrized).

Server URLs come from COLLEGIUM_TEST_POSTGRESQL_URL and COLLEGIUM_TEST_MARIADB_URL (defaults: the
local servers of the development machine); each test session works in a private database it creates
there and drops at the end, and every test starts from empty tables. An unreachable server skips
its tests with the reason — except under CI=true, where it fails them: CI must prove all three
backends.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from collegium import Body, Engine, ManualClock, Member, Registry, SequentialIds, TellerKey
from collegium.store import schema
from tests._store_summary import (  # noqa: F401
    # hooks: the store suite's count per backend at the end of a run
    pytest_collection_modifyitems,
    pytest_runtest_logreport,
    pytest_terminal_summary,
)

#: the command line takes its language from COLLEGIUM_LANG or the locale when --lang is not given;
#: the tests read English unless they give another (tests/test_cli_language.py sets its own)
os.environ["COLLEGIUM_LANG"] = "en"

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)

SERVER_URLS = {
    "postgresql": os.environ.get(
        "COLLEGIUM_TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get(
        "COLLEGIUM_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
    ),
}
#: every table Collegium creates (from its schema, so a new table is never left behind between
#: tests)
TABLES = (*(t.name for t in reversed(schema.metadata.sorted_tables)), schema.VERSION_TABLE)


def _reset_tables(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for table in TABLES:
                conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    finally:
        engine.dispose()


class _ServerDatabases:
    """One private database per test session on each server, so parallel runs never share tables."""

    def __init__(self) -> None:
        self.name = f"collegium_test_{os.getpid()}"
        self.urls: dict[str, str | Exception] = {}

    def url(self, backend: str) -> str:
        if backend not in self.urls:
            try:
                self.urls[backend] = self._create(backend)
            except Exception as exc:  # any driver error means the server is not usable here
                self.urls[backend] = exc
        found = self.urls[backend]
        if isinstance(found, Exception):
            reason = (
                f"{backend} at {SERVER_URLS[backend]} is not reachable: "
                f"{found.__class__.__name__}: {str(found).splitlines()[0]}"
            )
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason} (CI=true: server databases are required)")
            pytest.skip(reason)
        return found

    def _admin(self, backend: str) -> sa.Engine:
        return sa.create_engine(SERVER_URLS[backend], isolation_level="AUTOCOMMIT")

    def _drop(self, backend: str) -> str:
        # a test that failed may leave a pooled session behind: PostgreSQL can end it (13+)
        force = " WITH (FORCE)" if backend == "postgresql" else ""
        return f"DROP DATABASE IF EXISTS {self.name}{force}"

    def _create(self, backend: str) -> str:
        admin = self._admin(backend)
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(self._drop(backend)))
                conn.execute(sa.text(f"CREATE DATABASE {self.name}"))
        finally:
            admin.dispose()
        return str(
            sa.make_url(SERVER_URLS[backend])
            .set(database=self.name)
            .render_as_string(hide_password=False)
        )

    def drop_all(self) -> None:
        for backend, url in self.urls.items():
            if isinstance(url, Exception):
                continue
            admin = self._admin(backend)
            try:
                with admin.connect() as conn:
                    conn.execute(sa.text(self._drop(backend)))
            finally:
                admin.dispose()


def shipped_as_user_files() -> Registry:
    """The packs and procedures shipped with Collegium, loaded as anyone's files: every rule
    compiled (and checked) as they load, where ``Registry.builtin`` compiles on first use."""
    from importlib import resources

    reg = Registry()
    root = resources.files("collegium")
    for entry in sorted(root.joinpath("rules", "packs").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            reg.add_pack_text(entry.read_text(encoding="utf-8"), entry.name)
    for entry in sorted(root.joinpath("workflows").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            reg.add_workflow_text(entry.read_text(encoding="utf-8"), entry.name)
    return reg


@pytest.fixture(scope="session")
def server_databases() -> Iterator[_ServerDatabases]:
    dbs = _ServerDatabases()
    yield dbs
    dbs.drop_all()


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, server_databases: _ServerDatabases
) -> str:
    """A fresh, empty database on each backend."""
    backend = request.param
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'collegium.db'}"
    url = server_databases.url(backend)
    _reset_tables(url)
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def standing_committee(size: int = 11, body_id: str = "sc", kind: str = "standing") -> Body:
    """secretary ``sec``, deputy ``dep``, then standing members m1, m2, …"""
    members = [
        Member(person="sec", role="secretary"),
        Member(person="dep", role="deputy_secretary"),
    ]
    members += [Member(person=f"m{i}", role="standing_member") for i in range(1, size - 1)]
    return Body(id=body_id, kind=kind, members=tuple(members[:size]))


@pytest.fixture
def engine(clock: ManualClock) -> Iterator[Engine]:
    eng = Engine.in_memory(clock=clock, ids=SequentialIds())
    eng.define_body(standing_committee())
    yield eng
    eng.close()


@pytest.fixture
def sql_engine(db_url: str, clock: ManualClock) -> Iterator[Engine]:
    eng = Engine.open(db_url, clock=clock, ids=SequentialIds())
    eng.define_body(standing_committee())
    yield eng
    eng.close()


MATTER = {
    "title": "County budget 2026",
    "category": "major",
    "proposer": "sec",
    "lead_member": "m1",
    "body": "sc",
    "confidentiality": "public",
}


def propose(engine: Engine, **overrides: object) -> str:
    return engine.start("major_decision", "sec", {**MATTER, **overrides}).instance.id


def to_deliberation(engine: Engine, **overrides: object) -> str:
    iid = propose(engine, **overrides)
    engine.fire(iid, "prepare", "m1")
    engine.fire(
        iid, "start_deliberation", "m1", {"preparation": "research and expert consultation done"}
    )
    return iid


def consult_all(engine: Engine, iid: str, body_id: str = "sc") -> None:
    for m in engine.body(body_id).members:
        engine.fire(iid, "consult", "sec", {"member": m.person, "view": "agree"})


def state_views(engine: Engine, iid: str, view: str = "agree") -> None:
    """Every present, non-recused voting member of the matter's meeting states ``view``, the
    secretary last (末位表态): what the pack requires before the first vote (R-CHAIR-LAST)."""
    seats = engine.meeting(iid).seats
    speakers = [p for p, s in seats.items() if s.voting and s.attendance == "present"]
    for person in sorted(speakers, key=lambda p: seats[p].role == "secretary"):
        if seats[person].view is None:
            engine.fire(iid, "state_view", person, {"view": view})


def to_meeting(engine: Engine, clock: ManualClock, present: int = 11, **overrides: object) -> str:
    iid = to_deliberation(engine, **overrides)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=3)).isoformat()}
    )
    clock.advance(dt.timedelta(days=3))
    people = [m.person for m in engine.body("sc").members]
    attendance = {p: ("present" if i < present else "absent") for i, p in enumerate(people)}
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance})
    return iid


#: the tellers' key pair of the tests' electronic secret ballots (fixed, so that runs repeat)
TELLERS_KEY = TellerKey.from_secret(
    "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRSQ"
)


def secret_ballot(
    method: str = "secret_electronic", tellers: tuple[str, ...] = ("m8", "m9")
) -> dict[str, object]:
    """What ``open_meeting`` takes for a secret ballot by ``method``, counted by ``tellers``."""
    data: dict[str, object] = {"method": method, "tellers": list(tellers)}
    if method == "secret_electronic":
        data["ballot_key"] = TELLERS_KEY.public
    return data


def count(
    engine: Engine, iid: str, counts: dict[str, object] | None = None, teller: str = "m8"
) -> None:
    """The tellers count the instance's secret ballot: with ``counts`` (paper ballots), else with
    their secret."""
    engine.fire(
        iid,
        "count_ballots",
        teller,
        {"counts": counts} if counts is not None else {"teller_secret": TELLERS_KEY.secret},
    )


def carry_out(engine: Engine, iid: str) -> str:
    """Hand a published decision over, assign it one task (lead m1) and start carrying it out; the
    task's id."""
    engine.fire(iid, "hand_over", "sec")
    task = engine.fire(
        iid,
        "assign",
        "sec",
        {
            "title": "Resurface the county road",
            "lead_member": "m1",
            "departments": ["transport bureau"],
            "deadline": "2026-12-31T18:00+08:00",
        },
    ).started[0]
    engine.fire(iid, "start_execution", "sec")
    return task


def sweep_to(engine: Engine, clock: ManualClock, end: dt.datetime, *, daily: bool) -> None:
    """Move the clock to ``end`` running the timer sweep once a day on the way, or only once at
    ``end``: the two must give the same history."""
    if daily:
        while clock.now() < end:
            clock.advance(dt.timedelta(days=1))
            engine.run_due()
    else:
        clock.set(end)
        engine.run_due()
