"""``collegium report INSTANCE… --html OUT``: the self-contained HTML report of instances in
``--db``: each one's timeline, diagram with the path taken and the current state, ballots, tasks,
and the audit status. A refused step writes no event, so the page says refusals are not stored
(``simulate FILE --html OUT`` lists a scenario's).

Heavy modules are imported inside the function.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from collegium._words import word
from collegium.commands.common import display_zone, emit_json, open_engine, settings

__all__ = ["report"]


@click.command()
@click.argument("instances", nargs=-1, required=True, metavar="INSTANCE...")
@click.option(
    "--html",
    "html",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    metavar="OUT",
    help="The HTML file to write ('-': standard output).",
)
@click.option("--title", default=None, help="The page's title (default: the instance's).")
def report(instances: tuple[str, ...], html: Path, title: str | None) -> None:
    """Write a self-contained HTML report of INSTANCE (or several) in --db to OUT: timeline,
    diagram with the path taken and the current state, ballots, tasks and audit status; in
    --lang, printable, making no request."""
    from collegium import report_html

    s = settings()
    with open_engine(writes=False) as engine:
        page = report_html(engine, list(instances), lang=s.lang, tz=display_zone(), title=title)
    if str(html) == "-":
        sys.stdout.write(page)
        return
    html.write_text(page, encoding="utf-8")
    if s.as_json:
        emit_json({"ok": True, "html": str(html), "instances": list(instances)})
    else:
        click.echo(word("report.written", s.lang, out=html))
