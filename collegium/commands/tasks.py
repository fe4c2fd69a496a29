"""Tasks of decisions on the command line (责任分解): ``tasks overdue`` and
``tasks targets MEMBER``, the secretary's office's questions about who delivers what by when. Both
take ``--json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from collegium.commands.common import emit_json, open_engine, settings, state_label

if TYPE_CHECKING:
    from collegium import Instance, Registry

__all__ = ["tasks"]


@click.group()
def tasks() -> None:
    """Tasks of decisions (责任分解): overdue ones, a member's targets."""


def _task_doc(registry: Registry, inst: Instance, lang: str) -> dict[str, Any]:
    return {
        "task": inst.id,
        "title": inst.facts.get("title"),
        "lead_member": inst.facts.get("lead_member"),
        "departments": inst.facts.get("departments") or [],
        "deadline": inst.facts.get("deadline"),
        "state": inst.state,
        "state_label": state_label(registry, inst, lang),
        "decision": inst.facts.get("decision"),
    }


@tasks.command("overdue")
@click.option(
    "--by", type=click.Choice(["member", "department"]), default="member", show_default=True
)
def tasks_overdue(by: str) -> None:
    """Tasks overdue now (found by the sweep, or open past their deadline), by lead member or
    department."""
    from collegium import overdue_tasks
    from collegium._words import word
    from collegium.commands.render import console, listing, table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        found = overdue_tasks(engine, "lead_member" if by == "member" else "departments")
        doc = {
            key: [_task_doc(engine.registry, i, w) for i in group] for key, group in found.items()
        }
    if s.as_json:
        emit_json(doc)
        return
    head = word("supervise.lead" if by == "member" else "supervise.department", w)
    listing(
        console(),
        table(
            None,
            [
                head,
                word("supervise.task", w),
                word("title", w),
                word("supervise.deadline", w),
                word("supervise.state", w),
            ],
            (
                [key, t["task"], t["title"], t["deadline"], t["state_label"]]
                for key, group in doc.items()
                for t in group
            ),
            whole=(1,),
            times_in=(3,),
        ),
        word("empty.overdue", w),
    )


@tasks.command("targets")
@click.argument("member")
def tasks_targets(member: str) -> None:
    """MEMBER's business and public targets (业务目标、公共目标) with the progress derived from
    them."""
    from dataclasses import asdict

    from collegium import member_targets
    from collegium._words import word
    from collegium.commands.render import console, table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        found = member_targets(engine, member)
    if s.as_json:
        emit_json({kind: [asdict(t) for t in views] for kind, views in found.items()})
        return
    con = console()
    if not any(found.values()):
        con.print(word("empty.targets", w, member=member), markup=False)
        return
    for kind, views in found.items():
        if not views:
            continue
        heads = [
            word("supervise.task", w),
            word("title", w),
            word("supervise.metric", w),
            word("supervise.progress", w),
            word("supervise.deadline", w),
        ]
        con.print(
            table(
                word(f"supervise.kind.{kind}", w),
                heads,
                (
                    [
                        t.task,
                        t.title,
                        f"{t.metric}: {t.baseline} → {t.target} {t.unit}"
                        f" ({t.measured if t.measured is not None else '-'})",
                        f"{t.percent}%",
                        t.deadline,
                    ]
                    for t in views
                ),
                whole=(0,),
                times_in=(4,),
            )
        )
