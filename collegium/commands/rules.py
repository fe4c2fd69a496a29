"""The ``rules`` group: list and show the rules of the built-in rule packs. Heavy modules are
imported inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from collegium import cite
from collegium.commands.common import emit_json, registry, settings

if TYPE_CHECKING:
    pass

__all__ = ["rules"]


# -- rules -----------------------------------------------------------------------------------------
@click.group()
def rules() -> None:
    """The rules of the built-in rule packs."""


@rules.command("list")
@click.option("--pack", "pack_id", default=None, help="Only the rules of this pack.")
def rules_list(pack_id: str | None) -> None:
    """List rules: id, severity, title and citation."""
    from collegium._words import word
    from collegium.commands.render import console, listing, table

    s = settings()
    w = s.lang
    reg = registry()
    packs = [reg.pack(pack_id)] if pack_id else reg.packs()
    items = [(p, r) for p in packs for r in p.rules]
    if s.as_json:
        emit_json(
            [
                {
                    "id": r.id,
                    "pack": p.key,
                    "severity": r.severity,
                    "title": r.title.get(w),
                    "citation": cite(r.citation, w),
                }
                for p, r in items
            ]
        )
        return
    listing(
        console(),
        table(
            None,
            [
                word("id", w),
                word("severity", w),
                word("title", w),
                word("citation", w),
                word("pack", w),
            ],
            ([r.id, r.severity, r.title.get(w), cite(r.citation, w), p.key] for p, r in items),
            whole=(0, 4),
        ),
        word("empty.rules", w),
    )


@rules.command("show")
@click.argument("rule_id", metavar="ID")
def rules_show(rule_id: str) -> None:
    """Show one rule: title, citation, what it guards, when it applies, and its check."""
    from collegium._words import word
    from collegium.commands.render import console, panel, table, times
    from collegium.commands.values import nested

    s = settings()
    w = s.lang
    pack, rule = registry().rule(rule_id)
    check = rule.check.model_dump(mode="json", by_alias=True)
    params = {
        k[1:]: pack.parameters[k[1:]].model_dump(mode="json", by_alias=True)
        for k in (v for v in check.values() if isinstance(v, str))
        if k.startswith("$") and k[1:] in pack.parameters
    }
    doc = {
        "id": rule.id,
        "pack": pack.key,
        "title": rule.title.get(w),
        "citation": cite(rule.citation, w),
        "severity": rule.severity,
        "guards": [{"procedure": g.procedure, "triggers": list(g.triggers)} for g in rule.guards],
        "when": {k: list(v) for k, v in rule.when.items()},
        "unless": {k: list(v) for k, v in rule.unless.items()},
        "check": check,
        "parameters": params,
    }
    if s.as_json:
        emit_json(doc)
        return
    rows: list[list[Any]] = [
        [word("title", w), doc["title"]],
        [word("citation", w), doc["citation"]],
        [word("severity", w), rule.severity],
        [word("pack", w), pack.key],
        [
            word("guards", w),
            "; ".join(f"{g.procedure}: {', '.join(g.triggers)}" for g in rule.guards) or "-",
        ],
    ]
    face = times()
    if rule.when:
        rows.append([word("when", w), nested(doc["when"], w, face)])
    if rule.unless:
        rows.append([word("unless", w), nested(doc["unless"], w, face)])
    rows.append([word("check", w), nested(check, w, face)])
    for name, p in params.items():
        rows.append([f"${name}", nested(p, w, face)])
    con = console()
    con.print(panel(rule.id, title=word("rule", w)))
    con.print(table(None, ["", ""], rows))
