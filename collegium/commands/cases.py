"""Accountability cases on the command line (问责): ``cases open`` lists the cases not yet closed
or dismissed. It takes ``--json``.
"""

from __future__ import annotations

import click

from collegium.commands.common import emit_json, open_engine, settings, state_label

__all__ = ["cases"]


@click.group()
def cases() -> None:
    """Accountability cases (问责)."""


@cases.command("open")
@click.option("--member", default=None, help="Only the cases of this member.")
def cases_open(member: str | None) -> None:
    """Cases not yet closed or dismissed, oldest first."""
    from collegium import open_cases
    from collegium._words import word
    from collegium.commands.render import console, listing, table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        found = open_cases(engine, member)
        doc = [
            {
                "case": c.id,
                "finding_kind": c.facts.get("finding_kind"),
                "member": c.facts.get("lead_member"),
                "decision": c.facts.get("decision"),
                "task": c.facts.get("task"),
                "state": c.state,
                "state_label": state_label(engine.registry, c, w),
                "dissent": c.facts.get("dissent") or [],
            }
            for c in found
        ]
    if s.as_json:
        emit_json(doc)
        return
    listing(
        console(),
        table(
            None,
            [word(f"supervise.{k}", w) for k in ("case", "finding", "member", "state")],
            ([d["case"], d["finding_kind"], d["member"], d["state_label"]] for d in doc),
            whole=(0, 2),
        ),
        word("empty.cases", w),
    )
