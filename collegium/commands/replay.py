"""``collegium replay --rules PACK [SCENARIO…]``: re-judge a recorded history under another rule
pack.

Without SCENARIO files the history is the store ``--db`` names; with them, each scenario is run in
memory first and its history re-judged. Exit 0 when the pack would have let every recorded step
happen as it did, 1 when it would have refused a step or sent one elsewhere (or a history could not
be replayed), 2 on bad input.

Heavy modules are imported inside the function.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from collegium._words import word
from collegium.commands.common import emit_json, open_engine, registry, settings

if TYPE_CHECKING:
    from collegium import Registry, Rejudged, ReplayReport, RuleResult
    from collegium.commands.render import Times

__all__ = ["replay"]


def _rule(r: RuleResult, lang: str) -> str:
    return f"{r.rule_id} {r.title.get(lang)} — {r.message(lang)} [{r.cited(lang)}]"


def _line(c: Rejudged, lang: str, face: Times, registry: Registry) -> str:
    from collegium.commands.render import named

    def label(state: str | None) -> str:
        found = registry.procedure(c.procedure).states.get(state or "")
        return named(found.label.get(lang), state or "") if found else (state or "-")

    when = face.cell(c.at) or c.at
    step = f"{c.instance_id} #{c.seq} {c.trigger}: {label(c.source)} → {label(c.dest)}"
    head = f"  {when}  {c.actor:<8} {step}"
    if c.refused:
        return f"{head}\n      ✗ {word('replay.refused', lang)} " + "; ".join(
            _rule(r, lang) for r in c.verdict.failures
        )
    if c.would_go is None:
        return f"{head}\n      ⚠ {word('replay.warns', lang)} " + "; ".join(
            _rule(r, lang) for r in c.verdict.warnings
        )
    why = "; ".join(_rule(r, lang) for r in c.turned)
    return f"{head}\n      ↪ {word('replay.rerouted', lang, state=label(c.would_go))}" + (
        f" {why}" if why else ""
    )


def _show(
    name: str, report: ReplayReport, lang: str, zone: dt.tzinfo | None, registry: Registry
) -> None:
    """One history's report: its title, the times' offset once, a line for each step the pack
    would have judged otherwise."""
    from collegium.commands.render import times

    face = times(zone)
    lines = [_line(c, lang, face, registry) for c in report.changed]
    click.echo(
        word(
            "replay.title",
            lang,
            source=name,
            pack=report.pack,
            recorded=", ".join(report.recorded) or "-",
            instances=report.instances,
            steps=report.steps,
        )
    )
    if face.offset:
        click.echo(f"  {face.caption(lang)}")
    for line in lines:
        click.echo(line)
    for instance, why in report.diverged.items():
        click.echo(f"  ! {instance}: {word('replay.diverged', lang)} {why}")


@click.command()
@click.option(
    "--rules",
    "pack",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="The rule pack (YAML) to judge the history under, instead of the one it was "
    "recorded under.",
)
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def replay(pack: Path, scenarios: tuple[Path, ...]) -> None:
    """Judge a recorded history again under the rule pack --rules: the store --db names, or the run
    of each SCENARIO file. Lists every step that pack would have refused, or sent to another state,
    with the rule and its clause; exit 1 when there is one, 0 when there is none."""
    from collegium import RulePackSpec, parse_yaml, read_text, rejudge
    from collegium.errors import InvalidInput
    from collegium.scenario import Scenario, run

    s = settings()
    text = read_text(pack)
    reports: list[tuple[str, ReplayReport, dt.tzinfo | None]] = []
    reg = registry()
    procedures: set[str] = set()  # of the instances given, to name when the pack governs none
    if scenarios:
        for path in scenarios:
            scn = Scenario.load(read_text(path), str(path), s.lang)
            engine, _steps = run(scn, lang=s.lang, registry=registry(*scn.definition_paths()))
            zone = dt.datetime.fromisoformat(
                scn.spec.start
            ).tzinfo  # shown in the scenario's own time zone
            procedures.update(i.procedure for i in engine.instances())
            report = rejudge(engine.store, text, registry=reg, source=str(pack))
            reports.append((str(path), report, zone))
    else:
        with open_engine(writes=False) as engine:
            procedures.update(i.procedure for i in engine.instances())
            reports.append(
                (s.db, rejudge(engine.store, text, registry=reg, source=str(pack)), None)
            )
    if not any(r.instances for _n, r, _z in reports):
        spec = RulePackSpec.model_validate(parse_yaml(text, str(pack))[0])
        raise InvalidInput(
            word(
                "replay.governs_nothing",
                s.lang,
                pack=spec.key,
                procedures=", ".join(sorted(procedures)) or word("none", s.lang),
            )
        )
    refused = sum(len(r.refused) for _n, r, _z in reports)
    rerouted = sum(1 for _n, r, _z in reports for c in r.changed if not c.refused and c.would_go)
    diverged = sum(len(r.diverged) for _n, r, _z in reports)
    if s.as_json:
        emit_json(
            {
                "pack": str(pack),
                "refused": refused,
                "rerouted": rerouted,
                "diverged": diverged,
                "histories": [{"source": n, **r.to_dict(s.lang)} for n, r, _z in reports],
            }
        )
    else:
        for name, report, zone in reports:
            _show(name, report, s.lang, zone, reg)
        click.echo(
            word("replay.summary", s.lang, refused=refused, rerouted=rerouted, diverged=diverged)
        )
    if refused or rerouted or diverged:
        click.get_current_context().exit(1)
