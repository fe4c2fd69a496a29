"""The ``collegium`` command line: a thin layer that parses arguments and calls the public API.

Heavy modules (SQLAlchemy, pydantic, transitions, rich, the engine) are imported inside the commands, so
``collegium --help`` stays fast. Exit codes: 0 done, 1 refused (a rule, a transition not allowed, a failed
audit), 2 bad input (a bad option, an invalid definition or argument, something not found). Every error
Collegium raises is reported on stderr as ``collegium: error: …`` and never as a traceback.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from collegium import __version__
from collegium.errors import CollegiumError, InvalidInput, NotFound, RuleViolation, TransitionNotAllowed

if TYPE_CHECKING:
    from collegium.engine.clock import Clock, IdFactory
    from collegium.engine.engine import Engine, Instance, Outcome
    from collegium.engine.registry import Registry
    from collegium.rules.model import RulePackSpec
    from collegium.workflows.spec import ProcedureSpec

__all__ = ["cli", "main"]

PROG = "collegium"


@dataclass(frozen=True, slots=True)
class Settings:
    """The group's global options, shared with every command through ``ctx.obj``."""

    lang: str = "en"
    as_json: bool = False
    db: str = "./collegium.db"
    now: str | None = None


def _settings() -> Settings:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, Settings):
            return ctx.obj
        ctx = ctx.parent
    return Settings()


# -- errors ------------------------------------------------------------------------------------------
def _error_lines(exc: CollegiumError, lang: str) -> list[str]:
    from collegium._render import failure_lines, word

    if isinstance(exc, RuleViolation):
        failures = exc.verdict.failures
        return [f"{PROG}: error: {exc.verdict.trigger}: {word('refused_by', lang, count=len(failures))}",
                *failure_lines(failures, lang)]
    if isinstance(exc, TransitionNotAllowed) and lang != "en":
        from collegium._i18n import message

        text = message("transition.not_allowed", lang, trigger=exc.trigger, state=exc.state,
                       allowed=", ".join(exc.allowed) or word("none", lang))
        return [f"{PROG}: error: {text}"]
    text = " ".join(str(exc).split()) or type(exc).__name__
    return [f"{PROG}: error: {text}"]


def _report(exc: CollegiumError) -> None:
    s = _settings()
    if s.as_json:
        doc: dict[str, Any] = {"ok": False, "error": type(exc).__name__, "message": str(exc),
                               "exit_code": exc.exit_code}
        if isinstance(exc, RuleViolation):
            doc["verdict"] = exc.verdict.to_dict(s.lang)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    for line in _error_lines(exc, s.lang):
        click.echo(line, err=True)


def _hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--json``, ``--lang X`` and ``--lang=X`` found after the command name to the front."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_command = False
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if seen_command and arg == "--json":
            front.append(arg)
        elif seen_command and arg == "--lang" and i + 1 < len(args):
            front.extend((arg, args[i + 1]))
            i += 1
        elif seen_command and arg.startswith("--lang="):
            front.append(arg)
        else:
            if not arg.startswith("-") and not (rest and rest[-1] in _VALUED_GLOBALS):
                seen_command = True
            rest.append(arg)
        i += 1
    return front + rest


_VALUED_GLOBALS = frozenset({"--lang", "--db", "--now"})


class _Group(click.Group):
    """The root group: turns every :class:`CollegiumError` into its message and exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept ``--json`` and ``--lang`` after the command too (``collegium history X --json``)."""
        return super().parse_args(ctx, _hoist_global_options(args))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CollegiumError as exc:
            _report(exc)
            ctx.exit(exc.exit_code)


# -- shared helpers ----------------------------------------------------------------------------------
def _emit_json(value: Any) -> None:
    from collegium._render import dump_json

    click.echo(dump_json(value))


def _clock() -> Clock:
    from collegium.engine.clock import FixedClock, SystemClock, parse_time

    s = _settings()
    if s.now:
        return FixedClock(parse_time(s.now, "--now"))
    return SystemClock()


def _engine(*, create: bool = False, ids: IdFactory | None = None, clock: Clock | None = None) -> Engine:
    from collegium.engine.clock import RandomIds
    from collegium.engine.engine import Engine

    db = _settings().db
    if not create and "://" not in db and not Path(db).exists():
        raise NotFound(f"no database at {db!r}; give --db, or create one with '{PROG} db upgrade'")
    return Engine.open(db, clock=clock or _clock(), ids=ids or RandomIds())


def _registry() -> Registry:
    from collegium.engine.registry import Registry

    return Registry.builtin()


def _payload(data_json: str | None, pairs: tuple[str, ...]) -> dict[str, Any]:
    """``--data JSON`` then each ``-d key=value`` (the value parsed as JSON when it is JSON, else text)."""
    data: dict[str, Any] = {}
    if data_json is not None:
        try:
            value = json.loads(data_json)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"--data is not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(value, dict):
            raise InvalidInput("--data must be a JSON object, e.g. '{\"member\": \"m1\"}'")
        data.update(value)
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"-d expects key=value, got {pair!r}")
        try:
            data[key] = json.loads(raw)
        except ValueError:
            data[key] = raw
    return data


def _state_label(registry: Registry, inst: Instance, lang: str, state: str | None = None) -> str:
    state = state or inst.state
    try:
        spec = registry.procedure(inst.procedure, inst.procedure_version)
    except NotFound:
        return state
    st = spec.states.get(state)
    return st.label.get(lang) if st is not None else state


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


def _outcome_doc(registry: Registry, o: Outcome, lang: str) -> dict[str, Any]:
    return {"ok": True, "instance": o.instance.id, "procedure": o.instance.procedure,
            "trigger": o.event.trigger, "actor": o.event.actor, "at": o.event.at, "source": o.event.source,
            "state": o.instance.state, "state_label": _state_label(registry, o.instance, lang),
            "version": o.instance.version, "event": o.event.seq, "replayed": o.replayed,
            "started": list(o.started), "verdict": o.verdict.to_dict(lang)}


def _show_outcome(registry: Registry, o: Outcome) -> None:
    from rich.text import Text as RichText

    from collegium._render import console, failure_lines, word

    s = _settings()
    if s.as_json:
        _emit_json(_outcome_doc(registry, o, s.lang))
        return
    con = console()
    label = _state_label(registry, o.instance, s.lang)
    con.print(RichText(word("moved", s.lang, instance=o.instance.id, trigger=o.event.trigger,
                            state=f"{label} ({o.instance.state})")))
    if o.replayed:
        con.print(RichText(word("replayed", s.lang), style="yellow"))
    warnings = o.verdict.warnings
    if warnings:
        con.print(RichText(word("warning", s.lang) + ":", style="yellow"))
        for line in failure_lines(warnings, s.lang):
            con.print(RichText(line, style="yellow"))
    if o.started:
        con.print(RichText(word("started", s.lang, instances=", ".join(o.started))))


# -- the group -----------------------------------------------------------------------------------------
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--lang", type=click.Choice(["en", "zh-CN", "zh"]), default="en", show_default=True,
              help="Language of labels and messages.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@click.option("--db", default="./collegium.db", show_default=True, envvar="COLLEGIUM_DB", metavar="PATH_OR_URL",
              help="SQLite file path or SQLAlchemy URL (env COLLEGIUM_DB).")
@click.option("--now", metavar="ISO_DATETIME", default=None,
              help="Act at this time (with a time zone, e.g. 2026-03-10T09:00+08:00) instead of the wall clock.")
@click.version_option(__version__, prog_name=PROG)
@click.pass_context
def cli(ctx: click.Context, lang: str, as_json: bool, db: str, now: str | None) -> None:
    """Collegium: a workflow and rules engine for collective decision procedures.

    Procedures and rule packs are YAML; every step is checked against every rule that binds it, and
    kept in a tamper-evident log. Try `collegium demo`.
    """
    ctx.obj = Settings(lang="zh-CN" if lang == "zh" else lang, as_json=as_json, db=db, now=now)


# -- procedures ------------------------------------------------------------------------------------------
@cli.group()
def procedures() -> None:
    """Built-in procedures, and checking procedure or rule-pack files."""


@procedures.command("list")
def procedures_list() -> None:
    """List the procedures Collegium knows."""
    from collegium._render import console, table, word

    s = _settings()
    specs = _registry().procedures()
    if s.as_json:
        _emit_json([{"id": p.id, "version": p.version, "title": p.title.get(s.lang), "rule_pack": p.rule_pack,
                     "states": len(p.states), "transitions": len(p.transitions)} for p in specs])
        return
    w = s.lang
    console().print(table(None, [word("id", w), word("version", w), word("title", w), word("pack", w),
                                 word("states", w), word("transitions", w)],
                          ([p.id, p.version, p.title.get(w), p.rule_pack, len(p.states), len(p.transitions)]
                           for p in specs)))


@procedures.command("show")
@click.argument("procedure_id", metavar="ID")
def procedures_show(procedure_id: str) -> None:
    """Show a procedure: its states, and its transitions with roles and rules."""
    from collegium._render import console, panel, table, word

    s = _settings()
    w = s.lang
    reg = _registry()
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
        _emit_json({"id": spec.id, "version": spec.version, "title": spec.title.get(w),
                    "description": spec.description.get(w) if spec.description else None,
                    "rule_pack": spec.rule_pack, "initial": spec.initial,
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
    reg = _registry()
    packs = [(p.id, reg.definitions[f"pack:{p.key}"].text) for p in reg.packs()]
    procs = [(p.id, p.rule_pack, reg.definitions[f"procedure:{p.key}"].text) for p in reg.procedures()]
    return packs, procs


@procedures.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def procedures_check(file: Path) -> None:
    """Check a procedure or rule-pack YAML file (a rule pack has a top-level `rules` key).

    The file is checked together with the built-in definitions: a procedure against its rule pack, a
    rule pack against the built-in procedures it judges. Prints "ok", or the first problem (exit 2).
    """
    import yaml

    from collegium._render import word
    from collegium.engine.registry import Registry

    s = _settings()
    is_pack = False
    doc_id: object = None
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        doc = None  # the loader below reports it with file and line
    if isinstance(doc, dict):
        is_pack = "rules" in doc
        doc_id = doc.get("id")
    packs, procs = _builtin_texts()
    reg = Registry()
    what: str
    if is_pack:
        for pid, text in packs:
            if pid != doc_id:
                reg.add_pack_text(text, f"built-in pack {pid}")
        spec = reg.load_pack(file)
        for pid, pack_id, text in procs:
            reg.add_procedure_text(text, f"built-in procedure {pid}")
            if pack_id == spec.id:
                reg.compiled(pid)
        what = f"rule pack {spec.key}, {len(spec.rules)} rules"
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
        _emit_json({"ok": True, "file": str(file), "kind": "rule_pack" if is_pack else "procedure",
                    "summary": what})
    else:
        click.echo(word("ok", s.lang, what=what))


# -- rules ---------------------------------------------------------------------------------------------
@cli.group()
def rules() -> None:
    """The rules of the built-in rule packs."""


@rules.command("list")
@click.option("--pack", "pack_id", default=None, help="Only the rules of this pack.")
def rules_list(pack_id: str | None) -> None:
    """List rules: id, severity, title and citation."""
    from collegium._render import console, table, word

    s = _settings()
    w = s.lang
    reg = _registry()
    packs = [reg.pack(pack_id)] if pack_id else reg.packs()
    items = [(p, r) for p in packs for r in p.rules]
    if s.as_json:
        _emit_json([{"id": r.id, "pack": p.key, "severity": r.severity, "title": r.title.get(w),
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

    s = _settings()
    w = s.lang
    pack, rule = _registry().rule(rule_id)
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
        _emit_json(doc)
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
@cli.command()
@click.argument("kind", type=click.Choice(["procedure", "rules"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of procedure files or of rule-pack files."""
    if kind == "procedure":
        from collegium.workflows.spec import ProcedureSpec

        value = ProcedureSpec.model_json_schema(by_alias=True)
    else:
        from collegium.rules.model import RulePackSpec

        value = RulePackSpec.model_json_schema(by_alias=True)
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


# -- bodies ----------------------------------------------------------------------------------------------
@cli.group()
def body() -> None:
    """Bodies (committees, boards) and their members."""


@body.command("define")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def body_define(file: Path) -> None:
    """Create or replace a body from a YAML file: {id, kind, title?, members: [{person, role, voting?, name?}]}."""
    import yaml
    from pydantic import ValidationError

    from collegium._render import word
    from collegium.engine.governance import Body

    s = _settings()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InvalidInput(f"{file}{where}: YAML syntax error: {problem}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{file}: the top level must be a mapping with id, kind and members")
    try:
        new = Body.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidInput(f"{file}: {loc}: {first['msg']}{more}") from None
    with _engine(create=True) as engine:
        engine.define_body(new)
    if s.as_json:
        _emit_json({"ok": True, "body": new.model_dump(mode="json", by_alias=True)})
    else:
        click.echo(word("body_defined", s.lang, id=new.id, count=len(new.members)))


@body.command("show")
@click.argument("body_id", metavar="ID")
def body_show(body_id: str) -> None:
    """Show a body and its members."""
    from collegium._render import console, table, word

    s = _settings()
    w = s.lang
    with _engine() as engine:
        b = engine.body(body_id)
    if s.as_json:
        _emit_json(b.model_dump(mode="json", by_alias=True))
        return
    title = f"{b.id} ({b.kind})" + (f" — {b.title.get(w)}" if b.title else "")
    console().print(table(title, [word("person", w), word("role", w), word("voting", w), word("name", w)],
                          ([m.person, m.role, word("yes", w) if m.voting else word("no", w), m.name or ""]
                           for m in b.members)))


# -- commands on instances -------------------------------------------------------------------------------
def _data_options(f: Any) -> Any:
    f = click.option("-d", "pairs", multiple=True, metavar="KEY=VALUE",
                     help="One data item; VALUE is parsed as JSON when it is JSON, else kept as text.")(f)
    f = click.option("--data", "data_json", default=None, metavar="JSON", help="Data as a JSON object.")(f)
    return click.option("--as", "actor", required=True, metavar="ACTOR", help="Who acts (a person id).")(f)


@cli.command()
@click.argument("procedure")
@_data_options
@click.option("--id", "instance_id", default=None, help="Id of the new instance (default: a random id).")
def start(procedure: str, actor: str, data_json: str | None, pairs: tuple[str, ...],
          instance_id: str | None) -> None:
    """Start an instance of PROCEDURE."""
    data = _payload(data_json, pairs)
    with _engine(create=True) as engine:
        o = engine.start(procedure, actor, data, instance_id=instance_id)
        _show_outcome(engine.registry, o)


@cli.command()
@click.argument("instance")
@click.argument("trigger")
@_data_options
@click.option("--key", "idempotency_key", default=None, help="Idempotency key: a repeat with it changes nothing.")
def fire(instance: str, trigger: str, actor: str, data_json: str | None, pairs: tuple[str, ...],
         idempotency_key: str | None) -> None:
    """Fire TRIGGER on INSTANCE."""
    data = _payload(data_json, pairs)
    with _engine() as engine:
        o = engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key)
        _show_outcome(engine.registry, o)


@cli.command()
@click.argument("instance")
@click.argument("trigger")
@_data_options
@click.pass_context
def check(ctx: click.Context, instance: str, trigger: str, actor: str, data_json: str | None,
          pairs: tuple[str, ...]) -> None:
    """Dry run: would TRIGGER on INSTANCE be allowed? Prints the verdict; exit 1 if it would be refused."""
    from rich.text import Text as RichText

    from collegium._render import console, verdict_table, word

    s = _settings()
    data = _payload(data_json, pairs)
    with _engine() as engine:
        verdict = engine.check(instance, trigger, actor, data)
    if s.as_json:
        _emit_json({"instance": instance, **verdict.to_dict(s.lang)})
    else:
        con = console()
        con.print(verdict_table(verdict, s.lang))
        key = "would_pass" if verdict.passed else "would_fail"
        con.print(RichText(word(key, s.lang, trigger=trigger), style="green" if verdict.passed else "bold red"))
    if not verdict.passed:
        ctx.exit(1)


@cli.command()
@click.argument("instance")
@click.option("--as", "actor", default=None, metavar="ACTOR", help="Also list the triggers ACTOR could fire now.")
def status(instance: str, actor: str | None) -> None:
    """Show where INSTANCE stands: its state, its facts and (with --as) what can be done next."""
    from collegium._render import console, facts_table, panel, table, word

    s = _settings()
    w = s.lang
    with _engine() as engine:
        inst = engine.get(instance)
        avail = engine.available(instance, actor) if actor else None
        reg = engine.registry
    label = _state_label(reg, inst, w)
    try:
        spec: ProcedureSpec | None = reg.procedure(inst.procedure, inst.procedure_version)
    except NotFound:
        spec = None
    labels = {k: f.label.get(w) for k, f in spec.facts.items() if f.label} if spec else {}
    if s.as_json:
        doc: dict[str, Any] = {
            "id": inst.id, "procedure": inst.procedure, "procedure_version": inst.procedure_version,
            "pack": f"{inst.pack}@{inst.pack_version}", "state": inst.state, "state_label": label,
            "version": inst.version, "parent": inst.parent_id, "created_at": inst.created_at,
            "updated_at": inst.updated_at, "events": inst.event_count, "facts": dict(inst.facts)}
        if avail is not None:
            doc["available"] = [{"trigger": a.trigger, "allowed": a.allowed,
                                 "failures": [r.to_dict(w) for r in a.verdict.failures]} for a in avail]
        _emit_json(doc)
        return
    con = console()
    head = (f"{word('procedure', w)}: {inst.procedure}@{inst.procedure_version} ({inst.pack}@{inst.pack_version})\n"
            f"{word('state', w)}: {label} ({inst.state})\n"
            f"{word('events', w)}: {inst.event_count}   {word('updated', w)}: {inst.updated_at}")
    if inst.parent_id:
        head += f"\n{word('parent', w)}: {inst.parent_id}"
    con.print(panel(head, title=inst.id))
    con.print(facts_table(inst.facts, w, labels))
    if avail is not None and not avail:
        con.print(f"{word('available', w, actor=actor)}: {word('none', w)}", markup=False)
    elif avail is not None:
        con.print(table(word("available", w, actor=actor), [word("trigger", w), word("result", w),
                                                           word("message", w)],
                        ([a.trigger, word("allowed", w) if a.allowed else word("refused", w),
                          "; ".join(f"{r.rule_id}: {r.message(w)}" for r in a.verdict.failures)]
                         for a in avail)))


@cli.command()
@click.argument("instance")
def history(instance: str) -> None:
    """List every event of INSTANCE, oldest first."""
    from dataclasses import asdict

    from collegium._render import console, plain, table, word

    s = _settings()
    w = s.lang
    with _engine() as engine:
        events = engine.history(instance)
        inst = engine.get(instance)
        reg = engine.registry
    if s.as_json:
        _emit_json([asdict(e) for e in events])
        return
    console().print(table(f"{word('instance', w)} {instance}",
                          [word("seq", w), word("at", w), word("actor", w), word("trigger", w), word("from", w),
                           word("to", w), word("data", w)],
                          ([e.seq, e.at, e.actor, e.trigger, e.source or "",
                            f"{_state_label(reg, inst, w, e.dest)} ({e.dest})", plain(e.data) if e.data else ""]
                           for e in events)))


@cli.command("instances")
@click.option("--procedure", default=None, help="Only instances of this procedure.")
@click.option("--state", default=None, help="Only instances in this state.")
def instances_cmd(procedure: str | None, state: str | None) -> None:
    """List instances."""
    from collegium._render import console, table, word

    s = _settings()
    w = s.lang
    with _engine() as engine:
        found = engine.instances(procedure, state)
        reg = engine.registry
    if s.as_json:
        _emit_json([{"id": i.id, "procedure": i.procedure, "state": i.state,
                     "state_label": _state_label(reg, i, w), "updated_at": i.updated_at,
                     "parent": i.parent_id} for i in found])
        return
    console().print(table(None, [word("id", w), word("procedure", w), word("state", w), word("updated", w)],
                          ([i.id, i.procedure, f"{_state_label(reg, i, w)} ({i.state})", i.updated_at]
                           for i in found)))


# -- audit and database ---------------------------------------------------------------------------------
@cli.group()
def audit() -> None:
    """The tamper-evident log."""


@audit.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Recompute every hash chain; exit 1 and name the first bad event if the log was altered."""
    from collegium._render import word

    s = _settings()
    with _engine() as engine:
        report = engine.verify_audit()
    if s.as_json:
        _emit_json(report.to_dict())
    elif report.ok:
        click.echo(word("audit_ok", s.lang, instances=report.instances, events=report.events))
    else:
        click.echo(word("audit_bad", s.lang, problem=str(report.problem)))
    if not report.ok:
        if s.as_json:
            click.echo(f"{PROG}: error: audit failed: {report.problem}", err=True)
        ctx.exit(1)


@cli.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or bring its schema to the current revision."""
    from collegium._render import word
    from collegium.engine.schema import HEAD_REVISION
    from collegium.engine.sqlstore import SqlStore

    s = _settings()
    SqlStore(s.db).close()
    if s.as_json:
        _emit_json({"ok": True, "db": s.db, "revision": HEAD_REVISION})
    else:
        click.echo(word("db_ok", s.lang, db=s.db, rev=HEAD_REVISION))


# -- demo ------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--db", "demo_db", default=None, help="Database for the demo (default: the global --db).")
@click.option("--lang", "demo_lang", type=click.Choice(["en", "zh-CN", "zh"]), default=None,
              help="Language (default: the global --lang).")
@click.pass_context
def demo(ctx: click.Context, demo_db: str | None, demo_lang: str | None) -> None:
    """Run a whole major decision of a standing committee, with refusals, a ballot and an audit."""
    s = _settings()
    if demo_db or demo_lang:
        lang = s.lang if demo_lang is None else ("zh-CN" if demo_lang == "zh" else demo_lang)
        ctx.obj = s = Settings(lang=lang, as_json=s.as_json, db=demo_db or s.db, now=s.now)
    _run_demo(s)


def _run_demo(s: Settings) -> None:
    import datetime as dt

    from rich.text import Text as RichText

    from collegium._i18n import Text
    from collegium._render import console, word
    from collegium.engine.clock import ManualClock, SequentialIds
    from collegium.engine.governance import Body, Member

    w = s.lang
    tz = dt.timezone(dt.timedelta(hours=8))
    clock = ManualClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=tz))
    con = console()
    doc: dict[str, Any] = {"db": s.db, "steps": [], "refusals": []}
    say = (lambda *_a, **_k: None) if s.as_json else con.print

    with _engine(create=True, clock=clock, ids=SequentialIds()) as engine:
        existing = {i.id for i in engine.instances()}
        n = len(existing) + 1
        while f"major_decision-{n}" in existing or f"major_decision-{n + 1}" in existing:
            n += 1
        engine.ids = SequentialIds(n)
        reg = engine.registry
        spec = reg.procedure("major_decision")
        members = (Member(person="sec", role="secretary"), Member(person="dep", role="deputy_secretary"),
                   *(Member(person=f"m{i}", role="standing_member") for i in range(1, 10)))
        engine.define_body(Body(id="sc", kind="standing", title=Text(en="Standing committee", zh="常委会"),
                                members=members))
        say(RichText(word("demo_title", w, db=s.db), style="bold"))
        say(RichText(word("demo_body", w, id="sc", count=len(members))))

        def label(state: str) -> str:
            return f"{spec.states[state].label.get(w)} ({state})"

        def show(o: Outcome, actor: str) -> Outcome:
            at = clock.now().astimezone(tz).strftime("%Y-%m-%d %H:%M")
            doc["steps"].append({"at": clock.now().astimezone(tz).isoformat(), "instance": o.instance.id,
                                 "actor": actor, "trigger": o.event.trigger, "state": o.instance.state,
                                 "state_label": spec.states[o.instance.state].label.get(w)})
            note = ", ".join(f"{k}={v}" for k, v in o.event.data.items()
                             if isinstance(v, str | int) and k not in ("title", "preparation", "finding"))
            line = f"{at}  {actor:<4} {o.event.trigger:<19} → {label(o.instance.state)}"
            say(RichText(f"{line:<70} {note}".rstrip() if note else line))
            return o

        def refuse(iid: str, trigger: str, actor: str, data: dict[str, Any] | None = None) -> None:
            try:
                engine.fire(iid, trigger, actor, data)
            except RuleViolation as exc:
                at = clock.now().astimezone(tz).strftime("%Y-%m-%d %H:%M")
                say(RichText(f"{at}  {actor:<4} {trigger:<19} ✗ {word('demo_refusal', w)}", style="bold red"))
                for r in exc.verdict.failures:
                    doc["refusals"].append({"instance": iid, "trigger": trigger, "actor": actor, **r.to_dict(w)})
                    say(RichText(f"{'':18}{r.rule_id} — {r.title.get(w)}", style="red"))
                    say(RichText(f"{'':20}{r.message(w)}"))
                    say(RichText(f"{'':20}{word('citation', w)}: {r.citation}", style="dim"))
            else:  # pragma: no cover - the demo's refusals are part of the procedure
                raise InvalidInput(f"demo: {trigger} by {actor} was expected to be refused")

        title = "县道养护预算" if w == "zh-CN" else "County road maintenance budget"
        o = show(engine.start("major_decision", "sec", {
            "title": title, "category": "major", "proposer": "sec", "lead_member": "m1", "body": "sc",
            "confidentiality": "public"}), "sec")
        iid = o.instance.id
        clock.advance(dt.timedelta(days=1))
        show(engine.fire(iid, "prepare", "m1"), "m1")
        clock.advance(dt.timedelta(days=1))
        show(engine.fire(iid, "start_deliberation", "m1", {"preparation": "field research; expert opinions"}), "m1")
        for m in members[:-1]:
            clock.advance(dt.timedelta(hours=1))
            show(engine.fire(iid, "consult", "sec", {"member": m.person, "view": "agree"}), "sec")
        meeting = dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz)
        refuse(iid, "schedule", "sec", {"meeting_at": meeting.isoformat()})
        clock.advance(dt.timedelta(hours=1))
        show(engine.fire(iid, "consult", "sec", {"member": members[-1].person, "view": "reserve"}), "sec")
        clock.set(dt.datetime(2026, 3, 5, 9, 0, tzinfo=tz))
        show(engine.fire(iid, "schedule", "sec", {"meeting_at": meeting.isoformat()}), "sec")
        clock.set(meeting)
        attendance = {m.person: "present" for m in members}
        attendance.update({"m8": "absent", "m9": "recused"})
        show(engine.fire(iid, "open_meeting", "sec", {"attendance": attendance}), "sec")
        choices = {"sec": "agree", "dep": "agree", "m1": "agree", "m2": "agree", "m3": "agree", "m4": "agree",
                   "m5": "oppose", "m6": "abstain", "m7": "agree"}
        for person, choice in choices.items():
            clock.advance(dt.timedelta(minutes=1))
            show(engine.fire(iid, "vote", person, {"choice": choice}), person)
        refuse(iid, "vote", "m9", {"choice": "agree"})
        clock.advance(dt.timedelta(minutes=5))
        o = show(engine.fire(iid, "close_ballot", "sec"), "sec")
        result = dict(o.instance.facts["ballot"]["result"])
        doc["ballot"] = {**result, "state": o.instance.state}
        say(RichText(word("demo_ballot", w, agree=result.get("agree"), oppose=result.get("oppose"),
                          abstain=result.get("abstain"), n=result.get("n"), present=result.get("present"),
                          outcome=label(o.instance.state)), style="bold green" if result.get("passed") else "bold"))
        clock.advance(dt.timedelta(days=1))
        show(engine.fire(iid, "publish", "sec", {"audience": "public"}), "sec")
        clock.advance(dt.timedelta(days=1))
        show(engine.fire(iid, "hand_over", "sec"), "sec")
        clock.advance(dt.timedelta(days=90))
        show(engine.fire(iid, "evaluate", "dep", {"evaluation": "failed",
                                                  "finding": "costs overran; maintenance fell behind"}), "dep")
        refuse(iid, "close", "sec")
        clock.advance(dt.timedelta(days=1))
        o = show(engine.fire(iid, "correct", "sec"), "sec")
        child = engine.get(o.started[0])
        doc["correction"] = {"instance": child.id, "state": child.state, "corrects": child.facts.get("corrects")}
        say(RichText(word("demo_child", w, child=child.id, state=label(child.state))))
        report = engine.verify_audit()
        doc["audit"] = report.to_dict()
        if report.ok:
            say(RichText(word("audit_ok", w, instances=report.instances, events=report.events), style="bold green"))
        else:
            say(RichText(word("audit_bad", w, problem=str(report.problem)), style="bold red"))
        doc["instance"] = iid
    if s.as_json:
        _emit_json(doc)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point (``collegium``)."""
    cli.main(args=argv, prog_name=PROG)
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode


if __name__ == "__main__":  # pragma: no cover
    main()
