"""Periodic work reports on the command line: ``reports schedule``.

``collegium reports schedule --body sc --year 2026 --as sec [--plenary pc]`` starts the year's
reporting obligations of a standing body (:func:`collegium.schedule_reports`) and prints each:
started now, already started (scheduling is idempotent), or left because its deadline had passed.
Each start is judged by the pack's rules like ``collegium start``; a refusal is one line on stderr
and a non-zero exit.

Heavy modules are imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from collegium._words import word
from collegium.commands.common import emit_json, open_engine, settings

if TYPE_CHECKING:
    from collegium import Scheduled

__all__ = ["reports"]

#: what was done with each obligation, in the order the summary counts them
_STATUSES = ("scheduled", "existing", "past")


def _doc(done: Scheduled, lang: str) -> dict[str, Any]:
    ob = done.obligation
    return {
        "id": ob.id,
        "status": done.status,
        "status_label": word(f"reports.{done.status}", lang),
        "reporter": ob.reporter,
        "reporter_kind": ob.reporter_kind,
        "body": ob.body,
        "kind": ob.kind,
        "kind_label": ob.label.get(lang) if ob.label is not None else ob.kind,
        "period": ob.period,
        "due": ob.due.isoformat(),
        "state": done.instance.state if done.instance is not None else None,
    }


@click.group()
def reports() -> None:
    """Periodic work reports (报告工作制度): schedule a standing body's reporting obligations for a
    year."""


@reports.command("schedule")
@click.option(
    "--body",
    "body_id",
    required=True,
    metavar="BODY",
    help="The standing committee whose members report.",
)
@click.option(
    "--year", required=True, type=click.IntRange(1, 9998), help="The calendar year to schedule."
)
@click.option(
    "--as",
    "actor",
    required=True,
    metavar="ACTOR",
    help="Who schedules (the secretary or a deputy).",
)
@click.option(
    "--plenary",
    default=None,
    metavar="BODY",
    help="The plenary committee the standing committee reports to "
    "(omit: no report of the committee).",
)
def reports_schedule(body_id: str, year: int, actor: str, plenary: str | None) -> None:
    """Start the YEAR's reports of BODY: half-year work reports of its members (and of the committee
    to the plenary), a democratic life meeting and a duty-and-integrity report of each member.
    Running it again schedules nothing twice."""
    from collegium import schedule_reports
    from collegium.commands.render import times

    s = settings()
    with open_engine(writes=True) as engine:
        done = schedule_reports(engine, body_id, year, actor=actor, plenary=plenary)
    docs = [_doc(d, s.lang) for d in done]
    counts = {status: sum(1 for d in done if d.status == status) for status in _STATUSES}
    if s.as_json:
        emit_json(
            {
                "ok": True,
                "body": body_id,
                "year": year,
                "plenary": plenary,
                "counts": counts,
                "reports": docs,
            }
        )
        return
    face = times()
    lines = [
        word(
            "reports.line",
            s.lang,
            **{
                **doc,
                "status": doc["status_label"],
                "kind": doc["kind_label"],
                "due": face.cell(doc["due"]) or doc["due"],
            },
        )
        for doc in docs
    ]
    for line in [face.caption(s.lang), *lines] if face.offset else lines:
        click.echo(line)
    click.echo(word("reports.summary", s.lang, **counts))


@reports.command("due")
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(0, 3660),
    help="How many days ahead to look.",
)
@click.option(
    "--body", "body_id", default=None, metavar="BODY", help="Only reports heard by this body."
)
def reports_due(days: int, body_id: str | None) -> None:
    """Reports still to be submitted whose deadline falls in the next DAYS days, soonest first."""
    import datetime as dt

    from collegium import reports_due as due
    from collegium.commands.render import times

    s = settings()
    with open_engine(writes=False) as engine:
        found = due(engine, dt.timedelta(days=days), body_id)
    docs = [
        {
            "id": r.id,
            "reporter": r.facts.get("reporter"),
            "body": r.facts.get("body"),
            "kind": r.facts.get("kind"),
            "period": r.facts.get("period"),
            "due": r.facts.get("due"),
        }
        for r in found
    ]
    if s.as_json:
        emit_json(docs)
        return
    face = times()
    lines = [
        word("reports.due", s.lang, **{**d, "due": face.cell(d["due"]) or d["due"]}) for d in docs
    ]
    for line in [face.caption(s.lang), *lines] if face.offset else lines:
        click.echo(line)
    if not docs:
        click.echo(word("reports.none_due", s.lang, days=days))
