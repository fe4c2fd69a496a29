"""What every part of the command line shares: the global settings, the engine and registry, JSON
output.

Light on purpose (only click and the standard library at import time), so that ``collegium --help``
stays fast; the engine and the renderer are imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from collegium import Message
from collegium.errors import CollegiumError, InvalidInput, NotFound

if TYPE_CHECKING:
    from collegium import Clock, Engine, IdFactory, Instance, Outcome, Registry

PROG = "collegium"


@dataclass(frozen=True, slots=True)
class Settings:
    """The group's global options, shared with every command through ``ctx.obj``."""

    lang: str = "en"
    as_json: bool = False
    db: str = "./collegium.db"
    now: str | None = None
    #: files and folders of definitions to load beside the built-in ones (``--definitions``)
    definitions: tuple[str, ...] = ()
    #: show an error's traceback as well as its line (``--debug``)
    debug: bool = False
    #: the zone times are shown in (``--tz``), as given; None: the machine's local zone
    tz: str | None = None


class BadUsage(click.UsageError):
    """A usage error of Collegium's own (click's are in English): its message, a catalogue
    :class:`Message` or an error's, said in the language ``--lang`` asked for, as is the hint
    :class:`UsageLine` adds."""

    def __init__(self, message: Message | CollegiumError, ctx: click.Context | None = None) -> None:
        lang = _lang_of(ctx)
        said = message.say(lang) if isinstance(message, Message) else message.message(lang)
        super().__init__(said, ctx)
        self.lang = lang


class UsageLine(click.ClickException):
    """A usage error (unknown option, value out of range, missing argument) told in one line on
    stderr, ``collegium: error: …``, like every other error, instead of click's usage block. Exit
    code 2."""

    exit_code = 2

    def __init__(self, exc: click.UsageError) -> None:
        lang = exc.lang if isinstance(exc, BadUsage) else _lang_of(exc.ctx)
        text = " ".join(exc.format_message().split())
        if not isinstance(exc, BadUsage):
            from collegium.commands import clickwords  # read only when click refuses a usage

            text = clickwords.said(text, lang)  # click's own words, in lang
        text = text if len(text) <= 300 else f"{text[:150]}…{text[-100:]}"  # a value may be long
        if exc.ctx is not None:
            text = Message(
                "{problem} (see '{command} --help')", problem=text, command=exc.ctx.command_path
            ).say(lang)
        super().__init__(text)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"{PROG}: error: {self.format_message()}", err=True)


def _lang_of(ctx: click.Context | None) -> str:
    """The language ``--lang`` asked for, as far as click has read the command line."""
    root = ctx.find_root() if ctx is not None else None
    lang = root.params.get("lang") if root is not None else None
    return lang if isinstance(lang, str) else settings().lang


@contextmanager
def usage_in_one_line() -> Iterator[None]:
    """Turn click's usage and parameter errors raised in the block into :class:`UsageLine`."""
    try:
        yield
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a group given no command shows its help
            raise
        raise UsageLine(exc) from None


def settings() -> Settings:
    """The settings of the current click context (or of its nearest parent that has them)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, Settings):
            return ctx.obj
        ctx = ctx.parent
    return Settings()


_OFFSET = re.compile(r"([+-])(\d\d):?(\d\d)?")


def parse_zone(text: str) -> dt.tzinfo:
    """``--tz``: a fixed offset (``+08:00``, ``-0530``, ``Z``, ``UTC``) or a zone name the system
    knows (``Asia/Shanghai``). Raises :class:`InvalidInput` for anything else."""
    value = text.strip()
    if value.upper() in ("Z", "UTC"):
        return dt.UTC
    found = _OFFSET.fullmatch(value)
    if found is not None:
        sign, hours, minutes = found.groups()
        span = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if span < dt.timedelta(hours=24):
            return dt.timezone(-span if sign == "-" else span)
    elif value and not value.startswith(("/", ".")):
        import zoneinfo

        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise InvalidInput(
        Message(
            "--tz must be an offset such as +08:00, Z or UTC, or a zone name such as "
            "Asia/Shanghai, not {zone!r:.60}",
            zone=text,
        )
    )


def display_zone(default: dt.tzinfo | None = None) -> dt.tzinfo | None:
    """The zone times are shown to a person in: ``--tz`` (or ``COLLEGIUM_TZ``) when given, else
    ``default`` (a scenario's own zone), else None: the machine's local zone."""
    given = settings().tz
    return parse_zone(given) if given else default


def emit_json(value: Any) -> None:
    from collegium.commands.render import dump_json

    click.echo(dump_json(value))


def make_clock() -> Clock:
    from collegium import FixedClock, SystemClock, parse_time

    s = settings()
    if s.now:
        return FixedClock(parse_time(s.now, "--now"))
    return SystemClock()


def open_engine(
    *,
    writes: bool,
    create: bool = False,
    ids: IdFactory | None = None,
    clock: Clock | None = None,
) -> Engine:
    """An engine on ``--db``. A command that ``writes`` brings the database's tables to the
    current schema (creating them in a new one); one that does not refuses a database that is
    not at the current schema, with a hint, and changes no table (a read writes nothing; the relay
    only acknowledges outbox entries). A SQLite file that does not exist is refused unless the
    command may ``create`` it."""
    from collegium import Engine, RandomIds

    db = settings().db
    if not create and "://" not in db and not Path(db).exists():
        raise NotFound(
            Message(
                "no database at {db!r}; give --db, or create one with '{prog} db upgrade'",
                db=db,
                prog=PROG,
            )
        )
    return Engine.open(
        db,
        clock=clock or make_clock(),
        ids=ids or RandomIds(),
        registry=registry(),
        auto_migrate=writes,
    )


def registry(*more: str | Path) -> Registry:
    """The built-in definitions and those of ``--definitions`` (read once per command), plus the
    files and folders ``more`` names (a scenario's own)."""
    from collegium import Registry

    ctx = click.get_current_context(silent=True)
    meta: dict[str, Any] = ctx.meta if ctx is not None else {}
    found: Registry | None = meta.get("collegium.registry")
    if found is None:
        found = meta["collegium.registry"] = Registry.builtin()
        found.load(*settings().definitions)
    if more:
        found.load(*more)
    return found


def parse_payload(data_json: str | None, pairs: tuple[str, ...]) -> dict[str, Any]:
    """``--data JSON`` then each ``-d key=value`` (the value parsed as JSON when it is JSON, else
    text)."""
    data: dict[str, Any] = {}
    if data_json is not None:
        try:
            value = json.loads(data_json)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                Message(
                    "--data is not valid JSON: {problem} (column {column})",
                    problem=exc.msg,
                    column=exc.colno,
                )
            ) from None
        except RecursionError:
            raise InvalidInput(Message("--data nests too deeply")) from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise InvalidInput(
                Message("--data has a value that cannot be read: {problem}", problem=exc)
            ) from None
        if not isinstance(value, dict):
            raise InvalidInput(Message('--data must be a JSON object, e.g. \'{{"member": "m1"}}\''))
        data.update(value)
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(Message("-d expects key=value, got {pair!r}", pair=pair))
        try:
            data[key] = json.loads(raw)
        except ValueError:
            data[key] = raw
    return data


def state_label(registry: Registry, inst: Instance, lang: str, state: str | None = None) -> str:
    state = state or inst.state
    try:
        spec = registry.procedure(inst.procedure, inst.procedure_version)
    except NotFound:
        return state
    st = spec.states.get(state)
    return st.label.get(lang) if st is not None else state


def outcome_doc(registry: Registry, o: Outcome, lang: str) -> dict[str, Any]:
    """The JSON document of a step that was taken (start, fire, a meeting or ballot command)."""
    return {
        "ok": True,
        "instance": o.instance.id,
        "procedure": o.instance.procedure,
        "trigger": o.event.trigger,
        "actor": o.event.actor,
        "at": o.event.at,
        "source": o.event.source,
        "state": o.instance.state,
        "state_label": state_label(registry, o.instance, lang),
        "version": o.instance.version,
        "event": o.event.seq,
        "replayed": o.replayed,
        "started": list(o.started),
        "verdict": o.verdict.to_dict(lang),
    }


def show_outcome(registry: Registry, o: Outcome) -> None:
    """Print a step that was taken: its JSON document, or the move, any warnings and children
    started."""
    from rich.text import Text as RichText

    from collegium._words import word
    from collegium.commands.render import console, failure_lines, named

    s = settings()
    if s.as_json:
        emit_json(outcome_doc(registry, o, s.lang))
        return
    con = console()
    label = state_label(registry, o.instance, s.lang)
    con.print(
        RichText(
            word(
                "moved",
                s.lang,
                instance=o.instance.id,
                trigger=o.event.trigger,
                state=named(label, o.instance.state),
            )
        )
    )
    if o.replayed:
        con.print(RichText(word("replayed", s.lang), style="yellow"))
    warnings = o.verdict.warnings
    if warnings:
        con.print(RichText(word("warning", s.lang) + ":", style="yellow"))
        for line in failure_lines(warnings, s.lang):
            con.print(RichText(line, style="yellow"))
    if o.started:
        con.print(RichText(word("started", s.lang, instances=", ".join(o.started))))
