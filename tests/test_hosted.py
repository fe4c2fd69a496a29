"""Running inside the host's transaction (issue 7, point 1): on the host's Connection or Session, a
host record and the decision step commit or roll back together, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from collegium import (
    ConcurrentUpdate,
    Engine,
    InvalidInput,
    ManualClock,
    RuleViolation,
    SequentialIds,
    SqlStore,
    TransitionNotAllowed,
)
from collegium.store import hosted
from tests.conftest import propose, standing_committee

host_metadata = sa.MetaData()
records = sa.Table(
    "host_records",
    host_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(64), nullable=False),
)


@pytest.fixture
def host_engine(db_url: str, clock: ManualClock) -> Iterator[sa.Engine]:
    """The host's own SQLAlchemy engine (its defaults, not Collegium's), on a database Collegium has
    migrated."""
    with Engine.open(db_url, clock=clock) as owned:
        owned.define_body(standing_committee())
    host = sa.create_engine(db_url)
    host_metadata.drop_all(host)
    host_metadata.create_all(host)
    yield host
    host_metadata.drop_all(host)
    host.dispose()


def _state(db_url: str, clock: ManualClock) -> tuple[int, int, int]:
    """(instances, events, pending outbox entries) as another process sees them."""
    with Engine.open(db_url, clock=clock) as other:
        found = other.instances()
        return (
            len(found),
            sum(len(other.history(i.id)) for i in found),
            len(other.outbox.pending(1000)),
        )


def _host_rows(host: sa.Engine) -> int:
    with host.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(records)).scalar_one())


@pytest.mark.parametrize("kind", ["connection", "session"])
@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_host_record_and_step_commit_or_roll_back_together(
    host_engine: sa.Engine, db_url: str, clock: ManualClock, kind: str, outcome: str
) -> None:
    with host_engine.connect() as conn, Session(host_engine) as session:
        target: sa.Connection | Session = conn if kind == "connection" else session
        run = conn.execute if kind == "connection" else session.execute
        engine = Engine.open(target, clock=clock, ids=SequentialIds())
        iid = propose(engine)
        run(
            sa.insert(records).values(id=1, note="proposal filed")
        )  # the host's own row, between two steps
        fired = engine.fire(iid, "prepare", "m1")
        assert (
            engine.get(iid).state == fired.instance.state
        )  # the host's transaction reads its own writes
        assert [e.seq for e in engine.history(iid)] == [1, 2]
        assert len(engine.outbox.pending()) == 2
        target.commit() if outcome == "commit" else target.rollback()
        engine.close()
    if outcome == "commit":
        assert (_host_rows(host_engine), _state(db_url, clock)) == (1, (1, 2, 2))
    else:
        # a successful fire, then the host's rollback: no Collegium state, no event, nothing in the
        # outbox
        assert (_host_rows(host_engine), _state(db_url, clock)) == (0, (0, 0, 0))


def test_a_refused_command_undoes_only_its_own_writes(
    host_engine: sa.Engine, db_url: str, clock: ManualClock
) -> None:
    with host_engine.connect() as conn:
        engine = Engine.open(conn, clock=clock, ids=SequentialIds())
        conn.execute(sa.insert(records).values(id=1, note="before"))
        iid = propose(engine)
        engine.fire(iid, "prepare", "m1", idempotency_key="k1")
        again = engine.fire(
            iid, "prepare", "m1", idempotency_key="k1"
        )  # a resend in the same transaction
        assert again.replayed
        engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
        with pytest.raises(RuleViolation):  # scheduling before the members were consulted
            engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-10T09:00+08:00"})
        with pytest.raises(InvalidInput):
            engine.fire(iid, "no_such_trigger", "sec")
        conn.execute(sa.insert(records).values(id=2, note="after"))
        conn.commit()
        engine.close()
    assert (_host_rows(host_engine), _state(db_url, clock)) == (2, (1, 3, 3))


def test_the_host_commits_in_several_transactions_on_one_session(
    host_engine: sa.Engine, db_url: str, clock: ManualClock
) -> None:
    with Session(host_engine) as session:
        engine = Engine.open(session, clock=clock, ids=SequentialIds())
        iid = propose(engine)
        session.commit()
        engine.fire(iid, "prepare", "m1")
        session.rollback()
        engine.fire(
            iid, "prepare", "m1"
        )  # the session's next transaction: the rolled-back step is gone
        session.commit()
        engine.close()
    assert _state(db_url, clock) == (1, 2, 2)


def test_definitions_rolled_back_with_the_host_are_written_again(
    host_engine: sa.Engine, db_url: str, clock: ManualClock
) -> None:
    with host_engine.connect() as conn:
        engine = Engine.open(conn, clock=clock, ids=SequentialIds())
        propose(engine)
        conn.rollback()  # the first start stored the procedure's texts: rolled back with it
        iid = propose(engine)
        conn.commit()
        engine.close()
    with Engine.open(db_url, clock=clock) as other:
        assert other.verify_audit().ok and other.get(iid).state == "proposed"
    with host_engine.connect() as conn:
        kinds = (
            conn.execute(sa.text("SELECT DISTINCT kind FROM collegium_definitions")).scalars().all()
        )
    assert {"procedure", "pack"} <= set(kinds)


def test_the_host_transaction_is_never_migrated_behind_its_back(
    db_url: str, clock: ManualClock
) -> None:
    host = sa.create_engine(db_url)
    try:
        with host.connect() as conn:
            with pytest.raises(InvalidInput, match="db upgrade"):
                SqlStore(conn)
            conn.rollback()
            hosted.upgrade(conn)  # in the host's transaction: the host commits
            conn.commit()
            with Engine.open(conn, clock=clock, ids=SequentialIds()) as engine:
                engine.define_body(standing_committee())
                propose(engine)
                conn.commit()
    finally:
        host.dispose()
    assert _state(db_url, clock)[:2] == (1, 1)


def test_a_retry_under_repeatable_read_cannot_see_the_other_commit(
    host_engine: sa.Engine, db_url: str, clock: ManualClock
) -> None:
    """Under REPEATABLE READ the host's snapshot predates another writer's commit. PostgreSQL
    refuses to lock the changed row in that snapshot: the retries fail alike and the command raises
    ConcurrentUpdate instead of writing over it. MariaDB's locking read sees the latest row (with
    innodb_snapshot_isolation off, its default before 11.6), so the command is judged on it — here
    refused, as the instance has moved on. Either way nothing is written over the other commit and
    the host's transaction stays usable for its rollback."""
    if host_engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: the host's transaction holds the write lock")
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as owned:
        iid = propose(owned)
    rr = host_engine.execution_options(isolation_level="REPEATABLE READ")
    with rr.connect() as conn:
        engine = Engine.open(conn, clock=clock, ids=SequentialIds())
        engine.max_retries = 2
        assert engine.get(iid).state == "proposed"  # the snapshot is taken here
        with Engine.open(db_url, clock=clock) as other:
            other.fire(iid, "prepare", "m1")
        expected = ConcurrentUpdate if conn.dialect.name == "postgresql" else TransitionNotAllowed
        with pytest.raises(expected):
            engine.fire(iid, "prepare", "m1")
        conn.rollback()
        engine.close()
    assert _state(db_url, clock)[:2] == (1, 2)


HOST_ENV = """
from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

url = context.config.get_main_option("sqlalchemy.url")
with create_engine(url, poolclass=NullPool).connect() as conn:
    context.configure(connection=conn, version_table="host_alembic_version")
    with context.begin_transaction():
        context.run_migrations()
"""

HOST_REVISION = """
import sqlalchemy as sa
from alembic import op

from collegium.store import hosted

revision = "h1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("host_letters", sa.Column("id", sa.Integer, primary_key=True))
    hosted.upgrade(op.get_bind())  # Collegium's tables, as a step of the host's migration
    # the host's op still works
    op.create_table("host_tasks", sa.Column("id", sa.Integer, primary_key=True))
"""


def test_collegium_migrates_as_a_step_of_the_host_migration(
    db_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    from alembic import command
    from alembic.config import Config

    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(HOST_ENV, encoding="utf-8")
    (tmp_path / "versions" / "h1.py").write_text(HOST_REVISION, encoding="utf-8")
    cfg = Config()
    cfg.set_main_option("script_location", str(tmp_path))
    cfg.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    command.upgrade(cfg, "head")
    host = sa.create_engine(db_url)
    try:
        names = set(sa.inspect(host).get_table_names())
        with host.connect() as conn:
            with Engine.open(
                conn, clock=clock, ids=SequentialIds()
            ) as engine:  # current: opens without migrating
                engine.define_body(standing_committee())
                propose(engine)
                conn.commit()
            for table in ("host_letters", "host_tasks", "host_alembic_version"):
                conn.execute(sa.text(f"DROP TABLE {table}"))
            conn.commit()
    finally:
        host.dispose()
    assert {"host_letters", "host_tasks", "collegium_outbox", "collegium_alembic_version"} <= names
    assert _state(db_url, clock)[:2] == (1, 1)
