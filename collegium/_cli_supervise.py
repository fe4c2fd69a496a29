"""Supervision on the command line (督查): ``supervise --as-of DATE`` runs the engine's sweep of due timers (overdue
tasks, lapsed deadlines) up to a date and lists what it found and the cases it opened; ``tasks overdue``, ``tasks
targets MEMBER`` and ``cases open`` answer the secretary's office's questions. All take ``--json``.

Registered on the root group by :mod:`collegium.cli`. Heavy modules are imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from collegium._cli_common import emit_json, open_engine, settings, state_label
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium.engine.outcomes import Instance
    from collegium.engine.registry import Registry

__all__ = ["cases", "supervise", "tasks"]


def _w(key: str, lang: str, **params: Any) -> str:
    from collegium._render import word

    return word(f"supervise.{key}", lang, **params)


def _as_of(value: str, tz: str) -> dt.datetime:
    """``--as-of``: a date-time with a zone, or a date meaning the end of that day in ``--tz``."""
    from collegium.engine.clock import parse_time

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return parse_time(value, "--as-of")
    try:
        zone = dt.datetime.fromisoformat(f"2000-01-01T00:00{tz}").tzinfo
    except ValueError:
        raise InvalidInput(f"--tz must be an offset such as +08:00 or Z, not {tz!r}") from None
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=zone)


@click.command()
@click.option("--as-of", "as_of", required=True, metavar="DATE",
              help="Sweep up to this moment: a date-time with a zone, or a date (the end of that day in --tz).")
@click.option("--tz", default="Z", show_default=True, help="Zone of a plain --as-of date, e.g. +08:00.")
def supervise(as_of: str, tz: str) -> None:
    """Run supervision up to --as-of (not later than now, see --now): fire every due timer (deadline reviews,
    lapses) in time order, as the engine's own actor; a finding opens one accountability case, and running it
    again opens none."""
    from collegium._render import console, table
    from collegium.engine.clock import format_time

    s = settings()
    until = _as_of(as_of, tz)
    with open_engine() as engine:  # the clock (--now, or the system's) bounds it: nothing fires before it is due
        runs = engine.run_due(until)
        rows: list[dict[str, Any]] = [{
            "due": r.timer.due_at, "instance": r.timer.instance_id, "trigger": r.timer.name,
            "state": r.outcome.instance.state if r.outcome else None,
            "opened": list(r.outcome.started) if r.outcome else [],
            "refused": str(r.error) if r.error else None, "stale": r.stale} for r in runs]
    if s.as_json:
        emit_json({"until": format_time(until), "fired": rows})
        return
    w = s.lang
    con = console()
    con.print(_w("swept", w, until=format_time(until), count=sum(1 for r in rows if r["state"])))
    if rows:
        con.print(table(None, [_w(k, w) for k in ("due", "instance", "trigger", "result", "opened")],
                        ([r["due"], r["instance"], r["trigger"],
                          r["state"] or (f"{_w('refused', w)}: {r['refused']}" if r["refused"] else "-"),
                          ", ".join(r["opened"])] for r in rows)))


@click.group()
def tasks() -> None:
    """Tasks of decisions (责任分解): overdue ones, a member's targets."""


def _task_doc(registry: Registry, inst: Instance, lang: str) -> dict[str, Any]:
    return {"task": inst.id, "title": inst.facts.get("title"), "lead_member": inst.facts.get("lead_member"),
            "departments": inst.facts.get("departments") or [], "deadline": inst.facts.get("deadline"),
            "state": inst.state, "state_label": state_label(registry, inst, lang),
            "decision": inst.facts.get("decision")}


@tasks.command("overdue")
@click.option("--by", type=click.Choice(["member", "department"]), default="member", show_default=True)
def tasks_overdue(by: str) -> None:
    """Tasks overdue now (found by the sweep, or open past their deadline), by lead member or department."""
    from collegium._render import console, table
    from collegium.engine import queries

    s = settings()
    w = s.lang
    with open_engine() as engine:
        found = queries.overdue_tasks(engine, "lead_member" if by == "member" else "departments")
        doc = {key: [_task_doc(engine.registry, i, w) for i in group] for key, group in found.items()}
    if s.as_json:
        emit_json(doc)
        return
    head = _w("lead" if by == "member" else "department", w)
    console().print(table(None, [head, _w("task", w), _w("deadline", w), _w("state", w)],
                          ([key, f"{t['task']} {t['title']}", t["deadline"], t["state_label"]]
                           for key, group in doc.items() for t in group)))


@tasks.command("targets")
@click.argument("member")
def tasks_targets(member: str) -> None:
    """MEMBER's business and public targets (业务目标、公共目标) with the progress derived from them."""
    from dataclasses import asdict

    from collegium._render import console, table
    from collegium.engine import queries

    s = settings()
    w = s.lang
    with open_engine() as engine:
        found = queries.member_targets(engine, member)
    if s.as_json:
        emit_json({kind: [asdict(t) for t in views] for kind, views in found.items()})
        return
    con = console()
    for kind, views in found.items():
        heads = [_w("task", w), _w("metric", w), _w("progress", w), _w("deadline", w)]
        con.print(table(_w(f"kind.{kind}", w), heads,
                        ([f"{t.task} {t.title}", f"{t.metric}: {t.baseline} → {t.target} {t.unit}"
                          f" ({t.measured if t.measured is not None else '-'})", f"{t.percent}%", t.deadline]
                         for t in views)))


@click.group()
def cases() -> None:
    """Accountability cases (问责)."""


@cases.command("open")
@click.option("--member", default=None, help="Only the cases of this member.")
def cases_open(member: str | None) -> None:
    """Cases not yet closed or dismissed, oldest first."""
    from collegium._render import console, table
    from collegium.engine import queries

    s = settings()
    w = s.lang
    with open_engine() as engine:
        found = queries.open_cases(engine, member)
        doc = [{"case": c.id, "finding_kind": c.facts.get("finding_kind"), "member": c.facts.get("lead_member"),
                "decision": c.facts.get("decision"), "task": c.facts.get("task"), "state": c.state,
                "state_label": state_label(engine.registry, c, w), "dissent": c.facts.get("dissent") or []}
               for c in found]
    if s.as_json:
        emit_json(doc)
        return
    console().print(table(None, [_w(k, w) for k in ("case", "finding", "member", "state")],
                          ([d["case"], d["finding_kind"], d["member"], d["state_label"]] for d in doc)))
