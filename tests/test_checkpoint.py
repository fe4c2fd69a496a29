"""Signed checkpoints catch what the hash chains alone cannot: history deleted or rewritten before
the checkpoint, the rows made to match so that the plain audit passes. On SQLite, PostgreSQL,
MariaDB and in memory."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from collegium import AuditFailed, Engine, InvalidInput, ManualClock, SequentialIds, SqlStore
from collegium.engine import checkpoint as checkpoint_module
from collegium.engine.keys import SigningKey
from collegium.store import schema as s
from collegium.store.records import InstanceRecord
from tests._tampering import delete_instance, edit_event_data, rewrite, row
from tests.conftest import START, standing_committee, to_deliberation

KEY = SigningKey(bytes(range(32)))
#: a change to instance ``iid``, which may use a copy of its row after event 3 (a backup, say)
Tamper = Callable[[Engine, str, InstanceRecord], None]


def consult(engine: Engine, iid: str, *people: str) -> None:
    for person in people:
        engine.fire(iid, "consult", "sec", {"member": person, "view": "agree"})


def deleted_tail(engine: Engine, iid: str, saved: InstanceRecord) -> None:
    """Events 4 and 5 deleted; the row set back to what it was after event 3."""
    rewrite(engine, iid, keep=3, facts=saved.facts)


def deleted_instance(engine: Engine, iid: str, saved: InstanceRecord) -> None:
    delete_instance(engine, iid)


def rewritten_tail(engine: Engine, iid: str, saved: InstanceRecord) -> None:
    """Event 4 says m1 opposed; events 4 and 5 re-hashed, and the row's head with them."""
    e4, e5 = engine.history(iid)[3:5]
    opposed = dataclasses.replace(e4, data={**e4.data, "view": "oppose"})
    rewrite(engine, iid, keep=3, forged=[opposed, e5])


def cut_and_extended(engine: Engine, iid: str, saved: InstanceRecord) -> None:
    """Cut back to event 3, then forged events 4 to 6 appended, hashes computed: now longer."""
    e4, e5 = engine.history(iid)[3:5]
    rewrite(engine, iid, keep=3, forged=[dataclasses.replace(e4, actor="dep"), e5, e5])


TAMPERINGS: list[tuple[Tamper, int, str]] = [
    (
        deleted_tail,
        5,
        "the chain's head at the checkpoint is gone: events were deleted (the "
        "instance now records 3)",
    ),
    (
        deleted_instance,
        5,
        "the instance and its events were deleted (the checkpoint lists 5 events)",
    ),
    (rewritten_tail, 5, "differs from the checkpoint: the chain was rewritten"),
    (cut_and_extended, 5, "differs from the checkpoint: the chain was rewritten"),
]


def history_then_checkpoint(engine: Engine) -> tuple[str, str, InstanceRecord, bytes]:
    """Two matters in deliberation, the first with two consultations (events 4, 5), and a checkpoint
    of both. Returns the two ids, the first one's row after event 3, and the checkpoint."""
    iid = to_deliberation(engine)
    saved = row(engine, iid)
    consult(engine, iid, "m1", "m2")
    other = to_deliberation(engine)
    out = io.BytesIO()
    engine.checkpoint(KEY, out)
    return iid, other, saved, out.getvalue()


def detected(engine: Engine, tamper: Tamper, seq: int, reason: str) -> None:
    iid, other, saved, signed = history_then_checkpoint(engine)
    tamper(engine, iid, saved)
    assert engine.verify_audit().ok  # the chains alone show nothing
    report = engine.verify_checkpoint(io.BytesIO(signed), KEY.public_key)
    assert not report.ok and report.audit.ok
    assert report.changed == 1 and len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.kind, problem.chain_id, problem.seq) == ("instance", iid, seq) and iid != other
    assert reason in problem.reason
    assert str(problem).startswith(f"event {seq} of instance {iid}: ")


CASES = pytest.mark.parametrize(
    ("tamper", "seq", "reason"), TAMPERINGS, ids=[t[0].__name__ for t in TAMPERINGS]
)


@CASES
def test_history_changed_before_a_checkpoint_is_detected(
    sql_engine: Engine, tamper: Tamper, seq: int, reason: str
) -> None:
    detected(sql_engine, tamper, seq, reason)


@CASES
def test_history_changed_before_a_checkpoint_is_detected_in_memory(
    engine: Engine, tamper: Tamper, seq: int, reason: str
) -> None:
    detected(engine, tamper, seq, reason)


def test_an_instance_row_deleted_alone_is_named_by_both(sql_engine: Engine) -> None:
    iid, _, _, signed = history_then_checkpoint(sql_engine)
    store = sql_engine.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(s.instances).where(s.instances.c.id == iid))
    report = sql_engine.verify_checkpoint(io.BytesIO(signed), KEY.public_key)
    assert [str(p) for p in report.problems] == [
        f"event 5 of instance {iid}: the instance's row was deleted"
    ]
    assert report.audit.problem is not None and report.audit.problem.instance_id == iid


def grows_after(engine: Engine, clock: ManualClock) -> None:
    iid, _, _, signed = history_then_checkpoint(engine)
    consult(engine, iid, "m3")
    saved = row(engine, iid)
    consult(engine, iid, "m4")
    later = to_deliberation(engine)
    report = engine.verify_checkpoint(io.BytesIO(signed), KEY.public_key.raw)
    assert report.ok and report.changed == 0 and report.problems == ()
    # the checkpoint listed the two matters and the body "sc"
    assert report.checkpoint.chains == 3 and report.audit.instances == 3
    assert report.to_dict()["checkpoint"]["chains"] == 3 and report.to_dict()["ok"] is True
    # what a checkpoint cannot see: what was written after it, deleted again before the next one
    delete_instance(engine, later)
    rewrite(engine, iid, keep=6, facts=saved.facts)
    assert engine.verify_checkpoint(io.BytesIO(signed), KEY.public_key).ok


def test_events_and_instances_added_after_a_checkpoint_pass(
    sql_engine: Engine, clock: ManualClock
) -> None:
    grows_after(sql_engine, clock)


def test_events_and_instances_added_after_a_checkpoint_pass_in_memory(
    engine: Engine, clock: ManualClock
) -> None:
    grows_after(engine, clock)


def refuses_to_sign(engine: Engine, tmp_path: Path) -> None:
    iid = to_deliberation(engine)
    edit_event_data(engine, iid, 3, {"preparation": "none at all"})
    out = tmp_path / "checkpoint.jsonl"
    with pytest.raises(AuditFailed, match=f"no checkpoint was signed: event 3 of {iid}") as raised:
        engine.checkpoint(KEY, out)
    assert raised.value.exit_code == 1 and not raised.value.report.ok
    assert not out.exists()


def test_a_store_that_fails_its_audit_is_not_signed(sql_engine: Engine, tmp_path: Path) -> None:
    refuses_to_sign(sql_engine, tmp_path)


def test_a_store_that_fails_its_audit_is_not_signed_in_memory(
    engine: Engine, tmp_path: Path
) -> None:
    refuses_to_sign(engine, tmp_path)


# ids whose order by code point differs from a case-insensitive or linguistic collation's (and none
# that such a collation takes for another: MariaDB's unique keys fold case and trailing spaces)
IDS = ["b", "B-2", "a", "Z", "é", "f", "a-b", "ab", "a b", "中", "😀", "ｍ3", "m3-x", "_", "~"]


def same_history(engine: Engine) -> None:
    engine.define_body(standing_committee())
    for iid in IDS:
        to_deliberation_as(engine, iid)


def to_deliberation_as(engine: Engine, iid: str) -> None:
    from tests.conftest import MATTER

    engine.start("major_decision", "sec", MATTER, instance_id=iid)
    engine.fire(iid, "prepare", "m1")


def test_heads_in_code_point_order_and_checkpoints_alike_on_every_store(db_url: str) -> None:
    files = []
    for make in (
        lambda clock: Engine.open(db_url, clock=clock, ids=SequentialIds()),
        lambda clock: Engine.in_memory(clock=clock, ids=SequentialIds()),
    ):
        engine = make(ManualClock(START))
        try:
            same_history(engine)
            every = list(
                engine.store.chain_heads()
            )  # read to the end: a server's cursor is then closed
            assert every[0].key == ("body", "sc")  # by kind, then id
            heads = [h for h in every if h.kind == "instance"]
            assert [h.chain_id for h in heads] == sorted(IDS)
            assert [h.chain_id.encode() for h in heads] == sorted(i.encode() for i in IDS)
            out = io.BytesIO()
            engine.checkpoint(KEY, out)
            files.append(out.getvalue())
            assert engine.verify_checkpoint(io.BytesIO(files[-1]), KEY.public_key).ok
        finally:
            engine.close()
    assert files[0] == files[1]  # Ed25519 signs deterministically: the same store, the same bytes


def test_heads_are_looked_up_in_batches(
    sql_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint_module, "_BATCH", 2)
    monkeypatch.setattr(checkpoint_module, "_PROBLEMS", 3)
    ids = [to_deliberation(sql_engine) for _ in range(7)]
    out = io.BytesIO()
    sql_engine.checkpoint(KEY, out)
    for iid in ids[1:6]:
        delete_instance(sql_engine, iid)
    report = sql_engine.verify_checkpoint(io.BytesIO(out.getvalue()), KEY.public_key)
    assert report.changed == 5 and [p.chain_id for p in report.problems] == sorted(ids)[1:4]


def test_an_empty_store_has_the_empty_root(clock: ManualClock) -> None:
    engine = Engine.in_memory(clock=clock)
    out = io.BytesIO()
    signed = engine.checkpoint(KEY, out)
    assert signed.chains == 0
    assert signed.root == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert engine.verify_checkpoint(io.BytesIO(out.getvalue()), KEY.public_key).ok


def test_written_to_a_path_never_over_another(engine: Engine, tmp_path: Path) -> None:
    to_deliberation(engine)
    out = tmp_path / "after-meeting.jsonl"
    signed = engine.checkpoint(KEY.seed, out)
    assert signed.created_at == "2026-03-02T01:00:00.000000Z"  # the engine's clock, in UTC
    first = out.read_bytes()
    with pytest.raises(InvalidInput, match="already exists; a checkpoint is never overwritten"):
        engine.checkpoint(KEY, out)
    assert out.read_bytes() == first
    with pytest.raises(InvalidInput, match="cannot write checkpoint"):
        engine.checkpoint(KEY, tmp_path / "no such folder" / "c.jsonl")
    assert engine.verify_checkpoint(out, KEY.public_key).ok
    assert engine.verify_checkpoint(str(out), KEY.public_key).ok


def test_a_body_set_back_to_an_earlier_definition_is_detected(sql_engine: Engine) -> None:
    """A member added, then that definition's event deleted and the rows set back to the first one:
    the body's chain and rows agree again, so only a checkpoint taken in between shows it."""
    from collegium import Body, Member

    first = sql_engine.body("sc")
    sql_engine.define_body(
        Body(
            id="sc",
            kind="standing",
            members=(*first.members, Member(person="m10", role="standing_member")),
        )
    )
    out = io.BytesIO()
    sql_engine.checkpoint(KEY, out)
    store = sql_engine.store
    assert isinstance(store, SqlStore)
    genesis = next(e for e in store.body_events() if e.seq == 1)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(s.body_events).where(s.body_events.c.seq == 2))
        conn.execute(sa.delete(s.members).where(s.members.c.person == "m10"))
        conn.execute(sa.update(s.bodies).values(event_count=1, head_hash=genesis.hash))
    assert sql_engine.verify_audit().ok  # the chain alone shows nothing
    report = sql_engine.verify_checkpoint(io.BytesIO(out.getvalue()), KEY.public_key)
    assert [(p.kind, p.chain_id, p.seq) for p in report.problems] == [("body", "sc", 2)]
