"""The ``procedures`` group: list and show the built-in procedures, and check procedure,
fragment or rule-pack files before they are used. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from collegium.commands.common import emit_json, registry, settings
from collegium.errors import NotFound

if TYPE_CHECKING:
    from collegium import ProcedureSpec, RulePackSpec

__all__ = ["procedures"]


# -- procedures ------------------------------------------------------------------------------------
@click.group()
def procedures() -> None:
    """Built-in procedures, and checking procedure or rule-pack files."""


@procedures.command("list")
def procedures_list() -> None:
    """List the procedures Collegium knows."""
    from collegium._words import word
    from collegium.commands.render import console, listing, table

    s = settings()
    specs = registry().procedures()
    if s.as_json:
        emit_json(
            [
                {
                    "id": p.id,
                    "version": p.version,
                    "title": p.title.get(s.lang),
                    "rule_pack": p.rule_pack,
                    "states": len(p.states),
                    "transitions": len(p.transitions),
                }
                for p in specs
            ]
        )
        return
    w = s.lang
    listing(
        console(),
        table(
            None,
            [
                word("id", w),
                word("version", w),
                word("title", w),
                word("pack", w),
                word("states", w),
                word("transitions", w),
            ],
            (
                [p.id, p.version, p.title.get(w), p.rule_pack, len(p.states), len(p.transitions)]
                for p in specs
            ),
            whole=(0, 3),
        ),
        word("empty.procedures", w),
    )


def _bound_rules(
    spec: ProcedureSpec, pack: RulePackSpec | None, trigger: str, own: tuple[str, ...]
) -> list[str]:
    """The rule ids checked on ``trigger``: the step's own, then the pack's guards (as the engine
    binds them)."""
    ids = list(dict.fromkeys(own))
    if pack is not None:
        for rule in pack.rules:
            for guard in rule.guards:
                if (
                    guard.procedure == spec.id
                    and ("*" in guard.triggers or trigger in guard.triggers)
                    and rule.id not in ids
                ):
                    ids.append(rule.id)
    return ids


@procedures.command("show")
@click.argument("procedure_id", metavar="ID")
def procedures_show(procedure_id: str) -> None:
    """Show a procedure: its states, its transitions with roles and rules, and the data each
    trigger takes with its type."""
    from collegium._words import word
    from collegium.commands.render import console, panel, table

    s = settings()
    w = s.lang
    reg = registry()
    spec = reg.procedure(procedure_id)
    try:
        pack: RulePackSpec | None = reg.pack(spec.rule_pack)
    except NotFound:
        pack = None
    start_rules = _bound_rules(spec, pack, spec.start.trigger, spec.start.rules)
    takes = _data_taken(procedure_id) if pack is not None else {}
    transitions: list[dict[str, Any]] = []
    for t in spec.transitions:
        own = (*t.rules, *([t.when] if t.when else []))
        transitions.append(
            {
                "trigger": t.trigger,
                "label": t.label.get(w) if t.label else None,
                "source": list(t.source),
                "dest": t.dest,
                "roles": list(t.roles),
                "when": t.when,
                "rules": _bound_rules(spec, pack, t.trigger, own),
                "data": list(t.data),
                "effects": [e.kind for e in t.effects],
                "inputs": takes.get(t.trigger, []),
            }
        )
    if s.as_json:
        emit_json(
            {
                "id": spec.id,
                "version": spec.version,
                "title": spec.title.get(w),
                "description": spec.description.get(w) if spec.description else None,
                "rule_pack": spec.rule_pack,
                "initial": spec.initial,
                "include": [inc.model_dump() for inc in spec.include],
                "states": [
                    {"id": k, "label": v.label.get(w), "terminal": v.terminal}
                    for k, v in spec.states.items()
                ],
                "start": {
                    "trigger": spec.start.trigger,
                    "roles": list(spec.start.roles),
                    "rules": start_rules,
                    "data": list(spec.start.data),
                    "inputs": takes.get(spec.start.trigger, []),
                },
                "transitions": transitions,
            }
        )
        return
    con = console()
    head = f"{spec.title.get(w)}\n{word('pack', w)}: {spec.rule_pack}"
    if spec.description:
        head += "\n" + spec.description.get(w)
    if spec.include:
        head += f"\n{word('includes', w)}: " + ", ".join(
            f"{inc.fragment}@{inc.version}" for inc in spec.include
        )
    con.print(panel(head, title=f"{spec.id}@{spec.version}"))
    con.print(
        table(
            word("states", w),
            [word("id", w), word("label", w), word("terminal", w)],
            (
                [
                    k + (" *" if k == spec.initial else ""),
                    v.label.get(w),
                    word("yes", w) if v.terminal else "",
                ]
                for k, v in spec.states.items()
            ),
            whole=(0,),
        )
    )
    rows = [
        [
            spec.start.trigger + f" ({word('start', w)})",
            "",
            spec.initial,
            ", ".join(spec.start.roles),
            ", ".join(start_rules),
        ]
    ]
    for tr in transitions:
        rules = [f"{r} ({word('when', w)})" if r == tr["when"] else r for r in tr["rules"]]
        trigger = tr["trigger"] + (f" — {tr['label']}" if tr["label"] else "")
        rows.append(
            [trigger, ", ".join(tr["source"]), tr["dest"], ", ".join(tr["roles"]), ", ".join(rules)]
        )
    con.print(
        table(
            word("transitions", w),
            [
                word("trigger", w),
                word("from", w),
                word("to", w),
                word("roles", w),
                word("rules", w),
            ],
            rows,
        )
    )
    _print_data_taken(takes, w)


def _data_taken(procedure_id: str) -> dict[str, list[dict[str, Any]]]:
    """Each trigger of the built-in procedure and the data keys it takes, as JSON."""
    from collegium import trigger_data

    compiled = registry().compiled(procedure_id)
    return {
        trigger: [key.to_dict() for key in keys] for trigger, keys in trigger_data(compiled).items()
    }


def _print_data_taken(takes: dict[str, list[dict[str, Any]]], w: str) -> None:
    """The table of the data each trigger takes, one row a key, each type in words."""
    from collegium._words import shape, word
    from collegium.commands.render import console, table

    rows = [
        [
            trigger if i == 0 else "",
            key["name"],
            shape(key["type"], w, values=tuple(key.get("values", ())), keys=key.get("keys")),
            word("yes", w) if key["required"] else "",
        ]
        for trigger, keys in takes.items()
        for i, key in enumerate(keys)
    ]
    if rows:
        headers = [word(key, w) for key in ("trigger", "data_key", "data_type", "required")]
        console().print(table(word("data_taken", w), headers, rows, whole=(0, 1)))


def _builtin_texts() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The built-in packs as (id, text) and procedures as (id, pack id, text)."""
    reg = registry()
    packs = [(p.id, reg.definitions[f"pack:{p.key}"].text) for p in reg.packs()]
    procs = [
        (p.id, p.rule_pack, reg.definitions[f"procedure:{p.key}"].text) for p in reg.procedures()
    ]
    return packs, procs


@procedures.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def procedures_check(file: Path) -> None:
    """Check a procedure, procedure-fragment or rule-pack YAML file (a rule pack has a top-level
    `rules` key, a fragment says `kind: fragment`).

    The file is checked together with the built-in definitions: a procedure against its rule pack
    (and the built-in fragments it includes), a rule pack or a fragment against the built-in
    procedures that use it. Prints "ok", or the first problem (exit 2).
    """
    from collegium import Message, Registry, parse_yaml, read_text
    from collegium._words import word

    s = settings()
    kind = "procedure"
    doc_id: object = None
    doc, _node = parse_yaml(
        read_text(file), str(file)
    )  # bounded: size, nesting, aliases; errors name the line
    if isinstance(doc, dict):
        kind = (
            "rule_pack" if "rules" in doc else "fragment" if doc.get("kind") == "fragment" else kind
        )
        doc_id = doc.get("id")
    packs, procs = _builtin_texts()
    reg = Registry()
    what: str
    if kind == "rule_pack":
        for pid, text in packs:
            if pid != doc_id:
                reg.add_pack_text(text, Message("built-in pack {id}", id=pid))
        spec = reg.load_pack(file)
        for pid, pack_id, text in procs:
            reg.add_procedure_text(text, Message("built-in procedure {id}", id=pid))
            if pack_id == spec.id:
                reg.compiled(pid)
        what = word("checked_pack", s.lang, key=spec.key, count=len(spec.rules))
    elif kind == "fragment":
        for _pid, text in packs:
            reg.add_pack_text(text)
        frag = reg.load_fragment(file)
        for pid, _pack_id, text in procs:  # those including it expand with this text
            reg.add_procedure_text(text, Message("built-in procedure {id}", id=pid))
        what = word(
            "checked_fragment",
            s.lang,
            key=frag.key,
            params=len(frag.parameters),
            count=len(frag.transitions),
        )
    else:
        for _pid, text in packs:
            reg.add_pack_text(text)
        for pid, _pack_id, text in procs:
            if pid != doc_id:
                reg.add_procedure_text(text, Message("built-in procedure {id}", id=pid))
        proc = reg.load_procedure(file)
        reg.compiled(proc.id, proc.version)
        what = word(
            "checked_procedure",
            s.lang,
            key=proc.key,
            states=len(proc.states),
            count=len(proc.transitions),
        )
    if s.as_json:
        emit_json({"ok": True, "file": str(file), "kind": kind, "summary": what})
    else:
        click.echo(word("ok", s.lang, what=what))
