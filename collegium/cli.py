"""The ``collegium`` command line: a thin layer that parses arguments and calls the public API.

Heavy modules (SQLAlchemy, pydantic, transitions, rich, the engine) are imported inside the commands, so
``collegium --help`` stays fast. Exit codes: 0 done, 1 refused (a rule, a transition not allowed, a failed
audit), 2 bad input (a bad option, an invalid definition or argument, something not found). Every error
Collegium raises is reported on stderr as ``collegium: error: …`` and never as a traceback.

This module holds the root group, the error reporting and the commands on instances; the commands on
definitions are in :mod:`collegium._cli_definitions`, the demo in :mod:`collegium._cli_demo`, and what they
share in :mod:`collegium._cli_common`.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from collegium import __version__
from collegium._cli_ballot import history_ballots, print_result, status_ballot, vote
from collegium._cli_checkpoint import checkpoint, keygen, verify_against
from collegium._cli_commitments import commitments
from collegium._cli_common import (
    PROG,
    Settings,
    emit_json,
    open_engine,
    parse_payload,
    settings,
    show_outcome,
    state_label,
    usage_in_one_line,
)
from collegium._cli_count import vote_count, vote_key
from collegium._cli_definitions import body, procedures, rules, schema
from collegium._cli_demo import demo
from collegium._cli_meeting import meeting
from collegium._cli_replay import replay
from collegium._cli_reports import reports
from collegium._cli_simulate import diagram, docs, simulate
from collegium._cli_supervise import cases, supervise, tasks
from collegium.errors import CollegiumError, NotFound, RuleViolation, TransitionNotAllowed

if TYPE_CHECKING:
    from collegium.workflows.spec import ProcedureSpec

__all__ = ["cli", "main"]


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
    s = settings()
    if s.as_json:
        doc: dict[str, Any] = {"ok": False, "error": type(exc).__name__, "message": str(exc),
                               "exit_code": exc.exit_code}
        if isinstance(exc, RuleViolation):
            doc["verdict"] = exc.verdict.to_dict(s.lang)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    for line in _error_lines(exc, s.lang):
        click.echo(line, err=True)


def _hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--json``, ``--lang X``, ``--db X`` (and ``--lang=X``, ``--db=X``) found after the command name to just
    before it, so that, as anywhere else, the later of two occurrences wins."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_command = False
    command_at = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if seen_command and arg == "--json":
            front.append(arg)
        elif seen_command and arg in ("--lang", "--db") and i + 1 < len(args):
            front.extend((arg, args[i + 1]))
            i += 1
        elif seen_command and arg.startswith(("--lang=", "--db=")):
            front.append(arg)
        else:
            if not seen_command and not arg.startswith("-") and not (rest and rest[-1] in _VALUED_GLOBALS):
                seen_command, command_at = True, len(rest)
            rest.append(arg)
        i += 1
    return rest[:command_at] + front + rest[command_at:]


_VALUED_GLOBALS = frozenset({"--lang", "--db", "--now"})


class _Group(click.Group):
    """The root group: turns every :class:`CollegiumError` into its message and exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept ``--json``, ``--lang`` and ``--db`` after the command too (``collegium history X --json``)."""
        return super().parse_args(ctx, _hoist_global_options(args))

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        with usage_in_one_line():  # a bad global option: one line, as every error
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with usage_in_one_line():
                return super().invoke(ctx)
        except CollegiumError as exc:
            _report(exc)
            ctx.exit(exc.exit_code)


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


# The commands on definitions and the demo live in their own modules (click lists commands by name).
cli.add_command(procedures)
cli.add_command(rules)
cli.add_command(schema)
cli.add_command(body)
cli.add_command(demo)
cli.add_command(meeting)
vote.add_command(vote_count)
vote.add_command(vote_key)
cli.add_command(vote)
cli.add_command(supervise)
cli.add_command(simulate)
cli.add_command(replay)
cli.add_command(diagram)
cli.add_command(docs)
cli.add_command(tasks)
cli.add_command(cases)
cli.add_command(commitments)
cli.add_command(reports)


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
    data = parse_payload(data_json, pairs)
    with open_engine() as engine:  # not created here: a start needs a body, which 'body define' creates the db for
        o = engine.start(procedure, actor, data, instance_id=instance_id)
        show_outcome(engine.registry, o)


@cli.command()
@click.argument("instance")
@click.argument("trigger")
@_data_options
@click.option("--key", "idempotency_key", default=None, help="Idempotency key: a repeat with it changes nothing.")
def fire(instance: str, trigger: str, actor: str, data_json: str | None, pairs: tuple[str, ...],
         idempotency_key: str | None) -> None:
    """Fire TRIGGER on INSTANCE."""
    data = parse_payload(data_json, pairs)
    with open_engine() as engine:
        o = engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key)
        show_outcome(engine.registry, o)


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

    s = settings()
    data = parse_payload(data_json, pairs)
    with open_engine() as engine:
        verdict = engine.check(instance, trigger, actor, data)
    if s.as_json:
        emit_json({"instance": instance, **verdict.to_dict(s.lang)})
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
@click.option("--diagram", is_flag=True, help="Print the procedure as a Mermaid diagram, the current state marked.")
def status(instance: str, actor: str | None, diagram: bool) -> None:
    """Show where INSTANCE stands: its state, its facts and (with --as) what can be done next."""
    from collegium._render import console, facts_table, panel, table, word

    s = settings()
    w = s.lang
    with open_engine() as engine:
        inst = engine.get(instance)
        if diagram:
            from collegium.diagram import mermaid

            proc = engine.registry.compiled(inst.procedure, inst.procedure_version, inst.pack_version)
            click.echo(mermaid(proc, "zh-CN" if w.startswith("zh") else "en", inst.state), nl=False)
            return
        avail = engine.available(instance, actor) if actor else None
        reg = engine.registry
        ballot = status_ballot(engine, inst, w)
    label = state_label(reg, inst, w)
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
        if ballot is not None:
            doc["ballot"] = ballot
        emit_json(doc)
        return
    con = console()
    head = (f"{word('procedure', w)}: {inst.procedure}@{inst.procedure_version} ({inst.pack}@{inst.pack_version})\n"
            f"{word('state', w)}: {label} ({inst.state})\n"
            f"{word('events', w)}: {inst.event_count}   {word('updated', w)}: {inst.updated_at}")
    if inst.parent_id:
        head += f"\n{word('parent', w)}: {inst.parent_id}"
    con.print(panel(head, title=inst.id))
    con.print(facts_table(inst.facts, w, labels))
    if ballot is not None:
        print_result(con, ballot, w)
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

    s = settings()
    w = s.lang
    with open_engine() as engine:
        events = engine.history(instance)
        inst = engine.get(instance)
        reg = engine.registry
    ballots = history_ballots(reg, inst, events, w)
    if s.as_json:
        emit_json([{**asdict(e), "ballot": ballots[e.seq]} if e.seq in ballots else asdict(e) for e in events])
        return
    con = console()
    con.print(table(f"{word('instance', w)} {instance}",
                    [word("seq", w), word("at", w), word("actor", w), word("trigger", w), word("from", w),
                     word("to", w), word("data", w)],
                    ([e.seq, e.at, e.actor, e.trigger, e.source or "",
                      f"{state_label(reg, inst, w, e.dest)} ({e.dest})", plain(e.data) if e.data else ""]
                     for e in events)))
    for doc in ballots.values():
        print_result(con, doc, w)


@cli.command("instances")
@click.option("--procedure", default=None, help="Only instances of this procedure.")
@click.option("--state", default=None, help="Only instances in this state.")
def instances_cmd(procedure: str | None, state: str | None) -> None:
    """List instances."""
    from collegium._render import console, table, word

    s = settings()
    w = s.lang
    with open_engine() as engine:
        found = engine.instances(procedure, state)
        reg = engine.registry
    if s.as_json:
        emit_json([{"id": i.id, "procedure": i.procedure, "state": i.state,
                     "state_label": state_label(reg, i, w), "updated_at": i.updated_at,
                     "parent": i.parent_id} for i in found])
        return
    console().print(table(None, [word("id", w), word("procedure", w), word("state", w), word("updated", w)],
                          ([i.id, i.procedure, f"{state_label(reg, i, w)} ({i.state})", i.updated_at]
                           for i in found)))


# -- audit and database ---------------------------------------------------------------------------------
@cli.group()
def audit() -> None:
    """The tamper-evident log."""


@audit.command("verify")
@click.option("--against", metavar="FILE", default=None,
              help="Also check a signed checkpoint: every chain it lists must still hold its head.")
@click.option("--public-key", metavar="FILE.pub", default=None,
              help="The public key the checkpoint must be signed by (with --against).")
@click.pass_context
def audit_verify(ctx: click.Context, against: str | None, public_key: str | None) -> None:
    """Recompute every hash chain; exit 1 and name the first bad event if the log was altered."""
    from collegium._render import word

    if (against is None) != (public_key is None):
        raise click.UsageError("--against and --public-key go together")
    if against is not None and public_key is not None:
        verify_against(ctx, against, public_key)
        return
    s = settings()
    with open_engine() as engine:
        report = engine.verify_audit()
    if s.as_json:
        emit_json(report.to_dict())
    elif report.ok:
        click.echo(word("audit_ok", s.lang, instances=report.instances, events=report.events))
    else:
        click.echo(word("audit_bad", s.lang, problem=str(report.problem)))
    if not report.ok:
        if s.as_json:
            click.echo(f"{PROG}: error: audit failed: {report.problem}", err=True)
        ctx.exit(1)


audit.add_command(keygen)
audit.add_command(checkpoint)


@cli.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or bring its schema to the current revision."""
    from collegium._render import word
    from collegium.store.schema import HEAD_REVISION
    from collegium.store.sqlstore import SqlStore

    s = settings()
    SqlStore(s.db).close()
    if s.as_json:
        emit_json({"ok": True, "db": s.db, "revision": HEAD_REVISION})
    else:
        click.echo(word("db_ok", s.lang, db=s.db, rev=HEAD_REVISION))


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point (``collegium``)."""
    cli.main(args=argv, prog_name=PROG)
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode


if __name__ == "__main__":  # pragma: no cover
    main()
