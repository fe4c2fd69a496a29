"""Supervision on the command line (督查): ``supervise --as-of DATE`` runs the engine's sweep of due
timers (overdue tasks, lapsed deadlines) up to a date and lists what it found and the cases it
opened. The secretary's office's questions are ``tasks`` (:mod:`collegium.commands.tasks`) and
``cases`` (:mod:`collegium.commands.cases`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from collegium.commands.common import display_zone, emit_json, open_engine, settings

__all__ = ["supervise"]


def _as_of(value: str) -> dt.datetime:
    """``--as-of``: a date-time with a zone, or a date meaning the end of that day in ``--tz``'s
    zone (the machine's local zone when it is not given)."""
    from collegium import parse_time

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return parse_time(value, "--as-of")
    end = dt.datetime.combine(day, dt.time(23, 59, 59, 999999))
    zone = display_zone()
    return end.replace(tzinfo=zone) if zone is not None else end.astimezone()


@click.command()
@click.option(
    "--as-of",
    "as_of",
    required=True,
    metavar="DATE",
    help="Sweep up to this moment: a date-time with a zone, or a date "
    "(the end of that day in --tz, by default the machine's local zone).",
)
def supervise(as_of: str) -> None:
    """Run supervision up to --as-of (not later than now, see --now): fire every due timer (deadline
    reviews, lapses) in time order, as the engine's own actor; a finding opens one accountability
    case, and running it again opens none."""
    from collegium import format_time
    from collegium._words import word
    from collegium.commands.render import console, table, times
    from collegium.commands.values import timer_words

    s = settings()
    until = _as_of(as_of)
    with open_engine(
        writes=True
    ) as engine:  # the clock (--now, or the system's) bounds it: nothing fires before it is due
        runs = engine.run_due(until)
        rows: list[dict[str, Any]] = [
            {
                "due": r.timer.due_at,
                "instance": r.timer.instance_id,
                "trigger": r.timer.name,
                "state": r.outcome.instance.state if r.outcome else None,
                "opened": list(r.outcome.started) if r.outcome else [],
                "refused": str(r.error) if r.error else None,
                "stale": r.stale,
            }
            for r in runs
        ]
    if s.as_json:
        emit_json({"until": format_time(until), "fired": rows})
        return
    w = s.lang
    con = console()
    shown = times().line(until)
    if not rows:
        con.print(word("supervise.nothing", w, until=shown), markup=False)
        return
    con.print(
        word("supervise.swept", w, until=shown, count=sum(1 for r in rows if r["state"])),
        markup=False,
    )
    con.print(
        table(
            None,
            [word(f"supervise.{k}", w) for k in ("due", "instance", "trigger", "result", "opened")],
            (
                [
                    r["due"],
                    r["instance"],
                    timer_words(r["trigger"], w),
                    r["state"]
                    or (f"{word('supervise.refused', w)}: {r['refused']}" if r["refused"] else "-"),
                    ", ".join(r["opened"]),
                ]
                for r in rows
            ),
            whole=(1, 4),
            times_in=(0,),
        )
    )
