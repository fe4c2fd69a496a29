"""Report cycles from a calendar (报告工作制度): the year's reporting obligations of a standing
body.

The calendar is the one the loaded rule pack declares (``reporting``,
:mod:`collegium.rules.organisation`): the procedure a report runs under, the kind of body whose
members report and the kind it reports to, the role that chairs a body, the time of day a report is
due and the kinds of report, in the order written.
:func:`schedule_reports` starts one instance of that procedure per obligation of a year, for each
kind every ``every`` months:

- from each voting member of the standing body, less its chair when the kind says ``chair_reports:
  false`` (the chair hears them);
- with ``plenary``, for a kind that says ``to_plenary: true``, also from the standing committee
  itself to the plenary body, delivered by its chair.

The built-in pack declares half-year work reports (``half_year_work``, every 6 months, the secretary
hearing them and the standing committee reporting to the plenary), democratic life meeting
statements (``democratic_life``, 民主生活会) and duty-and-integrity reports (``duty_integrity``,
述职述廉), each every 12 months.

Periods divide the calendar year into equal runs of months (the interval must divide 12): ``2026``
for 12 months, ``2026-H1``/``2026-H2`` for 6, ``2026-Q1``… for 3, else ``2026-M04`` naming the
period's last month. A report is due on the **last day of its period** at the calendar's
``due_time`` — a time of day with its UTC offset, so the deadline is exact and needs no time-zone
database.

Each obligation has a deterministic id, ``{procedure}:{body heard}:{reporter}:{kind}:{period}``:
scheduling again finds it and creates nothing new. Obligations whose deadline has passed when
scheduling are not started (``past``): a report cannot be missing before it was ever asked for.
Nothing here reads the wall clock (the engine's clock says what "passed" means) or keeps state
between calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from collegium._brief import brief
from collegium._catalog import Message
from collegium._i18n import Text
from collegium.engine import declared
from collegium.engine.outcomes import Instance
from collegium.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.rules.model import RulePackSpec
    from collegium.rules.organisation import Reporting
    from collegium.store.bodies import Body

__all__ = ["Obligation", "Scheduled", "obligations", "periods", "schedule_reports"]

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
    #: the kind's labels, as the calendar declares them (the kind itself when not given)
    label: Text | None = None

    @property
    def title(self) -> str:
        label = self.label or Text(en=self.kind, zh=self.kind)
        return (
            f"{label.en} {self.period}, {self.reporter} / {self.reporter} {self.period} {label.zh}"
        )

    def data(self) -> dict[str, Any]:
        """The data the calendar's report procedure is started with."""
        out: dict[str, Any] = {
            "reporter": self.reporter,
            "reporter_kind": self.reporter_kind,
            "body": self.body,
            "kind": self.kind,
            "period": self.period,
            "due": self.due,
            "title": self.title,
        }
        if self.reporter_kind == "member":
            out["lead_member"] = self.reporter  # a member answers for their own report
        return out


@dataclass(frozen=True, slots=True)
class Scheduled:
    """What :func:`schedule_reports` did with one obligation: started it, found it started, or left
    it (past)."""

    obligation: Obligation
    status: Status
    instance: Instance | None = None


def periods(year: int, months: int, due_time: dt.time) -> list[tuple[str, dt.datetime]]:
    """The periods of ``year`` in runs of ``months`` months, each with its deadline (last day, at
    ``due_time``)."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 1 or 12 % months:
        raise InvalidInput(
            Message(
                "a report interval is a whole number of months dividing 12, not {months}",
                months=brief(months),
            )
        )
    if not 1 <= year <= 9998:
        raise InvalidInput(Message("year {year} is out of range", year=brief(year)))
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


def _param(pack: RulePackSpec, value: int | str) -> Any:
    """``value``, or the value of the pack parameter it names as ``$name``."""
    if isinstance(value, str) and value.startswith("$"):
        return pack.parameters[value[1:]].value
    return value


def _due_time(pack: RulePackSpec, calendar: Reporting) -> dt.time:
    name = calendar.due_time[1:] if calendar.due_time.startswith("$") else "reporting.due_time"
    value = _param(pack, calendar.due_time)
    try:
        parsed = dt.time.fromisoformat(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidInput(
            Message(
                "{name} {value} is not a time of day with its UTC offset, e.g. 18:00+01:00",
                name=name,
                value=brief(value),
            )
        )
    return parsed


def _standing(engine: Engine, body_id: str, kind: str) -> Body:
    body = engine.body(body_id)
    if body.kind != kind:
        raise InvalidInput(
            Message(
                "{body} is a {kind} body; reports are scheduled for a {wanted} committee",
                body=brief(body_id),
                kind=body.kind,
                wanted=kind,
            )
        )
    return body


def _chair(body: Body, role: str) -> str | None:
    return next((m.person for m in body.members if m.role == role), None)


def _calendar(engine: Engine) -> tuple[RulePackSpec, Reporting]:
    """The declared calendar, with the pack that declares it: the one its procedure is judged by,
    whose parameters it reads."""
    declaring, calendar = declared.reporting(engine.registry)
    pack = engine.registry.compiled(calendar.procedure).pack
    if pack.id != declaring.id:
        raise InvalidInput(
            Message(
                "the reporting calendar of {declaring} names procedure {procedure!r}, which "
                "another rule pack ({pack}) judges",
                declaring=declaring.key,
                procedure=calendar.procedure,
                pack=pack.key,
            )
        )
    return declaring, calendar


def obligations(
    engine: Engine, body_id: str, year: int, *, plenary: str | None = None
) -> list[Obligation]:
    """The reporting obligations of standing body ``body_id`` for ``year``, by deadline (nothing is
    written).

    Kinds, intervals and the time of day come from the reporting calendar the loaded rule pack
    declares.
    """
    pack, calendar = _calendar(engine)
    body = _standing(engine, body_id, calendar.body_kind)
    due_time = _due_time(pack, calendar)
    voting = [m for m in body.members if m.voting]
    chair = _chair(body, calendar.chair)
    if plenary is not None:
        heard = engine.body(plenary)
        if heard.kind != calendar.plenary_kind:
            raise InvalidInput(
                Message(
                    "{body} is a {kind} body, not a {wanted} committee",
                    body=brief(plenary),
                    kind=heard.kind,
                    wanted=calendar.plenary_kind,
                )
            )
        if chair is None or _chair(heard, calendar.chair) != chair:
            role, of = calendar.chair, brief(plenary)
            if not chair:
                raise InvalidInput(
                    Message(
                        "the standing committee's report is delivered by its {role} (none), "
                        "who must also be the {role} of {plenary}",
                        role=role,
                        plenary=of,
                    )
                )
            raise InvalidInput(
                Message(
                    "the standing committee's report is delivered by its {role} ({chair}), "
                    "who must also be the {role} of {plenary}",
                    role=role,
                    chair=chair,
                    plenary=of,
                )
            )
    out: list[Obligation] = []
    for kind, spec in calendar.kinds.items():
        reporters = [
            (m.person, "member", body.id)
            for m in voting
            if spec.chair_reports or m.role != calendar.chair
        ]
        if plenary is not None and spec.to_plenary:
            reporters.append((body.id, "body", plenary))
        for period, due in periods(year, _param(pack, spec.every), due_time):
            for reporter, reporter_kind, heard_by in reporters:
                iid = _instance_id(calendar.procedure, heard_by, reporter, kind, period)
                out.append(
                    Obligation(
                        iid,
                        reporter,
                        "body" if reporter_kind == "body" else "member",
                        heard_by,
                        kind,
                        period,
                        due,
                        spec.label,
                    )
                )
    order = {kind: i for i, kind in enumerate(calendar.kinds)}
    return sorted(
        out, key=lambda o: (o.due, order[o.kind])
    )  # stable: reporters keep the body's order


def _instance_id(procedure: str, body: str, reporter: str, kind: str, period: str) -> str:
    iid = f"{procedure}:{body}:{reporter}:{kind}:{period}"
    if len(iid) > 128:
        raise InvalidInput(
            Message(
                "the report id {id!r} is longer than 128 characters; use shorter body and "
                "person ids",
                id=iid,
            )
        )
    return iid


def schedule_reports(
    engine: Engine, body_id: str, year: int, *, actor: str, plenary: str | None = None
) -> list[Scheduled]:
    """Start the year's reporting obligations of standing body ``body_id`` (see the module's
    docstring).

    Idempotent: an obligation already started is reported as ``existing`` and left as it is. Each
    start is judged by the pack's rules as ``actor`` (the secretary, or a deputy, of the body
    heard); a refusal raises :class:`~collegium.errors.RuleViolation`, and the obligations started
    before it stay (scheduling again goes on from there).
    """
    now = engine.clock.now()
    procedure = declared.reporting(engine.registry)[1].procedure
    done: list[Scheduled] = []
    for ob in obligations(engine, body_id, year, plenary=plenary):
        found = _existing(engine, ob.id)
        if found is not None:
            done.append(Scheduled(ob, "existing", found))
        elif ob.due < now:
            done.append(Scheduled(ob, "past"))
        else:
            try:
                started = engine.start(procedure, actor, ob.data(), instance_id=ob.id).instance
            except InvalidInput:
                raced = _existing(
                    engine, ob.id
                )  # started meanwhile by another process: done all the same
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


def __getattr__(name: str) -> Any:
    """``KINDS``, deprecated: the kinds of report are the rule pack's (``reporting.kinds``)."""
    if name != "KINDS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    kinds = declared.deprecated(
        f"{__name__}.KINDS",
        "reporting.kinds; Obligation.label",
        lambda reg: declared.reporting(reg)[1].kinds,
    )
    return {
        kind: (spec.label, spec.every[1:] if isinstance(spec.every, str) else str(spec.every))
        for kind, spec in kinds.items()
    }
