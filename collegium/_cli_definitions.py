"""The commands on definitions: ``procedures``, ``rules``, ``schema`` and ``body``.

Registered on the root group by :mod:`collegium.cli`. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from collegium._cli_common import builtin_registry, emit_json, open_engine, settings
from collegium.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from collegium.rules.model import RulePackSpec
    from collegium.workflows.spec import ProcedureSpec

__all__ = ["body", "procedures", "rules", "schema"]


# -- procedures ------------------------------------------------------------------------------------------
@click.group()
def procedures() -> None:
    """Built-in procedures, and checking procedure or rule-pack files."""


@procedures.command("list")
def procedures_list() -> None:
    """List the procedures Collegium knows."""
    from collegium._render import console, table, word

    s = settings()
    specs = builtin_registry().procedures()
    if s.as_json:
        emit_json([{"id": p.id, "version": p.version, "title": p.title.get(s.lang), "rule_pack": p.rule_pack,
                     "states": len(p.states), "transitions": len(p.transitions)} for p in specs])
        return
    w = s.lang
    console().print(table(None, [word("id", w), word("version", w), word("title", w), word("pack", w),
                                 word("states", w), word("transitions", w)],
                          ([p.id, p.version, p.title.get(w), p.rule_pack, len(p.states), len(p.transitions)]
                           for p in specs)))


def _bound_rules(spec: ProcedureSpec, pack: RulePackSpec | None, trigger: str, own: tuple[str, ...]) -> list[str]:
    """The rule ids checked on ``trigger``: the step's own, then the pack's guards (as the engine binds them)."""
    ids = list(dict.fromkeys(own))
    if pack is not None:
        for rule in pack.rules:
            for guard in rule.guards:
                if guard.procedure == spec.id and ("*" in guard.triggers or trigger in guard.triggers) \
                        and rule.id not in ids:
                    ids.append(rule.id)
    return ids


@procedures.command("show")
@click.argument("procedure_id", metavar="ID")
def procedures_show(procedure_id: str) -> None:
    """Show a procedure: its states, and its transitions with roles and rules."""
    from collegium._render import console, panel, table, word

    s = settings()
    w = s.lang
    reg = builtin_registry()
    spec = reg.procedure(procedure_id)
    try:
        pack: RulePackSpec | None = reg.pack(spec.rule_pack)
    except NotFound:
        pack = None
    start_rules = _bound_rules(spec, pack, spec.start.trigger, spec.start.rules)
    transitions: list[dict[str, Any]] = []
    for t in spec.transitions:
        own = (*t.rules, *([t.when] if t.when else []))
        transitions.append({"trigger": t.trigger, "label": t.label.get(w) if t.label else None,
                            "source": list(t.source), "dest": t.dest, "roles": list(t.roles),
                            "when": t.when, "rules": _bound_rules(spec, pack, t.trigger, own),
                            "data": list(t.data), "effects": [e.kind for e in t.effects]})
    if s.as_json:
        emit_json({"id": spec.id, "version": spec.version, "title": spec.title.get(w),
                    "description": spec.description.get(w) if spec.description else None,
                    "rule_pack": spec.rule_pack, "initial": spec.initial,
                    "include": [inc.model_dump() for inc in spec.include],
                    "states": [{"id": k, "label": v.label.get(w), "terminal": v.terminal}
                               for k, v in spec.states.items()],
                    "start": {"trigger": spec.start.trigger, "roles": list(spec.start.roles),
                              "rules": start_rules, "data": list(spec.start.data)},
                    "transitions": transitions})
        return
    con = console()
    head = f"{spec.title.get(w)}\n{word('pack', w)}: {spec.rule_pack}"
    if spec.description:
        head += "\n" + spec.description.get(w)
    if spec.include:
        head += f"\n{word('includes', w)}: " + ", ".join(f"{inc.fragment}@{inc.version}" for inc in spec.include)
    con.print(panel(head, title=f"{spec.id}@{spec.version}"))
    con.print(table(word("states", w), [word("id", w), word("label", w), word("terminal", w)],
                    ([k + (" *" if k == spec.initial else ""), v.label.get(w),
                      word("yes", w) if v.terminal else ""] for k, v in spec.states.items())))
    rows = [[spec.start.trigger + f" ({word('start', w)})", "", spec.initial, ", ".join(spec.start.roles),
             ", ".join(start_rules)]]
    for tr in transitions:
        rules = [f"{r} ({word('when', w)})" if r == tr["when"] else r for r in tr["rules"]]
        trigger = tr["trigger"] + (f" — {tr['label']}" if tr["label"] else "")
        rows.append([trigger, ", ".join(tr["source"]), tr["dest"], ", ".join(tr["roles"]), ", ".join(rules)])
    con.print(table(word("transitions", w), [word("trigger", w), word("from", w), word("to", w),
                                             word("roles", w), word("rules", w)], rows))



def _builtin_texts() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The built-in packs as (id, text) and procedures as (id, pack id, text)."""
    reg = builtin_registry()
    packs = [(p.id, reg.definitions[f"pack:{p.key}"].text) for p in reg.packs()]
    procs = [(p.id, p.rule_pack, reg.definitions[f"procedure:{p.key}"].text) for p in reg.procedures()]
    return packs, procs


@procedures.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def procedures_check(file: Path) -> None:
    """Check a procedure, procedure-fragment or rule-pack YAML file (a rule pack has a top-level `rules` key,
    a fragment says `kind: fragment`).

    The file is checked together with the built-in definitions: a procedure against its rule pack (and the
    built-in fragments it includes), a rule pack or a fragment against the built-in procedures that use it.
    Prints "ok", or the first problem (exit 2).
    """
    from collegium._loader import parse_yaml, read_text
    from collegium._render import word
    from collegium.engine.registry import Registry

    s = settings()
    kind = "procedure"
    doc_id: object = None
    doc, _node = parse_yaml(read_text(file), str(file))  # bounded: size, nesting, aliases; errors name the line
    if isinstance(doc, dict):
        kind = "rule_pack" if "rules" in doc else "fragment" if doc.get("kind") == "fragment" else kind
        doc_id = doc.get("id")
    packs, procs = _builtin_texts()
    reg = Registry()
    what: str
    if kind == "rule_pack":
        for pid, text in packs:
            if pid != doc_id:
                reg.add_pack_text(text, f"built-in pack {pid}")
        spec = reg.load_pack(file)
        for pid, pack_id, text in procs:
            reg.add_procedure_text(text, f"built-in procedure {pid}")
            if pack_id == spec.id:
                reg.compiled(pid)
        what = f"rule pack {spec.key}, {len(spec.rules)} rules"
    elif kind == "fragment":
        for _pid, text in packs:
            reg.add_pack_text(text)
        frag = reg.load_fragment(file)
        for pid, _pack_id, text in procs:  # those including it expand with this text
            reg.add_procedure_text(text, f"built-in procedure {pid}")
        what = f"fragment {frag.key}, {len(frag.parameters)} parameters, {len(frag.transitions)} transitions"
    else:
        for _pid, text in packs:
            reg.add_pack_text(text)
        for pid, _pack_id, text in procs:
            if pid != doc_id:
                reg.add_procedure_text(text, f"built-in procedure {pid}")
        proc = reg.load_procedure(file)
        reg.compiled(proc.id, proc.version)
        what = f"procedure {proc.key}, {len(proc.states)} states, {len(proc.transitions)} transitions"
    if s.as_json:
        emit_json({"ok": True, "file": str(file), "kind": kind, "summary": what})
    else:
        click.echo(word("ok", s.lang, what=what))


# -- rules ---------------------------------------------------------------------------------------------
@click.group()
def rules() -> None:
    """The rules of the built-in rule packs."""


@rules.command("list")
@click.option("--pack", "pack_id", default=None, help="Only the rules of this pack.")
def rules_list(pack_id: str | None) -> None:
    """List rules: id, severity, title and citation."""
    from collegium._render import console, table, word

    s = settings()
    w = s.lang
    reg = builtin_registry()
    packs = [reg.pack(pack_id)] if pack_id else reg.packs()
    items = [(p, r) for p in packs for r in p.rules]
    if s.as_json:
        emit_json([{"id": r.id, "pack": p.key, "severity": r.severity, "title": r.title.get(w),
                     "citation": r.citation} for p, r in items])
        return
    console().print(table(None, [word("id", w), word("severity", w), word("title", w), word("citation", w),
                                 word("pack", w)],
                          ([r.id, r.severity, r.title.get(w), r.citation, p.key] for p, r in items)))


@rules.command("show")
@click.argument("rule_id", metavar="ID")
def rules_show(rule_id: str) -> None:
    """Show one rule: title, citation, what it guards, when it applies, and its check."""
    from collegium._render import console, panel, plain, table, word

    s = settings()
    w = s.lang
    pack, rule = builtin_registry().rule(rule_id)
    check = rule.check.model_dump(mode="json", by_alias=True)
    params = {k[1:]: pack.parameters[k[1:]].model_dump(mode="json", by_alias=True)
              for k in (v for v in check.values() if isinstance(v, str)) if k.startswith("$")
              and k[1:] in pack.parameters}
    doc = {"id": rule.id, "pack": pack.key, "title": rule.title.get(w), "citation": rule.citation,
           "severity": rule.severity,
           "guards": [{"procedure": g.procedure, "triggers": list(g.triggers)} for g in rule.guards],
           "when": {k: list(v) for k, v in rule.when.items()}, "unless": {k: list(v) for k, v in rule.unless.items()},
           "check": check, "parameters": params}
    if s.as_json:
        emit_json(doc)
        return
    rows: list[list[Any]] = [
        [word("title", w), doc["title"]], [word("citation", w), rule.citation],
        [word("severity", w), rule.severity], [word("pack", w), pack.key],
        [word("guards", w), "; ".join(f"{g.procedure}: {', '.join(g.triggers)}" for g in rule.guards) or "-"],
    ]
    if rule.when:
        rows.append([word("when", w), plain(doc["when"])])
    if rule.unless:
        rows.append([word("unless", w), plain(doc["unless"])])
    rows.append([word("check", w), plain(check)])
    for name, p in params.items():
        rows.append([f"${name}", plain(p)])
    con = console()
    con.print(panel(rule.id, title=word("rule", w)))
    con.print(table(None, ["", ""], rows))


# -- schema ----------------------------------------------------------------------------------------------
@click.command()
@click.argument("kind", type=click.Choice(["procedure", "fragment", "rules", "scenario"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of procedure files, procedure-fragment files, rule-pack files or scenario files."""
    if kind == "scenario":
        from collegium.scenario import ScenarioSpec

        value = ScenarioSpec.model_json_schema(by_alias=True)
    elif kind == "procedure":
        from collegium.workflows.spec import ProcedureSpec

        value = ProcedureSpec.model_json_schema(by_alias=True)
    elif kind == "fragment":
        from collegium.workflows.fragment import FragmentSpec

        value = FragmentSpec.model_json_schema(by_alias=True)
    else:
        from collegium.rules.model import RulePackSpec

        value = RulePackSpec.model_json_schema(by_alias=True)
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


# -- bodies ----------------------------------------------------------------------------------------------
@click.group()
def body() -> None:
    """Bodies (committees, boards) and their members."""


@body.command("define")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def body_define(file: Path) -> None:
    """Create or replace a body from a YAML file: {id, kind, title?, members: [{person, role, voting?, name?}]}."""
    from pydantic import ValidationError

    from collegium._brief import validation_line
    from collegium._loader import parse_yaml, read_text
    from collegium._render import word
    from collegium.store.bodies import Body

    s = settings()
    data, _node = parse_yaml(read_text(file), str(file))  # bounded as definitions are; errors name the line
    if not isinstance(data, dict):
        raise InvalidInput(f"{file}: the top level must be a mapping with id, kind and members")
    try:
        new = Body.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(f"{file}: {validation_line(exc)}") from None
    with open_engine(create=True) as engine:
        engine.define_body(new)
    if s.as_json:
        emit_json({"ok": True, "body": new.model_dump(mode="json", by_alias=True)})
    else:
        click.echo(word("body_defined", s.lang, id=new.id, count=len(new.members)))


@body.command("show")
@click.argument("body_id", metavar="ID")
def body_show(body_id: str) -> None:
    """Show a body and its members."""
    from collegium._render import console, table, word

    s = settings()
    w = s.lang
    with open_engine() as engine:
        b = engine.body(body_id)
    if s.as_json:
        emit_json(b.model_dump(mode="json", by_alias=True))
        return
    title = f"{b.id} ({b.kind})" + (f" — {b.title.get(w)}" if b.title else "")
    console().print(table(title, [word("person", w), word("role", w), word("voting", w), word("name", w)],
                          ([m.person, m.role, word("yes", w) if m.voting else word("no", w), m.name or ""]
                           for m in b.members)))
