"""A first program: a standing committee takes a major matter to its meeting through the library.

Run it with ``python docs/examples/first_program.py``; the Getting started page shows what
it prints.
"""

import datetime as dt

from collegium import Body, Engine, ManualClock, Member, RuleViolation, SequentialIds

CST = dt.timezone(dt.timedelta(hours=8))
clock = ManualClock(dt.datetime(2026, 4, 6, 9, 0, tzinfo=CST))

with Engine.in_memory(clock=clock, ids=SequentialIds()) as engine:
    engine.define_body(
        Body(
            id="sc",
            kind="standing",
            members=(
                Member(person="sec", role="secretary"),
                Member(person="dep", role="deputy_secretary"),
                *(Member(person=f"m{i}", role="standing_member") for i in (1, 2, 3)),
            ),
        )
    )

    matter = engine.start(
        "major_decision",
        "sec",
        {
            "title": "Longer library opening hours",
            "category": "major",
            "proposer": "sec",
            "lead_member": "m1",
            "body": "sc",
            "confidentiality": "public",
        },
    ).instance.id
    engine.fire(matter, "prepare", "m1")
    engine.fire(matter, "start_deliberation", "m1", {"preparation": "a survey of readers"})

    try:  # no member has been consulted yet
        engine.fire(matter, "schedule", "sec", {"meeting_at": "2026-04-13T09:00+08:00"})
    except RuleViolation as refusal:
        for rule in refusal.verdict.failures:  # every failing rule, not only the first
            print(rule.rule_id, rule.message("en"))
            print(rule.rule_id, rule.message("zh-CN"))
            print("  ", rule.cited("en"))

    for member in ("sec", "dep", "m1", "m2", "m3"):
        engine.fire(matter, "consult", "sec", {"member": member, "view": "agree"})
    for option in engine.available(matter, "sec"):  # what the secretary could do now
        print(option.trigger, "allowed" if option.allowed else "refused")

    outcome = engine.fire(matter, "schedule", "sec", {"meeting_at": "2026-04-13T09:00+08:00"})
    print(outcome.instance.id, outcome.instance.state, "event", outcome.event.seq)
    print("audit ok:", engine.verify_audit().ok)
