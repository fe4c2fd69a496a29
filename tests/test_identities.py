"""Exact identities on every backend: ids that differ in case, in a trailing space or in width
are different people, bodies, instances and keys (MariaDB took them for one before revision
0007); and on MariaDB a store refuses the session settings and column collations that would undo
it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from collegium import Body, Engine, InvalidInput, ManualClock, Member, SequentialIds
from tests.conftest import (
    MATTER,
    TELLERS_KEY,
    consult_all,
    count,
    propose,
    secret_ballot,
    state_views,
)
from tests.test_authorization import refused_by

#: four people, not one: case, a trailing space and a fullwidth letter each make an id of its own
LOOKALIKES = ("m3", "M3", "m3 ", "ｍ3")
SEATED = ("sec", "dep", "m1", *LOOKALIKES)


def committee() -> Body:
    roles = {"sec": "secretary", "dep": "deputy_secretary"}
    return Body(
        id="sc",
        kind="standing",
        members=tuple(Member(person=p, role=roles.get(p, "standing_member")) for p in SEATED),
    )


@pytest.fixture
def lookalikes(db_url: str, clock: ManualClock) -> Iterator[Engine]:
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(committee())
        yield engine


def open_meeting(engine: Engine, clock: ManualClock, method: str) -> str:
    iid = propose(engine)
    for impostor in ("M1", "m1 ", "ｍ1"):  # the lead member is m1, and only m1
        assert refused_by(engine, iid, "prepare", impostor)
    engine.fire(iid, "prepare", "m1")
    engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
    consult_all(engine, iid)
    meeting_at = (clock.now() + dt.timedelta(days=2)).isoformat()
    engine.fire(iid, "schedule", "sec", {"meeting_at": meeting_at})
    clock.advance(dt.timedelta(days=2))
    attendance = dict.fromkeys((m.person for m in engine.body("sc").members), "present")
    secret = (
        secret_ballot(method, tellers=("sec",))
        if method.startswith("secret")
        else {"method": method}
    )
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance, **secret})
    return iid


@pytest.mark.parametrize("method", ["named", "secret_electronic"])
def test_lookalike_ids_are_different_people_and_none_votes_or_closes_for_another(
    lookalikes: Engine, clock: ManualClock, method: str
) -> None:
    engine = lookalikes
    assert [m.person for m in engine.body("sc").members] == list(SEATED)
    iid = open_meeting(engine, clock, method)
    assert sorted(engine.meeting(iid).seats) == sorted(SEATED)
    state_views(engine, iid)  # each lookalike states a view of its own
    engine.fire(iid, "vote", "M3", {"choice": "agree"})
    engine.fire(iid, "vote", "m3", {"choice": "oppose"})  # M3's vote is not m3's
    assert "R-ONE-VOTE" in refused_by(engine, iid, "vote", "M3", {"choice": "oppose"})
    engine.fire(iid, "vote", "m3 ", {"choice": "abstain"})
    engine.fire(iid, "vote", "ｍ3", {"choice": "agree"})
    for stranger in ("Sec", " m1", "ＤＥＰ"):
        assert "R-VOTER" in refused_by(engine, iid, "vote", stranger, {"choice": "agree"})
    for person in ("sec", "dep", "m1"):
        engine.fire(iid, "vote", person, {"choice": "agree"})
    if method != "named":  # only the teller named, not a lookalike, counts
        for impostor in ("SEC", "sec ", "ｓｅｃ"):
            assert "R-ROLE" in refused_by(
                engine, iid, "count_ballots", impostor, {"teller_secret": TELLERS_KEY.secret}
            )
        count(engine, iid, teller="sec")
    for impostor in ("SEC", "sec ", "ｓｅｃ"):
        assert "R-ROLE" in refused_by(engine, iid, "close_ballot", impostor)
    result = engine.fire(iid, "close_ballot", "sec").instance.facts["ballot"]["result"]
    assert (result["agree"], result["oppose"], result["abstain"], result["n"]) == (5, 1, 1, 7)
    ballot = engine.ballot(iid)
    assert sorted(ballot.voters) == sorted(SEATED)
    if method == "named":
        assert {p: ballot.choices[p] for p in LOOKALIKES} == {
            "m3": "oppose",
            "M3": "agree",
            "m3 ": "abstain",
            "ｍ3": "agree",
        }
    assert engine.verify_audit().ok


def test_a_body_id_in_another_case_or_width_is_another_body(lookalikes: Engine) -> None:
    engine = lookalikes
    others = {
        body_id: Body(
            id=body_id,
            kind="plenary",
            members=(Member(person=f"chair of {body_id}", role="secretary"),),
        )
        for body_id in ("SC", "sc ", "ｓｃ")
    }
    for body in others.values():
        engine.define_body(body)
    assert engine.body("sc") == committee()
    for body_id, body in others.items():
        assert engine.body(body_id) == body


def test_instance_ids_and_idempotency_keys_in_another_case_are_others(lookalikes: Engine) -> None:
    engine = lookalikes
    assert engine.start("major_decision", "sec", MATTER, instance_id="md-1").instance.id == "md-1"
    schools = {**MATTER, "title": "Schools"}
    second = engine.start("major_decision", "sec", schools, instance_id="MD-1")
    assert not second.replayed and second.instance.id == "MD-1"
    assert [engine.get(i).facts["title"] for i in ("md-1", "MD-1")] == [MATTER["title"], "Schools"]
    engine.fire("md-1", "prepare", "m1", idempotency_key="k")
    out = engine.fire(
        "md-1", "start_deliberation", "m1", {"preparation": "done"}, idempotency_key="K"
    )  # not taken for the command sent with "k"
    assert not out.replayed and out.event.idempotency_key == "K"
    assert engine.fire("md-1", "prepare", "m1", idempotency_key="k").replayed
    assert [e.idempotency_key for e in engine.history("md-1")] == [None, "k", "K"]


# -- MariaDB: the settings that would undo exact ids are refused when a store opens --------------
ON_MARIADB = pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)


def _with_query(url: str, **query: str) -> str:
    return sa.make_url(url).update_query_dict(query).render_as_string(hide_password=False)


def _tables(url: str) -> list[str]:
    db = sa.create_engine(url)
    try:
        return [t for t in sa.inspect(db).get_table_names() if t.startswith("collegium_")]
    finally:
        db.dispose()


def _sql_mode(modes: str) -> dict[str, str]:
    return {"init_command": f"SET SESSION sql_mode = '{modes}'"}


@ON_MARIADB
@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"charset": "utf8"}, "character_set_client is utf8mb3, not utf8mb4"),
        ({"charset": "latin1"}, "character_set_client is latin1, not utf8mb4"),
        (_sql_mode(""), "sql_mode '' is not strict"),
        (_sql_mode("NO_ENGINE_SUBSTITUTION"), "add STRICT_TRANS_TABLES"),
        (_sql_mode("STRICT_ALL_TABLES,EMPTY_STRING_IS_NULL"), "EMPTY_STRING_IS_NULL"),
    ],
    ids=["charset_utf8", "charset_latin1", "sql_mode_empty", "not_strict", "empty_string_null"],
)
def test_a_mariadb_session_that_would_undo_exact_ids_is_refused_before_anything_is_written(
    db_url: str, clock: ManualClock, query: dict[str, str], needle: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(needle)) as exc:
        Engine.open(_with_query(db_url, **query), clock=clock)
    assert "\n" not in str(exc.value)
    assert _tables(db_url) == []
    Engine.open(db_url, clock=clock).close()  # the same database with the server's settings opens
    assert _tables(db_url)


@ON_MARIADB
@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("sql_mode", "is not strict"),
        (
            "character_set_results",
            "character_set_results is latin1",
        ),  # after the driver's SET NAMES
    ],
)
def test_a_mariadb_host_session_that_would_undo_exact_ids_is_refused(
    db_url: str, clock: ManualClock, setting: str, needle: str
) -> None:
    Engine.open(db_url, clock=clock).close()  # migrated
    host = sa.create_engine(db_url)
    try:
        with host.connect() as conn:
            default = conn.execute(sa.text(f"SELECT @@{setting}")).scalar()
            bad = "''" if setting == "sql_mode" else "latin1"
            conn.execute(sa.text(f"SET SESSION {setting} = {bad}"))
            with pytest.raises(InvalidInput, match=needle):
                Engine.open(conn, clock=clock)
            conn.execute(sa.text(f"SET SESSION {setting} = :value"), {"value": default})
            Engine.open(conn, clock=clock).close()
    finally:
        host.dispose()


@ON_MARIADB
def test_a_mariadb_column_whose_collation_was_changed_back_is_refused(
    db_url: str, clock: ManualClock
) -> None:
    Engine.open(db_url, clock=clock).close()
    db = sa.create_engine(db_url)
    try:
        with db.begin() as conn:
            conn.execute(
                sa.text(
                    "ALTER TABLE collegium_members MODIFY person VARCHAR(128) "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL"
                )
            )
    finally:
        db.dispose()
    needle = "column collegium_members.person compares by utf8mb4_general_ci, not utf8mb4_nopad_bin"
    with pytest.raises(InvalidInput, match=re.escape(needle)):
        Engine.open(db_url, clock=clock)
