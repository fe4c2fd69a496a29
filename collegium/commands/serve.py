"""``collegium serve``: the read-only web console over ``--db`` (:mod:`collegium.console`), on
127.0.0.1 unless told otherwise; anywhere else only behind a token or basic auth.

The database is opened as every read opens it: never migrated, never written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from collegium import Message
from collegium.commands.common import BadUsage, open_engine, settings
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium.console import Guard

__all__ = ["serve"]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; any but the loopback interface needs --token or --basic-auth.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on (0: any free one, said when it starts).",
)
@click.option(
    "--token",
    default=None,
    envvar="COLLEGIUM_CONSOLE_TOKEN",
    metavar="T",
    help="Admit only requests with 'Authorization: Bearer T', or '?token=T' once (then kept in "
    "a cookie) (env COLLEGIUM_CONSOLE_TOKEN).",
)
@click.option(
    "--basic-auth",
    "basic",
    default=None,
    envvar="COLLEGIUM_CONSOLE_BASIC_AUTH",
    metavar="USER:PASS",
    help="Admit only requests with this user name and password (HTTP basic auth) "
    "(env COLLEGIUM_CONSOLE_BASIC_AUTH).",
)
def serve(host: str, port: int, token: str | None, basic: str | None) -> None:
    """Serve a read-only web console of --db: instances by procedure and state, an instance's
    timeline, path, verdicts, facts, children and ballot, overdue tasks, open cases, the audit.

    Pages are in English or Chinese (?lang=zh-CN, else the browser's language); times as the
    command line shows them (--tz). Nothing can be changed through it: it answers GET and HEAD
    only. Ctrl-C stops it.
    """
    from collegium.console import Guard, is_loopback

    ctx = click.get_current_context()
    if token is not None and basic is not None:
        raise BadUsage(Message("--token and --basic-auth cannot be used together"), ctx)
    if token is not None and not token.strip():
        raise BadUsage(Message("--token must not be empty"), ctx)
    try:
        guard = (
            Guard(token=token)
            if token is not None
            else Guard.basic(basic)
            if basic is not None
            else Guard()
        )
    except ValueError:
        raise BadUsage(Message("--basic-auth must be USER:PASS, both given"), ctx) from None
    if guard.open and not is_loopback(host):
        raise BadUsage(
            Message(
                "listening on {host} lets other machines read every decision: give --token or "
                "--basic-auth, or keep the default 127.0.0.1",
                host=host,
            ),
            ctx,
        )
    _run(host, port, guard)


def _run(host: str, port: int, guard: Guard) -> None:
    try:
        from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

        class _PathOnlyLog(WSGIRequestHandler):
            """Logs each request by its path alone: a ``?token=`` never reaches the log."""

            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                path = self.path.split("?", 1)[0]
                self.log("info", '"%s %s" %s %s', self.command, path, code, size)

        from collegium.console import create_app
    except ImportError as exc:
        raise InvalidInput(
            Message(
                "the console needs Flask ({problem}): pip install 'collegium[console]'",
                problem=exc,
            )
        ) from None
    from collegium._words import word
    from collegium.commands.common import display_zone
    from collegium.commands.render import Times

    zone = display_zone()
    with open_engine(writes=False) as engine:
        app = create_app(engine, times=lambda: Times(zone), guard=guard)
        server = ThreadedWSGIServer(host, port, app, handler=_PathOnlyLog)  # a thread a connection
        server.block_on_close = False  # Ctrl-C does not wait for connections a browser keeps
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{server.server_port}/"
        click.echo(word("console.serving", settings().lang, url=url))
        try:
            server.serve_forever()
        finally:
            server.server_close()
