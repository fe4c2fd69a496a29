"""The ``collegium`` command line: a thin layer that parses arguments and calls the public API.

This module holds the root group, its global options and the error reporting. The commands are in
:mod:`collegium.commands`, one module per concern, and each module is imported only when its
command runs or shows its help (:class:`collegium.commands.lazy.LazyGroup`), so ``collegium
--help`` and ``--version`` load neither the engine nor any command. Exit codes: 0 done, 1 refused
(a rule, a transition not allowed, a failed audit), 2 bad input (a bad option, an invalid
definition or argument, something not found, a file or database that cannot be read or written),
70 a fault of Collegium's own, 130 stopped by Ctrl-C, 141 (and no message) when the reader of the
output stops reading. Every error is reported on stderr in one line, ``collegium: error: …``; its
traceback only with ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, NoReturn

import click

from collegium import __version__
from collegium._catalog import Message
from collegium.commands import COMMANDS
from collegium.commands.common import PROG, Settings, settings, usage_in_one_line
from collegium.commands.lazy import LazyGroup
from collegium.errors import CollegiumError, RuleViolation, UnknownDefinition

__all__ = ["cli", "main"]


# -- errors ----------------------------------------------------------------------------------------
def _error_lines(exc: CollegiumError, lang: str) -> list[str]:
    from collegium._words import word
    from collegium.commands.render import failure_lines

    if isinstance(exc, RuleViolation):
        failures = exc.verdict.failures
        return [
            f"{PROG}: error: {exc.verdict.trigger}: "
            f"{word('refused_by', lang, count=len(failures))}",
            *failure_lines(failures, lang),
        ]
    text = " ".join(exc.message(lang).split()) or type(exc).__name__
    if isinstance(exc, UnknownDefinition):
        text = f"{text}{'；' if lang == 'zh-CN' else '; '}{word('definitions.hint', lang)}"
    return [f"{PROG}: error: {text}"]


def _report(exc: CollegiumError) -> None:
    s = settings()
    if s.as_json:
        doc: dict[str, Any] = {
            "ok": False,
            "error": type(exc).__name__,
            "message": exc.message(s.lang),
            "exit_code": exc.exit_code,
        }
        if isinstance(exc, RuleViolation):
            doc["verdict"] = exc.verdict.to_dict(s.lang)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    for line in _error_lines(exc, s.lang):
        click.echo(line, err=True)


def _hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--json``, ``--lang X``, ``--db X``, ``--definitions X``, ``--tz X`` (and ``--lang=X``
    …) found after the command name to just before it, so that, as anywhere else, the later of two
    occurrences wins (``--definitions`` adds to those before it)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_command = False
    command_at = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if seen_command and arg in ("--json", "--debug"):
            front.append(arg)
        elif seen_command and arg in _HOISTED and i + 1 < len(args):
            front.extend((arg, args[i + 1]))
            i += 1
        elif seen_command and arg.startswith(tuple(f"{name}=" for name in _HOISTED)):
            front.append(arg)
        else:
            if (
                not seen_command
                and not arg.startswith("-")
                and not (rest and rest[-1] in _VALUED_GLOBALS)
            ):
                seen_command, command_at = True, len(rest)
            rest.append(arg)
        i += 1
    return rest[:command_at] + front + rest[command_at:]


_HOISTED = ("--lang", "--db", "--definitions", "--tz")
_VALUED_GLOBALS = frozenset({*_HOISTED, "--now"})


#: the end of every command's help: the root's options it takes too
GLOBAL_OPTIONS_HELP = (
    "\b\nGlobal options, before or after the command:\n"
    "  --db PATH_OR_URL  --lang en|zh-CN  --json  --tz ZONE  --definitions PATH  --debug\n"
    "and before it: --now ISO_DATETIME (see 'collegium --help')"
)  # \b: click keeps the lines as they are


def _with_global_options_help(command: click.Command) -> click.Command:
    """``command`` (and a group's subcommands) with :data:`GLOBAL_OPTIONS_HELP` as its epilog."""
    if not command.epilog:
        command.epilog = GLOBAL_OPTIONS_HELP
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_global_options_help(sub)
    return command


class _Group(LazyGroup):
    """The root group: its commands imported lazily, each one's help ending with the global
    options; every :class:`CollegiumError` turned into its message and exit code."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        return _with_global_options_help(found) if found is not None else None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept ``--json``, ``--lang``, ``--db``, ``--tz`` and ``--definitions`` after the command
        too (``collegium history X --json``)."""
        return super().parse_args(ctx, _hoist_global_options(args))

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with usage_in_one_line():  # a bad global option: one line, as every error
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with usage_in_one_line():
                return super().invoke(ctx)
        except CollegiumError as exc:
            if settings().debug:
                traceback.print_exc()
            _report(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(f"{PROG}: {_INTERRUPTED.say(settings().lang)}", err=True)
            ctx.exit(INTERRUPTED)
        except click.Abort as exc:  # click's prompts: Ctrl-C, or the input ended
            lang = settings().lang
            if isinstance(exc.__context__, KeyboardInterrupt):
                click.echo(f"{PROG}: {_INTERRUPTED.say(lang)}", err=True)
                ctx.exit(INTERRUPTED)
            ended = Message("the input ended where a value was asked for").say(lang)
            click.echo(f"{PROG}: error: {ended}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:  # the reader stopped (`| head`): no message, as a shell tool does
            _quiet_stdout()
            ctx.exit(BROKEN_PIPE)
        except Exception as exc:
            if settings().debug:
                traceback.print_exc()
            code, text = _unexpected(exc)
            click.echo(f"{PROG}: error: {_said(text, settings().lang)}", err=True)
            ctx.exit(code)


#: exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it
INTERRUPTED = 130
_INTERRUPTED = Message("interrupted")
#: exit code when the reader of the output went away (128 + SIGPIPE), as shells report it
BROKEN_PIPE = 141
#: exit code of an error Collegium did not foresee (``EX_SOFTWARE``): a fault to report
INTERNAL = 70


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of what the
    closed pipe did not take raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's runner): nothing is flushed
        pass


def _said(text: str | Message, lang: str) -> str:
    return text.say(lang) if isinstance(text, Message) else text


def _unexpected(exc: Exception) -> tuple[int, str | Message]:
    """The exit code and one line for an exception that is not a :class:`CollegiumError`: a file
    that cannot be read or written, or a database that fails, is the user's to mend (2); anything
    else is a fault of Collegium's, whose traceback ``--debug`` shows."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, OSError):
        what = f": {exc.filename}" if exc.filename else ""
        return 2, f"{exc.strerror or exc}{what}"
    if isinstance(exc, DBAPIError):
        reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        return 2, Message("the database failed: {reason}", reason=reason)
    text = " ".join(str(exc).split())[:200]
    return INTERNAL, Message(
        "internal error ({kind}: {text}); run again with --debug for the traceback",
        kind=type(exc).__name__,
        text=text,
    )


def _zone(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--tz``, checked when it is read: a bad zone is one line and exit 2, before any command,
    in the language of ``--lang`` (read first: it is eager)."""
    from collegium.commands.common import BadUsage, parse_zone
    from collegium.errors import InvalidInput

    if value:
        try:
            parse_zone(value)
        except InvalidInput as exc:
            raise BadUsage(exc, ctx) from None
    return value or None


def _language(_ctx: click.Context | None, _param: click.Parameter | None, value: str | None) -> str:
    """The language of labels and messages: ``--lang``, else ``COLLEGIUM_LANG`` (click reads both),
    else the locale's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set): Chinese for a
    ``zh`` locale, English for any other."""
    if value:
        return "zh-CN" if value.lower().replace("_", "-") in ("zh", "zh-cn") else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = os.environ.get(name)
        if found:
            return "zh-CN" if found.lower().startswith("zh") else "en"
    return "en"


# -- the group -------------------------------------------------------------------------------------
@click.group(
    cls=_Group,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-CN", "zh", "zh_CN"], case_sensitive=False),
    metavar="[en|zh-CN]",
    default=None,
    envvar="COLLEGIUM_LANG",
    callback=_language,
    is_eager=True,  # known before the other options are checked: their errors are said in it
    help="Language of labels and messages (env COLLEGIUM_LANG; default: the locale's, LC_ALL, "
    "LC_MESSAGES or LANG: Chinese for zh_*, else English).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@click.option(
    "--db",
    default="./collegium.db",
    show_default=True,
    envvar="COLLEGIUM_DB",
    metavar="PATH_OR_URL",
    help="SQLite file path or SQLAlchemy URL (env COLLEGIUM_DB).",
)
@click.option(
    "--definitions",
    multiple=True,
    type=click.Path(path_type=str),
    envvar="COLLEGIUM_DEFINITIONS",
    metavar="PATH",
    help="A procedure, fragment or rule-pack file, or a folder of them, to use beside the built-in "
    "ones; repeatable (env COLLEGIUM_DEFINITIONS, paths separated by the system's path separator).",
)
@click.option(
    "--now",
    metavar="ISO_DATETIME",
    default=None,
    help="Act at this time (with a time zone, e.g. 2026-03-10T09:00+08:00) "
    "instead of the wall clock.",
)
@click.option(
    "--tz",
    default=None,
    envvar="COLLEGIUM_TZ",
    metavar="ZONE",
    callback=_zone,
    help="Show times in this zone: an offset (+08:00, Z, UTC) or a zone name (Asia/Shanghai); "
    "default: the machine's local zone (a scenario's or the demo's own zone for simulate and "
    "demo). Times are shown to the minute, the offset once; --json keeps exact ISO 8601 "
    "(env COLLEGIUM_TZ).",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="COLLEGIUM_DEBUG",
    help="Show the traceback of an error as well as its line (env COLLEGIUM_DEBUG).",
)
@click.version_option(__version__, "-V", "--version", prog_name=PROG)
@click.pass_context
def cli(
    ctx: click.Context,
    lang: str,
    as_json: bool,
    db: str,
    definitions: tuple[str, ...],
    now: str | None,
    tz: str | None,
    debug: bool,
) -> None:
    """Collegium: a workflow and rules engine for collective decision procedures.

    Procedures and rule packs are YAML; every step is checked against every rule that binds it, and
    kept in a tamper-evident log. Try `collegium demo`.
    """
    ctx.obj = Settings(
        lang=lang,
        as_json=as_json,
        db=db,
        now=now,
        definitions=definitions,
        debug=debug,
        tz=tz,
    )


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point (``collegium``)."""
    try:
        cli.main(args=argv, prog_name=PROG)
    except KeyboardInterrupt:  # while the arguments were read, before a command ran
        click.echo(f"{PROG}: interrupted", err=True)
        sys.exit(INTERRUPTED)
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode


if __name__ == "__main__":  # pragma: no cover
    main()
