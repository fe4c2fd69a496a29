"""``collegium minutes MEETING``: the minutes of a sitting or of a matter's meeting, drafted from
what the engine holds (:func:`collegium.minutes`), as Markdown or one self-contained HTML page.

Heavy modules are imported inside the function.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from collegium.commands.common import display_zone, emit_json, open_engine, settings

__all__ = ["minutes"]


@click.command()
@click.argument("meeting")
@click.option(
    "--format",
    "form",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown, or one self-contained, printable HTML page.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write the minutes to FILE (UTF-8) instead of standard output.",
)
def minutes(meeting: str, form: str, out: Path | None) -> None:
    """Draft the minutes (会议记录) of MEETING: a sitting's id (a meeting convened with an agenda:
    every matter on it) or a matter's id (its last meeting: of its own, or at a sitting). Body,
    times, chair, attendance, views in the order stated, each ballot's method, totals, quorum,
    threshold and result, dissent on named ballots, decisions and their leads; a secret ballot
    shows its totals only. In --lang; times in --tz (default: the machine's local zone); --json
    prints the record itself."""
    from dataclasses import asdict

    from collegium import minutes as draft
    from collegium import minutes_html, minutes_markdown

    s = settings()
    with open_engine(writes=False) as engine:
        record = draft(engine, meeting, s.lang)
    if s.as_json:
        emit_json(_as_stored(asdict(record)))
        return
    render = minutes_html if form == "html" else minutes_markdown
    text = render(record, display_zone())
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


def _as_stored(value: Any) -> Any:
    """The record's times as the engine stores them (``2026-03-10T01:00:00.000000Z``), as every
    ``--json`` document has them."""
    from collegium import format_time

    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dict):
        return {k: _as_stored(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_stored(v) for v in value]
    return value
