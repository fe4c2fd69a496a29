"""``collegium simulate FILE``: run a scenario file on a virtual clock and print its timeline (or
``--json``); ``simulate --generate`` runs a generated workload instead.

Exit 0 when every expectation holds, 1 at the first that does not (named, with file and line), 2
when the file is invalid. Nothing is written outside what ``--db`` names: by default the run is in
memory; a database that already holds instances is refused (exit 2) before any instance is written,
unless ``--replace`` lets a SQLite file that Collegium made be replaced by a new one.

Heavy modules are imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from collegium import Message
from collegium._words import word
from collegium.commands.common import emit_json, registry, settings

if TYPE_CHECKING:
    from collegium import Engine, Registry
    from collegium.commands.render import Times
    from collegium.scenario import StepReport

__all__ = ["simulate"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _label(engine: Engine, instance: str | None, state: str | None, lang: str) -> str:
    from collegium.commands.render import named

    if not instance or not state:
        return state or ""
    spec = engine.registry.procedure(engine.get(instance).procedure)
    found = spec.states.get(state)
    return named(found.label.get(lang), state) if found else state


def _line(engine: Engine, r: StepReport, lang: str, face: Times) -> str:
    from collegium.commands.values import timer_words

    when = face.cell(r.at) or r.at  # in the scenario's own zone, unless --tz says another
    head = f"{when}  {r.actor or '':<6} {r.trigger or r.action:<20}"
    if r.action == "advance":
        what = (
            ", ".join(
                f"{t['instance']} {timer_words(t['timer'], lang)} → "
                f"{_label(engine, t['instance'], t['state'], lang) or '-'}"
                for t in r.rules
            )
            or "-"
        )
        return f"{when}  {word('simulate.timers', lang, what=what)}"
    if r.action == "expect":
        return f"{head}  ✓ {word('simulate.expect', lang)}: {r.instance}"
    if r.outcome == "refused":
        rules = "; ".join(
            f"{x['rule']} {x['title']} — {x['message']} [{x['citation']}]" for x in r.rules
        )
        return f"{head}  ✗ {word('simulate.refused', lang)} {rules}"
    return f"{head}  → {_label(engine, r.instance, r.state, lang)}" + (
        f"  (+ {', '.join(r.started)})" if r.started else ""
    )


def _sized(name: str, most: int, default: int, what: str) -> Callable[[_F], _F]:
    """An option of the generated workload's size, whose help says the limit on the product."""
    return click.option(
        name,
        type=click.IntRange(1, most),
        default=default,
        show_default=True,
        help=f"{what}; bodies × matters × months is at most 150.",
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--generate", is_flag=True, help="Run a generated workload instead of FILE (see --seed …)."
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Seed of the generated workload."
)
@_sized("--bodies", 50, 2, "Bodies of the generated workload")
@_sized("--matters", 50, 2, "Matters a month per body")
@_sized("--months", 36, 3, "Months the workload runs")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --generate: also write the generated scenario file here.",
)
@click.option(
    "--html",
    "html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="OUT",
    help="Also write a self-contained HTML report of the run's instances to OUT (its timelines, "
    "diagrams, refusals, ballots, tasks and audit; in --lang, times as --tz says).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="With --db naming a SQLite file that Collegium made (an earlier run's): start again on a "
    "new file in its place.",
)
def simulate(
    file: Path | None,
    generate: bool,
    seed: int,
    bodies: int,
    matters: int,
    months: int,
    out: Path | None,
    html: Path | None,
    replace: bool,
) -> None:
    """Run the scenario FILE on a virtual clock (in memory unless --db names a database) and print
    its timeline; exit 1 at the first expectation that does not hold, 2 when the file is invalid.
    With --generate, run a seeded workload (the same seed, the same run) of at most 150 matters in
    all (bodies × matters a month × months)."""
    from dataclasses import asdict

    from collegium import read_text
    from collegium.errors import InvalidInput
    from collegium.scenario import Scenario, run

    s = settings()
    if generate:
        from collegium.generate import scenario_text

        # refused (in s.lang) before anything is generated when the product is over 150
        text = scenario_text(seed, bodies=bodies, matters=matters, months=months, lang=s.lang)
        if out is not None:
            out.write_text(text, encoding="utf-8")
        source = str(out) if out is not None else f"<generated, seed {seed}>"
        scn = Scenario.load(text, source, s.lang)
    elif file is None:
        raise InvalidInput(Message("give a scenario FILE, or --generate"))
    else:
        scn = Scenario.load(read_text(file), str(file), s.lang)
    root = click.get_current_context().find_root()
    given = root.get_parameter_source("db") not in (None, click.core.ParameterSource.DEFAULT)
    reg = registry(*scn.definition_paths())  # built in, --definitions, and the scenario's own
    if replace and given:
        _remove_earlier_run(s.db)
    engine = (
        _engine(scn, reg) if given else None
    )  # in memory unless --db (or COLLEGIUM_DB) names a database
    if s.as_json or len(scn.spec.steps) < 200:  # no progress bar: rich's is not even imported
        engine, reports = run(scn, engine, lang=s.lang, registry=reg)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(scn.spec.scenario, total=len(scn.spec.steps))
            engine, reports = run(
                scn, engine, on_step=lambda _n: bar.advance(task), lang=s.lang, registry=reg
            )
    audit = engine.verify_audit()
    from collegium.commands.render import times

    face = times(dt.datetime.fromisoformat(scn.spec.start).tzinfo)
    if html is not None:
        _write_report(
            engine,
            reports,
            html,
            word("simulate.title", s.lang, title=scn.spec.scenario),
            face.zone,
        )
    if s.as_json:
        instances = {
            i.id: {
                "procedure": i.procedure,
                "state": i.state,
                "history": [
                    [e.seq, e.at, e.actor, e.trigger, e.dest] for e in engine.history(i.id)
                ],
                "ballot": (i.facts.get("ballot") or {}).get("result"),
            }
            for i in engine.instances()
        }
        emit_json(
            {
                "scenario": scn.spec.scenario,
                "ok": True,
                "steps": [asdict(r) for r in reports],
                "instances": instances,
                "audit": audit.to_dict(),
                **({"html": str(html)} if html is not None else {}),
            }
        )
        return
    w = s.lang
    lines = [
        _line(engine, r, w, face)
        for r in reports
        if r.action != "advance" or r.rules  # a move of the clock that fired nothing is not a line
    ]
    click.echo(word("simulate.title", w, title=scn.spec.scenario))
    if face.offset:
        click.echo(face.caption(w))
    for line in lines:
        click.echo(line)
    click.echo(
        word(
            "simulate.summary",
            w,
            steps=len(scn.spec.steps),
            refused=sum(r.outcome == "refused" for r in reports),
            instances=len(engine.instances()),
            audit=word("simulate.ok" if audit.ok else "simulate.broken", w),
        )
    )
    if html is not None:
        click.echo(word("report.written", w, out=html))


def _write_report(
    engine: Engine, reports: list[StepReport], out: Path, title: str, zone: dt.tzinfo | None
) -> None:
    """Write the HTML report of every instance of the run, its refusals with them, to ``out``."""
    from collegium import Refusal, report_html

    refusals = [r for step in reports if (r := Refusal.of_step(step)) is not None]
    page = report_html(
        engine,
        [i.id for i in engine.instances()],
        lang=settings().lang,
        tz=zone,
        title=title,
        refusals=refusals,
    )
    out.write_text(page, encoding="utf-8")


def _remove_earlier_run(db: str) -> None:
    """Remove the SQLite file ``db`` (and its write-ahead log) if it is a database Collegium made
    or an empty file; refuse anything else (exit 2, nothing removed)."""
    from collegium import Engine, ManualClock, parse_time
    from collegium.errors import InvalidInput

    lang = settings().lang
    if "://" in db and not db.startswith("sqlite:///"):
        raise InvalidInput(word("simulate.replace_file_only", lang))
    path = Path(db.removeprefix("sqlite:///"))
    if not path.is_file():
        return
    if path.stat().st_size:
        try:
            Engine.open(
                str(path), clock=ManualClock(parse_time("2000-01-01T00:00Z")), auto_migrate=False
            ).close()
        except InvalidInput as exc:
            said = exc.message(lang)  # the cause, without the hint to upgrade it
            reason = said.split("；" if lang == "zh-CN" else ";")[0]
            raise InvalidInput(word("simulate.replace_not_ours", lang, reason=reason)) from None
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _engine(scn: Any, reg: Registry) -> Engine:
    """An engine on --db for the scenario; refused (exit 2, nothing written) when that database
    already holds instances: the scenario's clock starts again at its start, its ids would collide
    with a run before, and the timers of what is there would fire among its steps."""
    from collegium import Engine, ManualClock, SequentialIds, parse_time
    from collegium.errors import InvalidInput

    s = settings()
    engine = Engine.open(
        s.db,
        clock=ManualClock(parse_time(scn.spec.start, "start")),
        ids=SequentialIds(),
        registry=reg,
    )
    first = next(
        engine.store.iter_instances(), None
    )  # one row read; the generator is dropped and closed here
    if first is not None:
        engine.close()
        db = (
            word("simulate.the_db", s.lang) if "://" in s.db else s.db
        )  # a URL may carry a password: not repeated
        raise InvalidInput(word("simulate.db_used", s.lang, db=db, first=first.id))
    return engine
