"""The ``db`` group: ``db upgrade`` creates the database named by ``--db``, or brings its schema to
the current revision."""

from __future__ import annotations

import click

from collegium.commands.common import emit_json, settings

__all__ = ["db"]


@click.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or bring its schema to the current revision."""
    from collegium import HEAD_REVISION, SqlStore
    from collegium._words import word

    s = settings()
    SqlStore(s.db).close()
    if s.as_json:
        emit_json({"ok": True, "db": s.db, "revision": HEAD_REVISION})
    else:
        click.echo(word("db_ok", s.lang, db=s.db, rev=HEAD_REVISION))
