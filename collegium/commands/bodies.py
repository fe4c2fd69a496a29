"""The ``body`` group: define a body (committee, board) and its members from a file, and show one.
Heavy modules are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from collegium import Message
from collegium.commands.common import emit_json, open_engine, settings
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    pass

__all__ = ["body"]


# -- bodies ----------------------------------------------------------------------------------------
@click.group()
def body() -> None:
    """Bodies (committees, boards) and their members."""


@body.command("define")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--pack",
    metavar="ID",
    help="the rule pack whose roles the members hold (default: any loaded pack's)",
)
def body_define(file: Path, pack: str | None) -> None:
    """Create or replace a body from a YAML file: {id, kind, title?, members: [{person, role,
    voting?, name?}]}; each role one the rule pack knows."""
    from pydantic import ValidationError

    from collegium import Body, parse_yaml, read_text, validation_line
    from collegium._words import word

    s = settings()
    data, _node = parse_yaml(
        read_text(file), str(file)
    )  # bounded as definitions are; errors name the line
    if not isinstance(data, dict):
        raise InvalidInput(
            Message("{file}: the top level must be a mapping with id, kind and members", file=file)
        )
    try:
        new = Body.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            Message("{place}: {reason}", place=file, reason=validation_line(exc))  # pydantic's
        ) from None
    with open_engine(writes=True, create=True) as engine:
        engine.define_body(new, pack=pack)
    if s.as_json:
        emit_json({"ok": True, "body": new.model_dump(mode="json", by_alias=True)})
    else:
        click.echo(word("body_defined", s.lang, id=new.id, count=len(new.members)))


@body.command("show")
@click.argument("body_id", metavar="ID")
def body_show(body_id: str) -> None:
    """Show a body and its members."""
    from collegium._words import word
    from collegium.commands.render import console, table

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        b = engine.body(body_id)
    if s.as_json:
        emit_json(b.model_dump(mode="json", by_alias=True))
        return
    title = f"{b.id} ({b.kind})" + (f" — {b.title.get(w)}" if b.title else "")
    con = console()
    if not b.members:
        con.print(f"{title}: {word('empty.members', w)}", markup=False)
        return
    con.print(
        table(
            title,
            [word("person", w), word("role", w), word("voting", w), word("name", w)],
            (
                [m.person, m.role, word("yes", w) if m.voting else word("no", w), m.name or ""]
                for m in b.members
            ),
            whole=(0,),
        )
    )
