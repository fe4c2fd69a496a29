"""Report cycles from a calendar (报告工作制度, source §IV.5): the year's reporting obligations of a standing body.

:func:`schedule_reports` starts one ``report`` instance per obligation of a year:

- a **half-year work report** (``half_year_work``) from each voting member of the standing body other than its
  secretary (who hears them), every ``report_interval_months`` (pack parameter; 6);
- with ``plenary``, the standing committee's own work report to the plenary body, at the same interval;
- a **democratic life meeting** statement (``democratic_life``, 民主生活会) and a **duty-and-integrity report**
  (``duty_integrity``, 述职述廉) from every voting member, the secretary included, every
  ``democratic_life_interval_months`` and ``duty_integrity_interval_months`` (12).

Periods divide the calendar year into equal runs of months (the interval must divide 12): ``2026`` for 12 months,
``2026-H1``/``2026-H2`` for 6, ``2026-Q1``… for 3, else ``2026-M04`` naming the period's last month. A report is due
on the **last day of its period** at the pack's ``report_due_time`` — a time of day with its UTC offset
(``18:00+08:00``), so the deadline is exact and needs no time-zone database.

Each obligation has a deterministic id, ``report:{body heard}:{reporter}:{kind}:{period}``: scheduling again finds
it and creates nothing new. Obligations whose deadline has passed when scheduling are not started (``past``): a
report cannot be missing before it was ever asked for. Nothing here reads the wall clock (the engine's clock
says what "passed" means) or keeps state between calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from collegium._brief import brief
from collegium._i18n import Text
from collegium.engine.outcomes import Instance
from collegium.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.store.bodies import Body

__all__ = ["KINDS", "Obligation", "Scheduled", "obligations", "periods", "schedule_reports"]

PROCEDURE = "report"

#: The kinds of report, their labels and the pack parameter that sets their interval in months.
KINDS: dict[str, tuple[Text, str]] = {
    "half_year_work": (Text(en="half-year work report", zh="半年工作报告"), "report_interval_months"),
    "democratic_life": (Text(en="democratic life meeting", zh="民主生活会对照检查"), "democratic_life_interval_months"),
    "duty_integrity": (Text(en="duty-and-integrity report", zh="述职述廉报告"), "duty_integrity_interval_months"),
}
#: When the pack does not set an interval: half-year work reports, yearly democratic life and duty reports.
DEFAULT_MONTHS = {"half_year_work": 6, "democratic_life": 12, "duty_integrity": 12}
DEFAULT_DUE_TIME = "18:00+08:00"

Status = Literal["scheduled", "existing", "past"]


@dataclass(frozen=True, slots=True)
class Obligation:
    """One report a body is owed: who reports, to which body, what, for which period and by when."""

    id: str
    reporter: str
    reporter_kind: Literal["member", "body"]
    body: str
    kind: str
    period: str
    due: dt.datetime

    @property
    def title(self) -> str:
        label = KINDS[self.kind][0]
        return f"{label.en} {self.period}, {self.reporter} / {self.reporter} {self.period} {label.zh}"

    def data(self) -> dict[str, Any]:
        """The data the ``schedule`` step of the ``report`` procedure is started with."""
        out: dict[str, Any] = {"reporter": self.reporter, "reporter_kind": self.reporter_kind, "body": self.body,
                               "kind": self.kind, "period": self.period, "due": self.due, "title": self.title}
        if self.reporter_kind == "member":
            out["lead_member"] = self.reporter  # a member answers for their own report
        return out


@dataclass(frozen=True, slots=True)
class Scheduled:
    """What :func:`schedule_reports` did with one obligation: started it, found it started, or left it (past)."""

    obligation: Obligation
    status: Status
    instance: Instance | None = None


def periods(year: int, months: int, due_time: dt.time) -> list[tuple[str, dt.datetime]]:
    """The periods of ``year`` in runs of ``months`` months, each with its deadline (last day, at ``due_time``)."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 1 or 12 % months:
        raise InvalidInput("a report interval is a whole number of months dividing 12, "
                           f"not {brief(months)}")
    if not 1 <= year <= 9998:
        raise InvalidInput(f"year {brief(year)} is out of range")
    out = []
    for i in range(12 // months):
        last = (i + 1) * months
        if months == 12:
            label = f"{year}"
        elif months == 6:
            label = f"{year}-H{i + 1}"
        elif months == 3:
            label = f"{year}-Q{i + 1}"
        else:
            label = f"{year}-M{last:02d}"
        next_first = dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)
        day = next_first - dt.timedelta(days=1)
        out.append((label, dt.datetime.combine(day, due_time)))
    return out


def _due_time(value: object) -> dt.time:
    try:
        parsed = dt.time.fromisoformat(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidInput(f"report_due_time {brief(value)} is not a time of day with its UTC "
                           "offset, e.g. 18:00+08:00")
    return parsed


def _standing(engine: Engine, body_id: str) -> Body:
    body = engine.body(body_id)
    if body.kind != "standing":
        raise InvalidInput(f"{brief(body_id)} is a {body.kind} body; reports are scheduled for a "
                           "standing committee")
    return body


def _secretary(body: Body) -> str | None:
    return next((m.person for m in body.members if m.role == "secretary"), None)


def obligations(engine: Engine, body_id: str, year: int, *, plenary: str | None = None) -> list[Obligation]:
    """The reporting obligations of standing body ``body_id`` for ``year``, by deadline (nothing is written).

    Intervals and the time of day come from the parameters of the pack the ``report`` procedure is judged by.
    """
    body = _standing(engine, body_id)
    params = engine.registry.compiled(PROCEDURE).params
    due_time = _due_time(params.get("report_due_time", DEFAULT_DUE_TIME))
    voting = [m for m in body.members if m.voting]
    if plenary is not None:
        heard = engine.body(plenary)
        if heard.kind != "plenary":
            raise InvalidInput(f"{brief(plenary)} is a {heard.kind} body, not a plenary committee")
        chair = _secretary(body)
        if chair is None or _secretary(heard) != chair:
            raise InvalidInput(f"the standing committee's report is delivered by its secretary ({chair or 'none'}), "
                               f"who must also be the secretary of {brief(plenary)}")
    out: list[Obligation] = []
    for kind, (_label, parameter) in KINDS.items():
        months = params.get(parameter, DEFAULT_MONTHS[kind])
        for period, due in periods(year, months, due_time):
            if kind == "half_year_work":
                reporters = [(m.person, "member", body.id) for m in voting if m.role != "secretary"]
                if plenary is not None:
                    reporters.append((body.id, "body", plenary))
            else:
                reporters = [(m.person, "member", body.id) for m in voting]
            for reporter, reporter_kind, heard_by in reporters:
                out.append(Obligation(_instance_id(heard_by, reporter, kind, period), reporter,
                                      "body" if reporter_kind == "body" else "member", heard_by, kind, period, due))
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(out, key=lambda o: (o.due, order[o.kind]))  # stable: reporters keep the body's order


def _instance_id(body: str, reporter: str, kind: str, period: str) -> str:
    iid = f"report:{body}:{reporter}:{kind}:{period}"
    if len(iid) > 128:
        raise InvalidInput(f"the report id {iid!r} is longer than 128 characters; use shorter body and person ids")
    return iid


def schedule_reports(engine: Engine, body_id: str, year: int, *, actor: str,
                     plenary: str | None = None) -> list[Scheduled]:
    """Start the year's reporting obligations of standing body ``body_id`` (see the module's docstring).

    Idempotent: an obligation already started is reported as ``existing`` and left as it is. Each start is judged
    by the pack's rules as ``actor`` (the secretary, or a deputy, of the body heard); a refusal raises
    :class:`~collegium.errors.RuleViolation`, and the obligations started before it stay (scheduling again goes on
    from there).
    """
    now = engine.clock.now()
    done: list[Scheduled] = []
    for ob in obligations(engine, body_id, year, plenary=plenary):
        found = _existing(engine, ob.id)
        if found is not None:
            done.append(Scheduled(ob, "existing", found))
        elif ob.due < now:
            done.append(Scheduled(ob, "past"))
        else:
            try:
                started = engine.start(PROCEDURE, actor, ob.data(), instance_id=ob.id).instance
            except InvalidInput:
                raced = _existing(engine, ob.id)  # started meanwhile by another process: done all the same
                if raced is None:
                    raise
                done.append(Scheduled(ob, "existing", raced))
            else:
                done.append(Scheduled(ob, "scheduled", started))
    return done


def _existing(engine: Engine, instance_id: str) -> Instance | None:
    try:
        return engine.get(instance_id)
    except NotFound:
        return None
