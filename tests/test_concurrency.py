"""Concurrent writers: no lost update, no vote counted twice, no forked chain; exhausted retries surface."""

from __future__ import annotations

import threading

import pytest

from collegium import ConcurrentUpdate, Engine, ManualClock, MemoryStore, RuleViolation, SequentialIds
from collegium.engine.store import StaleVersion, Write
from tests.conftest import START, standing_committee, to_meeting


def test_parallel_votes_are_each_counted_once(db_url: str) -> None:
    clock = ManualClock(START)
    setup = Engine.open(db_url, clock=clock, ids=SequentialIds())
    setup.define_body(standing_committee())
    iid = to_meeting(setup, clock)
    voters = [m.person for m in setup.body("sc").members]
    errors: list[BaseException] = []

    def vote(person: str) -> None:
        engine = Engine.open(db_url, clock=clock, ids=SequentialIds())  # one engine (pool) per worker
        try:
            for attempt in range(2):  # the second attempt is a retried request: same key, no effect
                engine.fire(iid, "vote", person, {"choice": "agree"}, idempotency_key=f"vote-{person}")
                del attempt
            with pytest.raises(RuleViolation, match="R-ONE-VOTE"):
                engine.fire(iid, "vote", person, {"choice": "oppose"})
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.close()

    threads = [threading.Thread(target=vote, args=(p,)) for p in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    inst = setup.get(iid)
    assert setup.ballot(iid).choices == dict.fromkeys(voters, "agree")
    votes = [e for e in setup.history(iid) if e.trigger == "vote"]
    assert sorted(e.actor for e in votes) == sorted(voters)
    assert [e.seq for e in setup.history(iid)] == list(range(1, inst.event_count + 1))
    assert setup.verify_audit().ok
    setup.close()


class _AlwaysStale(MemoryStore):
    """A store on which every update loses the race."""

    def commit(self, write: Write) -> None:
        if write.update is not None:
            raise StaleVersion(write.update.id)
        super().commit(write)


def test_exhausted_retries_surface_as_concurrent_update() -> None:
    engine = Engine(_AlwaysStale(), clock=ManualClock(START), ids=SequentialIds(), max_retries=3)
    engine.define_body(standing_committee())
    iid = engine.start("major_decision", "sec", {"title": "t", "category": "major", "proposer": "sec",
                                                 "lead_member": "m1", "body": "sc"}).instance.id
    with pytest.raises(ConcurrentUpdate, match="gave up after 3 retries"):
        engine.fire(iid, "prepare", "m1")
    assert len(engine.history(iid)) == 1
