"""Writes ``legacy-0006.db``: a SQLite database as Collegium wrote it at schema revision 0006,
before events carried a format version (commit 737fdb3). The migration tests open it with the
current code.

It holds the scripted year of tests/test_scripted_year.py (tasks, reviews and reminders,
accountability cases, reports, commitments, named ballots) played with a daily sweep until 1 July,
a sitting with an agenda, and a matter decided by a secret ballot. The file is committed; this
script documents how it was made and is run only with the code of that commit:
``python -m tests.data.make_legacy_db`` from the repository's root.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from collegium import Body, Engine, ManualClock, Member, SequentialIds
from tests.conftest import CST, consult_all, standing_committee, to_deliberation
from tests.test_scripted_year import year_script

OUT = Path(__file__).with_name("legacy-0006.db")
UNTIL = dt.date(2026, 7, 1)


def main() -> None:
    OUT.unlink(missing_ok=True)
    clock = ManualClock(dt.datetime(2026, 1, 1, tzinfo=CST))
    engine = Engine.open(str(OUT), clock=clock, ids=SequentialIds())
    sc = engine.define_body(standing_committee())
    engine.define_body(
        Body(
            id="pc",
            kind="plenary",
            members=(*sc.members, *(Member(person=f"c{i}", role="member") for i in range(1, 4))),
        )
    )
    ids: dict[str, str] = {}
    steps = year_script()
    day = dt.date(2026, 1, 1)
    while day < UNTIL:
        for when, step in steps:
            if when.date() == day:
                clock.set(when)
                step(engine, ids)
        clock.set(dt.datetime.combine(day, dt.time(23, 59), CST))
        engine.run_due()
        day += dt.timedelta(days=1)
    clock.set(dt.datetime(2026, 7, 2, 9, tzinfo=CST))
    secret = to_deliberation(engine, title="Secret ballot on the county hospital")
    consult_all(engine, secret)
    engine.fire(secret, "schedule", "sec", {"meeting_at": "2026-07-03T09:00+08:00"})
    clock.set(dt.datetime(2026, 7, 3, 9, tzinfo=CST))
    people = [m.person for m in sc.members]
    engine.fire(
        secret,
        "open_meeting",
        "sec",
        {"attendance": dict.fromkeys(people, "present"), "method": "secret"},
    )
    for i, person in enumerate(people):
        engine.fire(secret, "vote", person, {"choice": "oppose" if i % 4 == 1 else "agree"})
    engine.fire(secret, "close_ballot", "sec")
    report = engine.verify_audit()
    engine.close()
    if not report.ok:
        sys.exit(f"the legacy database does not verify: {report.problem}")
    print(f"{OUT}: {report.instances} instances, {report.events} events")  # noqa: T201


if __name__ == "__main__":
    main()
