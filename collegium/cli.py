"""The ``collegium`` command line: a thin layer that parses arguments and calls the public API.

This module holds the root group, its global options and the error reporting. The commands are in
:mod:`collegium.commands`, one module per concern, and each module is imported only when its
command runs or shows its help (:class:`collegium.commands.lazy.LazyGroup`), so ``collegium
--help`` and ``--version`` load neither the engine nor any command. Exit codes: 0 done, 1 refused
(a rule, a transition not allowed, a failed audit), 2 bad input (a bad option, an invalid
definition or argument, something not found). Every error Collegium raises is reported on stderr
as ``collegium: error: …`` and never as a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

from collegium import __version__
from collegium.commands import COMMANDS
from collegium.commands.common import PROG, Settings, settings, usage_in_one_line
from collegium.commands.lazy import LazyGroup
from collegium.errors import CollegiumError, RuleViolation, TransitionNotAllowed, UnknownDefinition

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
    if isinstance(exc, TransitionNotAllowed) and lang != "en":
        from collegium._i18n import message

        text = message(
            "transition.not_allowed",
            lang,
            trigger=exc.trigger,
            state=exc.state,
            allowed=", ".join(exc.allowed) or word("none", lang),
        )
        return [f"{PROG}: error: {text}"]
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, UnknownDefinition):
        text = f"{text}; {word('definitions.hint', lang)}"
    return [f"{PROG}: error: {text}"]


def _report(exc: CollegiumError) -> None:
    s = settings()
    if s.as_json:
        doc: dict[str, Any] = {
            "ok": False,
            "error": type(exc).__name__,
            "message": str(exc),
            "exit_code": exc.exit_code,
        }
        if isinstance(exc, RuleViolation):
            doc["verdict"] = exc.verdict.to_dict(s.lang)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    for line in _error_lines(exc, s.lang):
        click.echo(line, err=True)


def _hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--json``, ``--lang X``, ``--db X``, ``--definitions X`` (and ``--lang=X`` …) found
    after the command name to just before it, so that, as anywhere else, the later of two
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
        if seen_command and arg == "--json":
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


_HOISTED = ("--lang", "--db", "--definitions")
_VALUED_GLOBALS = frozenset({*_HOISTED, "--now"})


class _Group(LazyGroup):
    """The root group: its commands imported lazily; every :class:`CollegiumError` turned into its
    message and exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept ``--json``, ``--lang``, ``--db`` and ``--definitions`` after the command too
        (``collegium history X --json``)."""
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
            _report(exc)
            ctx.exit(exc.exit_code)


# -- the group -------------------------------------------------------------------------------------
@click.group(
    cls=_Group,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-CN", "zh"]),
    default="en",
    show_default=True,
    help="Language of labels and messages.",
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
@click.version_option(__version__, prog_name=PROG)
@click.pass_context
def cli(
    ctx: click.Context,
    lang: str,
    as_json: bool,
    db: str,
    definitions: tuple[str, ...],
    now: str | None,
) -> None:
    """Collegium: a workflow and rules engine for collective decision procedures.

    Procedures and rule packs are YAML; every step is checked against every rule that binds it, and
    kept in a tamper-evident log. Try `collegium demo`.
    """
    ctx.obj = Settings(
        lang="zh-CN" if lang == "zh" else lang,
        as_json=as_json,
        db=db,
        now=now,
        definitions=definitions,
    )


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point (``collegium``)."""
    cli.main(args=argv, prog_name=PROG)
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode


if __name__ == "__main__":  # pragma: no cover
    main()
