"""Annual public commitments on the command line: ``commitments list --body BODY --year YEAR``.

Lists what a body promised the public for a year (年初承诺), where each promise stands and its outcome (年终兑现),
as the year-end publication shows it (向群众公示). The commitments themselves are instances of the ``commitment``
procedure, started and moved with ``collegium start`` / ``collegium fire``.

Registered on the root group by :mod:`collegium.cli`. Heavy modules are imported inside the functions.
"""

from __future__ import annotations

from typing import Final

import click

from collegium._cli_common import emit_json, open_engine, settings
from collegium.errors import InvalidInput

__all__ = ["commitments"]

# key -> (English, Chinese)
_WORDS: Final[dict[str, tuple[str, str]]] = {
    "heading": ("Commitments of {body} for {year}", "{body} {year} 年度为民承诺事项"),
    "none": ("{body} made no commitment for {year}", "{body} {year} 年度没有承诺事项"),
    "lead": ("lead member", "牵头常委"),
    "outcome": ("outcome", "兑现结果"),
    "progress": ("progress", "目标进度"),
    "result": ("result", "兑现情况"),
    "cases": ("case", "问责案件"),
}


def _w(key: str, lang: str, **params: object) -> str:
    en, zh = _WORDS[key]
    return (zh if lang == "zh-CN" else en).format(**params)


@click.group()
def commitments() -> None:
    """Annual public commitments: promised at the start of the year, delivered by its end, published."""


@commitments.command("list")
@click.option("--body", required=True, metavar="BODY", help="The body that made the commitments.")
@click.option("--year", "year_text", required=True, metavar="YEAR", help="The year, e.g. 2026.")
def commitments_list(body: str, year_text: str) -> None:
    """List BODY's commitments for YEAR with their state and outcome."""
    from collegium._render import console, table, word
    from collegium.engine.commitments import commitments as query

    s = settings()
    w = s.lang
    try:
        year = int(year_text)
    except ValueError:
        raise InvalidInput(f"--year must be a year such as 2026, not {year_text!r}") from None
    with open_engine() as engine:
        found = query(engine, body, year)
    if s.as_json:
        emit_json({"body": body, "year": year, "commitments": [c.to_dict(w) for c in found]})
        return
    con = console()
    if not found:
        click.echo(_w("none", w, body=body, year=year))
        return
    con.print(table(_w("heading", w, body=body, year=year),
                    [word("id", w), word("title", w), _w("lead", w), word("state", w), _w("outcome", w),
                     _w("progress", w), _w("result", w), _w("cases", w)],
                    ([c.id, c.title, c.lead_member, c.state_label.get(w), c.outcome_label(w),
                      "" if c.progress is None else f"{c.progress}%", c.result, ", ".join(c.cases)]
                     for c in found)))
