"""Annual public commitments on the command line: ``commitments list --body BODY --year YEAR``.

Lists what a body promised the public for a year (年初承诺), where each promise stands and its
outcome (年终兑现), as the year-end publication shows it (向群众公示). The commitments themselves
are instances of the ``commitment`` procedure, started and moved with ``collegium start`` /
``collegium fire``.

Heavy modules are imported inside the functions.
"""

from __future__ import annotations

import click

from collegium import Message
from collegium.commands.common import emit_json, open_engine, settings
from collegium.errors import InvalidInput

__all__ = ["commitments"]


@click.group()
def commitments() -> None:
    """Annual public commitments: promised at the start of the year, delivered by its end,
    published."""


@commitments.command("list")
@click.option("--body", required=True, metavar="BODY", help="The body that made the commitments.")
@click.option("--year", "year_text", required=True, metavar="YEAR", help="The year, e.g. 2026.")
def commitments_list(body: str, year_text: str) -> None:
    """List BODY's commitments for YEAR with their state and outcome."""
    from collegium import commitments as query
    from collegium._words import word
    from collegium.commands.render import console, table

    s = settings()
    w = s.lang
    try:
        year = int(year_text)
    except ValueError:
        raise InvalidInput(
            Message("--year must be a year such as 2026, not {year!r}", year=year_text)
        ) from None
    with open_engine(writes=False) as engine:
        found = query(engine, body, year)
    if s.as_json:
        emit_json({"body": body, "year": year, "commitments": [c.to_dict(w) for c in found]})
        return
    con = console()
    if not found:
        click.echo(word("commitments.none", w, body=body, year=year))
        return
    con.print(
        table(
            word("commitments.heading", w, body=body, year=year),
            [
                word("id", w),
                word("title", w),
                word("commitments.lead", w),
                word("state", w),
                word("commitments.outcome", w),
                word("commitments.progress", w),
                word("commitments.result", w),
                word("commitments.cases", w),
            ],
            (
                [
                    c.id,
                    c.title,
                    c.lead_member,
                    c.state_label.get(w),
                    c.outcome_label(w),
                    "" if c.progress is None else f"{c.progress}%",
                    c.result,
                    ", ".join(c.cases),
                ]
                for c in found
            ),
            whole=(0, 7),
        )
    )
