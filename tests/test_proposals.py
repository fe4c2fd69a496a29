"""P7 as the README states it beyond the pack's own tests: the engine reminds two weeks and three
days before an answer is due, and at the deadline opens one accountability case."""

from __future__ import annotations

import datetime as dt

from collegium import Engine, ManualClock, SequentialIds
from tests.conftest import standing_committee


def test_reminders_then_one_case_at_an_unanswered_deadline(clock: ManualClock) -> None:
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    data = {"kind": "cppcc_proposal", "title": "River", "proposer": "member Li", "body": "sc"}
    iid = engine.start("proposal_handling", "sec", data).instance.id
    due = "2026-04-01T18:00+08:00"
    engine.fire(
        iid, "assign", "sec", {"lead_unit": "bureau", "lead_member": "m1", "reply_due": due}
    )
    clock.set(dt.datetime(2026, 4, 2, tzinfo=dt.UTC))
    engine.run_due()
    events = engine.history(iid)
    assert [e.data.get("lead") for e in events if e.trigger == "@remind"] == ["P14D", "P3D"]
    assert engine.get(iid).state == "overdue"
    engine.run_due()  # a second sweep finds nothing more to do
    cases = [c for c in engine.instances("accountability") if c.facts.get("subject") == iid]
    assert [c.facts["finding_kind"] for c in cases] == ["unanswered_proposal"]
