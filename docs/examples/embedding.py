"""The embedding guide's code, as one program that runs (the docs test runs it): an engine
on a SQLite file, a body, commands and refusals, idempotent retries, the timer sweep,
reading, auditing and re-judging.

Run it with ``python docs/examples/embedding.py``. The guide shows it section by section.
"""

import datetime as dt
import tempfile
from pathlib import Path

# --8<-- [start:construct]
from collegium import Engine, ManualClock, SequentialIds

CST = dt.timezone(dt.timedelta(hours=8))
clock = ManualClock(dt.datetime(2026, 6, 1, 9, 0, tzinfo=CST))  # production: SystemClock()
path = Path(tempfile.mkdtemp()) / "decisions.db"  # or "postgresql+psycopg://app@db/decisions"
engine = Engine.open(
    str(path), clock=clock, ids=SequentialIds()
)  # production: the default, RandomIds()
# --8<-- [end:construct]

# --8<-- [start:body]
from collegium import Body, Member

engine.define_body(
    Body(
        id="sc",
        kind="standing",
        members=(
            Member(person="sec", role="secretary", name="Li Ming"),
            Member(person="dep", role="deputy_secretary"),
            *(Member(person=f"m{i}", role="standing_member") for i in (1, 2, 3)),
            Member(person="w1", role="member", voting=False),  # a seat without a vote
        ),
    )
)
# --8<-- [end:body]

# --8<-- [start:commands]
outcome = engine.start(
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
)
matter = outcome.instance.id
engine.fire(matter, "prepare", "m1")
outcome = engine.fire(matter, "start_deliberation", "m1", {"preparation": "a survey of readers"})
assert outcome.instance.state == "deliberation" and outcome.verdict.passed

verdict = engine.check(
    matter, "schedule", "sec", {"meeting_at": "2026-06-08T09:00+08:00"}
)  # a dry run
assert [r.rule_id for r in verdict.failures] == ["R-DELIBERATION"]
for option in engine.available(matter, "sec"):  # what sec may do now, judged without data
    print(option.trigger, option.allowed)
# --8<-- [end:commands]

# --8<-- [start:errors]
from collegium import CollegiumError, InvalidInput, NotFound, RuleViolation, TransitionNotAllowed


def answer(error: CollegiumError, lang: str = "en") -> tuple[int, dict[str, object]]:
    """An HTTP-style status and body for an error, as a web host might map them."""
    if isinstance(
        error, RuleViolation
    ):  # refused by the rules: say which, why, and where the rule comes from
        return 422, {
            "refused": [
                {
                    "rule": r.rule_id,
                    "title": r.title.get(lang),
                    "message": r.message(lang),
                    "citation": r.cited(lang),
                }
                for r in error.verdict.failures
            ]
        }
    if isinstance(error, TransitionNotAllowed):
        said = error.message(lang)
        return 409, {"error": said, "state": error.state, "allowed": list(error.allowed)}
    if isinstance(error, NotFound):
        return 404, {"error": error.message(lang)}
    if isinstance(error, InvalidInput):
        return 400, {"error": error.message(lang)}
    # ConcurrentUpdate: the instance kept changing; try again
    return 503, {"error": error.message(lang)}


try:
    engine.fire(matter, "schedule", "sec", {"meeting_at": "2026-06-08T09:00+08:00"})
except CollegiumError as error:
    status, body = answer(error, "zh-CN")
    print(status, body)
assert engine.get(matter).state == "deliberation"  # a refused command writes nothing
# --8<-- [end:errors]

# --8<-- [start:idempotency]
first = engine.fire(
    matter, "consult", "sec", {"member": "sec", "view": "agree"}, idempotency_key="req-7f3a"
)
again = engine.fire(
    matter, "consult", "sec", {"member": "sec", "view": "agree"}, idempotency_key="req-7f3a"
)
assert (
    again.replayed and again.event.seq == first.event.seq
)  # taken once: the first outcome, nothing written
try:
    engine.fire(
        matter, "consult", "sec", {"member": "dep", "view": "agree"}, idempotency_key="req-7f3a"
    )
except InvalidInput as error:
    print(error)  # the key was used for another command
# --8<-- [end:idempotency]

# --8<-- [start:timers]
report = engine.start(
    "report",
    "sec",
    {
        "reporter": "m2",
        "reporter_kind": "member",
        "lead_member": "m2",
        "body": "sc",
        "kind": "half_year_work",
        "period": "2026-H1",
        "due": "2026-06-30T18:00+08:00",
        "title": "m2's work in the first half of 2026",
    },
)
clock.set(dt.datetime(2026, 7, 1, 9, 0, tzinfo=CST))
for run in engine.run_due():  # what fell due, earliest first, each at the time it fell due
    assert run.outcome is not None
    print(run.timer.trigger, run.outcome.instance.state, run.outcome.started)
assert engine.run_due() == []  # a second sweep finds nothing left to do
# --8<-- [end:timers]

# --8<-- [start:reading]
case = engine.find("accountability", lead_member="m2")[0]  # by a fact the procedure indexes
print(case.state, case.facts["finding_kind"])
for event in engine.history(matter):
    print(event.seq, event.at, event.actor, event.trigger, event.source, "->", event.dest)
print([i.id for i in engine.instances("major_decision", state="deliberation")])
assert engine.verify_audit().ok
# --8<-- [end:reading]

# --8<-- [start:rejudge]
from importlib import resources

from collegium import rejudge

pack = (
    resources.files("collegium")
    .joinpath("rules/packs/party-committee.yaml")
    .read_text(encoding="utf-8")
)
revised = pack.replace(
    'version: "2026.1"', 'version: "2026.2"', 1
)  # edit a parameter or a rule here
replayed = rejudge(engine.store, revised)
print(replayed.pack, replayed.steps, "steps judged;", len(replayed.refused), "refused")
for step in replayed.changed:
    print(
        step.instance_id,
        step.seq,
        step.trigger,
        [r.rule_id for r in step.verdict.failures],
        step.would_go,
    )
# --8<-- [end:rejudge]

# --8<-- [start:host]
import sqlalchemy as sa
from sqlalchemy.orm import Session

app_db = sa.create_engine(f"sqlite:///{path}")  # the host's own engine (here on the same file)
letters = sa.Table(
    "app_letters",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subject", sa.String(200), nullable=False),
)
letters.metadata.create_all(app_db)

with Session(app_db) as session:
    hosted = Engine.open(
        session, clock=clock, ids=engine.ids
    )  # Collegium's writes join the session's transaction
    hosted.subscribe(lambda event: print("committed:", event.instance_id, event.trigger))
    session.execute(sa.insert(letters).values(subject="Request: new school building"))
    filed = hosted.start(
        "major_decision",
        "sec",
        {
            "title": "New school building",
            "category": "major",
            "proposer": "sec",
            "lead_member": "m1",
            "body": "sc",
            "confidentiality": "public",
        },
    ).instance.id
    session.commit()  # the letter and the proposal, together; then the subscriber runs
    hosted.fire(filed, "prepare", "m1")
    session.rollback()  # the host's request failed: the step is gone with it
    print(filed, hosted.get(filed).state)
    hosted.close()
# --8<-- [end:host]

# --8<-- [start:outbox]
sent: set[tuple[str, int]] = set()
while entries := engine.outbox.pending(
    limit=50
):  # oldest first; what is not acknowledged comes again
    for (
        entry
    ) in entries:  # a host sends its notification here, keyed by the event: a resend is recognised
        sent.add((entry.event.instance_id, entry.event.seq))
    engine.outbox.ack(entries)
print("outbox:", len(sent), "events delivered")
# --8<-- [end:outbox]

engine.close()
