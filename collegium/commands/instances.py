"""The commands on instances: ``start``, ``fire``, ``check``, ``status``, ``history`` and
``instances``. Each opens the engine on ``--db`` and calls one of its methods; heavy modules are
imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from collegium.commands.ballots import history_ballots, print_result, status_ballot
from collegium.commands.common import (
    emit_json,
    open_engine,
    parse_payload,
    settings,
    show_outcome,
    state_label,
)
from collegium.errors import NotFound

if TYPE_CHECKING:
    from rich.console import RenderableType

    from collegium import Availability, ProcedureSpec
    from collegium.commands.render import Times

__all__ = ["check", "fire", "history", "instances_cmd", "start", "status"]


def _data_options(f: Any) -> Any:
    f = click.option(
        "-d",
        "pairs",
        multiple=True,
        metavar="KEY=VALUE",
        help="One data item; VALUE is parsed as JSON when it is JSON, else kept as text.",
    )(f)
    f = click.option(
        "--data", "data_json", default=None, metavar="JSON", help="Data as a JSON object."
    )(f)
    return click.option(
        "--as", "actor", required=True, metavar="ACTOR", help="Who acts (a person id)."
    )(f)


@click.command()
@click.argument("procedure")
@_data_options
@click.option(
    "--id", "instance_id", default=None, help="Id of the new instance (default: a random id)."
)
def start(
    procedure: str,
    actor: str,
    data_json: str | None,
    pairs: tuple[str, ...],
    instance_id: str | None,
) -> None:
    """Start an instance of PROCEDURE."""
    data = parse_payload(data_json, pairs)
    with open_engine(
        writes=True
    ) as engine:  # not created here: a start needs a body, which 'body define' creates the db for
        o = engine.start(procedure, actor, data, instance_id=instance_id)
        show_outcome(engine.registry, o)


@click.command()
@click.argument("instance")
@click.argument("trigger")
@_data_options
@click.option(
    "--key",
    "idempotency_key",
    default=None,
    help="Idempotency key: a repeat with it changes nothing.",
)
def fire(
    instance: str,
    trigger: str,
    actor: str,
    data_json: str | None,
    pairs: tuple[str, ...],
    idempotency_key: str | None,
) -> None:
    """Fire TRIGGER on INSTANCE."""
    data = parse_payload(data_json, pairs)
    with open_engine(writes=True) as engine:
        o = engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key)
        show_outcome(engine.registry, o)


@click.command()
@click.argument("instance")
@click.argument("trigger")
@_data_options
@click.pass_context
def check(
    ctx: click.Context,
    instance: str,
    trigger: str,
    actor: str,
    data_json: str | None,
    pairs: tuple[str, ...],
) -> None:
    """Dry run: would TRIGGER on INSTANCE be allowed? Prints the verdict; exit 1 if it would be
    refused."""
    from rich.text import Text as RichText

    from collegium._words import word
    from collegium.commands.render import console, verdict_table

    s = settings()
    data = parse_payload(data_json, pairs)
    with open_engine(writes=False) as engine:
        verdict = engine.check(instance, trigger, actor, data)
    if s.as_json:
        emit_json({"instance": instance, **verdict.to_dict(s.lang)})
    else:
        con = console()
        con.print(verdict_table(verdict, s.lang))
        key = "would_pass" if verdict.passed else "would_fail"
        con.print(
            RichText(
                word(key, s.lang, trigger=trigger), style="green" if verdict.passed else "bold red"
            )
        )
    if not verdict.passed:
        ctx.exit(1)


@click.command()
@click.argument("instance")
@click.option(
    "--as",
    "actor",
    default=None,
    metavar="ACTOR",
    help="Also list the triggers ACTOR could fire now.",
)
@click.option(
    "--diagram",
    is_flag=True,
    help="Print the procedure as a Mermaid diagram, the current state marked.",
)
def status(instance: str, actor: str | None, diagram: bool) -> None:
    """Show where INSTANCE stands: its state, its facts and (with --as) what can be done next."""
    from collegium._words import word
    from collegium.commands.render import console, named, panel, table, times
    from collegium.commands.values import facts_table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        inst = engine.get(instance)
        if diagram:
            from collegium.diagram import mermaid

            proc = engine.registry.compiled(
                inst.procedure, inst.procedure_version, inst.pack_version
            )
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
    types = {k: f.type for k, f in spec.facts.items()} if spec else {}
    if s.as_json:
        doc: dict[str, Any] = {
            "id": inst.id,
            "procedure": inst.procedure,
            "procedure_version": inst.procedure_version,
            "pack": f"{inst.pack}@{inst.pack_version}",
            "state": inst.state,
            "state_label": label,
            "version": inst.version,
            "parent": inst.parent_id,
            "created_at": inst.created_at,
            "updated_at": inst.updated_at,
            "events": inst.event_count,
            "facts": dict(inst.facts),
        }
        if avail is not None:
            doc["available"] = [
                {
                    "trigger": a.trigger,
                    "allowed": a.allowed,
                    "needs": list(a.needs),
                    "failures": [r.to_dict(w) for r in a.verdict.failures],
                }
                for a in avail
            ]
        if ballot is not None:
            doc["ballot"] = ballot
        emit_json(doc)
        return
    con = console()
    head = (
        f"{word('procedure', w)}: {inst.procedure}@{inst.procedure_version} "
        f"({inst.pack}@{inst.pack_version})\n"
        f"{word('state', w)}: {named(label, inst.state)}\n"
        f"{word('events', w)}: {inst.event_count}   "
        f"{word('updated', w)}: {times().line(inst.updated_at)}"
    )
    if inst.parent_id:
        head += f"\n{word('parent', w)}: {inst.parent_id}"
    con.print(panel(head, title=inst.id))
    con.print(facts_table(inst.facts, w, labels, types))
    if ballot is not None:
        print_result(con, ballot, w)
    if avail is not None and not avail:
        con.print(f"{word('available', w, actor=actor)}: {word('none', w)}", markup=False)
    elif avail is not None:
        con.print(
            table(
                word("available", w, actor=actor),
                [word("trigger", w), word("result", w), word("message", w)],
                (
                    [
                        a.trigger,
                        _allowed(a, w, labels) if a.allowed else word("refused", w),
                        "; ".join(f"{r.rule_id}: {r.message(w)}" for r in a.verdict.failures),
                    ]
                    for a in avail
                ),
                whole=(0,),
            )
        )


def _allowed(a: Availability, lang: str, labels: dict[str, str]) -> str:
    """``allowed``, or ``allowed, given audience (disclosure audience)`` when rules wait for the
    command's data: what ``fire`` will judge once it is given."""
    from collegium._words import word

    if not a.needs:
        return word("allowed", lang)
    keys = ", ".join(f"{k} ({labels[k]})" if labels.get(k, k) != k else k for k in a.needs)
    return word("allowed_given", lang, keys=keys)


@click.command()
@click.argument("instance")
def history(instance: str) -> None:
    """List every event of INSTANCE, oldest first."""
    from dataclasses import asdict

    from collegium._words import word
    from collegium.commands.render import console, named, table, times

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        events = engine.history(instance)
        inst = engine.get(instance)
        reg = engine.registry
    ballots = history_ballots(reg, inst, events, w)
    if s.as_json:
        emit_json(
            [
                {**asdict(e), "ballot": ballots[e.seq]} if e.seq in ballots else asdict(e)
                for e in events
            ]
        )
        return
    face = times()  # one for the steps' times and those in their data: the offset said once
    rows = [
        [
            e.seq,
            face.cell(e.at) or e.at,
            e.actor,
            e.trigger,
            e.source or "",
            named(state_label(reg, inst, w, e.dest), e.dest),
            _data_line(e.trigger, e.data, w, face),
        ]
        for e in events
    ]
    con = console()
    con.print(
        table(
            f"{word('instance', w)} {instance}",
            [
                word("seq", w),
                f"{word('at', w)} ({face.offset})" if face.offset else word("at", w),
                word("actor", w),
                word("trigger", w),
                word("from", w),
                word("to", w),
                word("data", w),
            ],
            rows,
            whole=(0, 1, 2, 3, 4),
        )
    )
    for doc in ballots.values():
        print_result(con, doc, w)


def _data_line(trigger: str, data: dict[str, Any], lang: str, face: Times) -> RenderableType:
    """A step's data, ``key: value`` a line (nested values drawn as ``status`` draws them); a
    reminder's (``@remind``) says which timer in words first."""
    from collegium.commands.render import grid
    from collegium.commands.values import nested, timer_words

    if trigger == "@remind" and {"timer", "lead"} <= set(data):
        rest = {k: v for k, v in data.items() if k not in ("timer", "lead")}
        said = timer_words(f"{data['timer']} -{data['lead']}", lang)
        return grid([[said], [nested(rest, lang, face)]]) if rest else said
    return nested(data, lang, face) if data else ""


@click.command("instances")
@click.option("--procedure", default=None, help="Only instances of this procedure.")
@click.option("--state", default=None, help="Only instances in this state.")
def instances_cmd(procedure: str | None, state: str | None) -> None:
    """List instances."""
    from collegium._words import word
    from collegium.commands.render import console, listing, named, table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        found = engine.instances(procedure, state)
        # labels read while the store is open: a procedure no file loads is read from its texts
        labels = [state_label(engine.registry, i, w) for i in found]
    if s.as_json:
        emit_json(
            [
                {
                    "id": i.id,
                    "procedure": i.procedure,
                    "state": i.state,
                    "state_label": label,
                    "updated_at": i.updated_at,
                    "parent": i.parent_id,
                }
                for i, label in zip(found, labels, strict=True)
            ]
        )
        return
    listing(
        console(),
        table(
            None,
            [word("id", w), word("procedure", w), word("state", w), word("updated", w)],
            (
                [i.id, i.procedure, named(label, i.state), i.updated_at]
                for i, label in zip(found, labels, strict=True)
            ),
            whole=(0, 1),
            times_in=(3,),
        ),
        word("empty.instances", w),
    )
