"""The ``demo`` command: a whole major decision of a standing committee, with refusals, a ballot and
an audit.

Heavy modules are imported inside the functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from collegium import Message
from collegium.commands.common import Settings, emit_json, open_engine, settings
from collegium.errors import InvalidInput, RuleViolation

if TYPE_CHECKING:
    from collegium import Engine, ManualClock, Member, Outcome

__all__ = ["demo"]

_TZ = dt.timezone(dt.timedelta(hours=8))
_MEETING = dt.datetime(2026, 3, 10, 9, 0, tzinfo=_TZ)


@click.command()
@click.option(
    "--db", "demo_db", default=None, help="Database for the demo (default: the global --db)."
)
@click.option(
    "--lang",
    "demo_lang",
    type=click.Choice(["en", "zh-CN", "zh"]),
    default=None,
    help="Language (default: the global --lang).",
)
@click.pass_context
def demo(ctx: click.Context, demo_db: str | None, demo_lang: str | None) -> None:
    """Run a whole major decision of a standing committee, with refusals, a ballot and an audit."""
    s = settings()
    if demo_db or demo_lang:
        lang = s.lang if demo_lang is None else ("zh-CN" if demo_lang == "zh" else demo_lang)
        ctx.obj = s = dataclasses.replace(s, lang=lang, db=demo_db or s.db)
    _run_demo(s)


def _run_demo(s: Settings) -> None:
    from collegium import ManualClock, SequentialIds
    from collegium.commands.render import console

    clock = ManualClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=_TZ))
    con = console()
    say: Callable[..., None] = (lambda *_a, **_k: None) if s.as_json else con.print
    with open_engine(writes=True, create=True, clock=clock, ids=SequentialIds()) as engine:
        run = _DemoRun(engine, clock, s, say)
        members = run.define_body()
        iid = run.deliberate(members)
        run.meet_and_vote(iid, members)
        run.follow_up(iid)
        run.audit()
        run.doc["instance"] = iid
    if s.as_json:
        emit_json(run.doc)


class _DemoRun:
    """One run of the demo: the engine, its virtual clock, and what has been said and recorded so
    far."""

    def __init__(
        self, engine: Engine, clock: ManualClock, s: Settings, say: Callable[..., None]
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.w = s.lang
        self.say = say
        self.doc: dict[str, Any] = {"db": s.db, "steps": [], "refusals": []}
        self.db = s.db
        from collegium.commands.render import times

        self.face = times(_TZ)  # the demo's own zone, unless --tz says another

    # -- the steps ---------------------------------------------------------------------------------
    def define_body(self) -> tuple[Member, ...]:
        """Pick free instance ids, define the standing committee ``sc`` and announce the demo."""
        from rich.text import Text as RichText

        from collegium import Body, Member, SequentialIds, Text
        from collegium._words import word

        engine, w = self.engine, self.w
        existing = {i.id for i in engine.instances()}
        n = len(existing) + 1
        while f"major_decision-{n}" in existing or f"major_decision-{n + 1}" in existing:
            n += 1
        engine.ids = SequentialIds(n)
        members = (
            Member(person="sec", role="secretary"),
            Member(person="dep", role="deputy_secretary"),
            *(Member(person=f"m{i}", role="standing_member") for i in range(1, 10)),
        )
        engine.define_body(
            Body(
                id="sc",
                kind="standing",
                title=Text(en="Standing committee", zh="常委会"),
                members=members,
            )
        )
        self.say(RichText(word("demo_title", w, db=self.db), style="bold"))
        self.say(RichText(word("demo_body", w, id="sc", count=len(members))))
        self.face.cell(self.clock.now())
        self.say(RichText(self.face.caption(w) or "", style="dim"))
        return members

    def deliberate(self, members: tuple[Member, ...]) -> str:
        """Propose, prepare, consult every member (scheduling too early is refused) and schedule the
        meeting."""
        clock = self.clock
        title = "县道养护预算" if self.w == "zh-CN" else "County road maintenance budget"
        o = self.show(
            self.engine.start(
                "major_decision",
                "sec",
                {
                    "title": title,
                    "category": "major",
                    "proposer": "sec",
                    "lead_member": "m1",
                    "body": "sc",
                    "confidentiality": "public",
                },
            ),
            "sec",
        )
        iid = o.instance.id
        clock.advance(dt.timedelta(days=1))
        self.fire(iid, "prepare", "m1")
        clock.advance(dt.timedelta(days=1))
        self.fire(
            iid, "start_deliberation", "m1", {"preparation": "field research; expert opinions"}
        )
        for m in members[:-1]:
            clock.advance(dt.timedelta(hours=1))
            self.fire(iid, "consult", "sec", {"member": m.person, "view": "agree"})
        self.refuse(iid, "schedule", "sec", {"meeting_at": _MEETING.isoformat()})
        clock.advance(dt.timedelta(hours=1))
        self.fire(iid, "consult", "sec", {"member": members[-1].person, "view": "reserve"})
        clock.set(dt.datetime(2026, 3, 5, 9, 0, tzinfo=_TZ))
        self.fire(iid, "schedule", "sec", {"meeting_at": _MEETING.isoformat()})
        return iid

    def meet_and_vote(self, iid: str, members: tuple[Member, ...]) -> None:
        """Open the meeting, state the views (the secretary's last), vote (a recused member's vote
        is refused) and close the ballot."""
        from rich.text import Text as RichText

        from collegium._words import word

        clock, w = self.clock, self.w
        clock.set(_MEETING)
        attendance = {m.person: "present" for m in members}
        attendance.update({"m8": "absent", "m9": "recused"})
        self.fire(iid, "open_meeting", "sec", {"attendance": attendance})
        choices = {
            "sec": "agree",
            "dep": "agree",
            "m1": "agree",
            "m2": "agree",
            "m3": "agree",
            "m4": "agree",
            "m5": "oppose",
            "m6": "abstain",
            "m7": "agree",
        }
        speakers = [p for p in choices if p != "sec"] + ["sec"]  # the secretary speaks last
        for person in speakers:
            clock.advance(dt.timedelta(minutes=1))
            view = "reserve" if choices[person] == "abstain" else choices[person]
            self.fire(iid, "state_view", person, {"view": view})
        for person, choice in choices.items():
            clock.advance(dt.timedelta(minutes=1))
            self.fire(iid, "vote", person, {"choice": choice})
        self.refuse(iid, "vote", "m9", {"choice": "agree"})
        clock.advance(dt.timedelta(minutes=5))
        o = self.fire(iid, "close_ballot", "sec")
        result = dict(o.instance.facts["ballot"]["result"])
        self.doc["ballot"] = {**result, "state": o.instance.state}
        self.say(
            RichText(
                word(
                    "demo_ballot",
                    w,
                    agree=result.get("agree"),
                    oppose=result.get("oppose"),
                    abstain=result.get("abstain"),
                    n=result.get("n"),
                    present=result.get("present"),
                    outcome=self.label(o.instance.state),
                ),
                style="bold green" if result.get("passed") else "bold",
            )
        )

    def follow_up(self, iid: str) -> None:
        """Publish, hand over, assign a task with a measurable target (execution without one is
        refused), report progress, and evaluate as failed (a finding is required), which starts a
        correction and a case."""
        from rich.text import Text as RichText

        from collegium._words import word

        clock = self.clock
        clock.advance(dt.timedelta(days=1))
        self.fire(iid, "publish", "sec", {"audience": "public"})
        clock.advance(dt.timedelta(days=1))
        self.fire(iid, "hand_over", "sec")
        self.refuse(iid, "start_execution", "sec")  # no task with a lead member yet
        task_title = "养护 120 公里县道" if self.w == "zh-CN" else "Maintain 120 km of county roads"
        task = self.fire(
            iid,
            "assign",
            "sec",
            {
                "title": task_title,
                "lead_member": "m1",
                "departments": ["transport bureau"],
                "deadline": "2026-12-31T18:00:00+08:00",
            },
        ).started[0]
        self.fire(
            task,
            "set_target",
            "m1",
            {
                "metric": "roads",
                "unit": "km",
                "baseline": 0,
                "target": 120,
                "target_kind": "business",
            },
        )
        self.fire(task, "start_work", "m1")
        self.fire(iid, "start_execution", "sec")
        clock.advance(dt.timedelta(days=90))
        self.fire(task, "report", "m1", {"metric": "roads", "value": 35})
        self.refuse(
            iid, "evaluate", "dep", {"evaluation": "failed"}
        )  # a failed evaluation states its finding
        # evaluated as failed: corrected through a new matter, and the failure's accountability
        # case opened
        o = self.fire(
            iid,
            "evaluate",
            "dep",
            {"evaluation": "failed", "finding": "costs overran; maintenance fell behind"},
        )
        child = self.engine.get(o.started[0])
        self.doc["correction"] = {
            "instance": child.id,
            "state": child.state,
            "corrects": child.facts.get("corrects"),
        }
        self.say(
            RichText(word("demo_child", self.w, child=child.id, state=self.label(child.state)))
        )

    def audit(self) -> None:
        """Verify every hash chain and say so."""
        from rich.text import Text as RichText

        from collegium._words import word

        w = self.w
        report = self.engine.verify_audit()
        self.doc["audit"] = report.to_dict(w)
        if report.problem is None:
            self.say(
                RichText(
                    word("audit_ok", w, instances=report.instances, events=report.events),
                    style="bold green",
                )
            )
        else:
            problem = report.problem.message(w)
            self.say(RichText(word("audit_bad", w, problem=problem), style="bold red"))

    # -- the helpers -------------------------------------------------------------------------------
    def label(self, state: str, procedure: str = "major_decision") -> str:
        from collegium.commands.render import named

        spec = self.engine.registry.procedure(procedure)
        return named(spec.states[state].label.get(self.w), state)

    def fire(
        self, iid: str, trigger: str, actor: str, data: dict[str, Any] | None = None
    ) -> Outcome:
        return self.show(self.engine.fire(iid, trigger, actor, data), actor)

    def show(self, o: Outcome, actor: str) -> Outcome:
        """Record the step and print it as one line: time, actor, trigger, new state and short
        data."""
        from rich.text import Text as RichText

        now = self.clock.now().astimezone(_TZ)
        self.doc["steps"].append(
            {
                "at": now.isoformat(),
                "instance": o.instance.id,
                "actor": actor,
                "trigger": o.event.trigger,
                "state": o.instance.state,
                "state_label": self.engine.registry.procedure(o.instance.procedure)
                .states[o.instance.state]
                .label.get(self.w),
            }
        )
        note = ", ".join(
            f"{k}={self.face.cell(v) or v}"
            for k, v in o.event.data.items()
            if isinstance(v, str | int) and k not in ("title", "preparation", "finding")
        )
        state = self.label(o.instance.state, o.instance.procedure)
        line = f"{self.face.cell(now)}  {actor:<4} {o.event.trigger:<19} → {state}"
        self.say(RichText(f"{line:<70} {note}".rstrip() if note else line))
        return o

    def refuse(
        self, iid: str, trigger: str, actor: str, data: dict[str, Any] | None = None
    ) -> None:
        """Fire a step the rules must refuse, and print the refusal with each failed rule and its
        citation."""
        from rich.text import Text as RichText

        from collegium._words import word

        w = self.w
        try:
            self.engine.fire(iid, trigger, actor, data)
        except RuleViolation as exc:
            at = self.face.cell(self.clock.now())
            self.say(
                RichText(
                    f"{at}  {actor:<4} {trigger:<19} ✗ {word('demo_refusal', w)}", style="bold red"
                )
            )
            for r in exc.verdict.failures:
                self.doc["refusals"].append(
                    {"instance": iid, "trigger": trigger, "actor": actor, **r.to_dict(w)}
                )
                self.say(RichText(f"{'':18}{r.rule_id} — {r.title.get(w)}", style="red"))
                self.say(RichText(f"{'':20}{r.message(w)}"))
                self.say(RichText(f"{'':20}{word('citation', w)}: {r.cited(w)}", style="dim"))
        else:  # pragma: no cover - the demo's refusals are part of the procedure
            raise InvalidInput(
                Message(
                    "demo: {trigger} by {actor} was expected to be refused",
                    trigger=trigger,
                    actor=actor,
                )
            )
