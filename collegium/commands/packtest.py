"""``collegium test``: run a rule pack's tests (YAML cases beside the pack), report the rules no
case made apply and, with --mutate, those whose removal no case notices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from collegium.commands.common import emit_json, registry, settings

__all__ = ["test"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mutate",
    is_flag=True,
    help="Also drop each rule in turn and list those no case notices missing.",
)
def test(paths: tuple[Path, ...], mutate: bool) -> None:
    """Run the test files PATHS of rule packs (with none: the built-in packs' own tests). Prints
    each failing case and the pack's rules no case made apply; exit 1 when a case fails (or, with
    --mutate, a rule could be dropped unnoticed), 2 when a file is invalid."""
    from collegium import builtin_pack_tests, run_pack_tests
    from collegium._words import word

    s = settings()
    w = s.lang
    reports = run_pack_tests(registry(), list(paths) or builtin_pack_tests(), mutate=mutate)
    failed = any(not r.ok or r.survivors for r in reports)
    if s.as_json:
        emit_json([_doc(r, w) for r in reports])
    else:
        for r in reports:
            passed = sum(c.ok for c in r.cases)
            click.echo(word("test.pack", w, pack=r.pack, passed=passed, cases=len(r.cases)))
            for c in r.cases:
                for problem in c.problems_in(w):
                    click.echo(f"  ✗ {c.source}: {c.name}: {problem}")
            covered = len(r.rules) - len(r.uncovered)
            click.echo(word("test.coverage", w, covered=covered, rules=len(r.rules)))
            if r.uncovered:
                click.echo(word("test.uncovered", w, rules=", ".join(r.uncovered)))
            if r.survivors is not None:
                click.echo(word("test.survivors", w, rules=", ".join(r.survivors) or "-"))
    if failed:
        click.get_current_context().exit(1)


def _doc(r: Any, lang: str) -> dict[str, Any]:
    return {
        "pack": r.pack,
        "ok": r.ok,
        "cases": [
            {"source": c.source, "name": c.name, "ok": c.ok, "problems": list(c.problems_in(lang))}
            for c in r.cases
        ],
        "rules": list(r.rules),
        "uncovered": list(r.uncovered),
        "survivors": None if r.survivors is None else list(r.survivors),
    }
