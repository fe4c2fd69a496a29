"""``collegium relay``: the outbox of ``--db`` delivered to RabbitMQ or NATS JetStream
(:class:`collegium.Relay`), once (``--once``) or until stopped (Ctrl-C, or SIGTERM)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from collegium.commands.common import BadUsage, emit_json, open_engine, settings
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium import Relay, RelayPass

__all__ = ["relay"]


def _target(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``--to``, read when it is given: a URL of another form is one line and exit 2."""
    from collegium import parse_target

    try:
        parse_target(value)
    except InvalidInput as exc:
        raise BadUsage(exc, ctx) from None
    return value


@click.command()
@click.option(
    "--to",
    "to",
    required=True,
    envvar="COLLEGIUM_RELAY_TO",
    metavar="URL",
    callback=_target,
    help="The broker: amqp://USER:PASSWORD@HOST:5672/%2F?exchange=NAME&routing_key=TEMPLATE, "
    "or nats://HOST:4222?stream=NAME&subject=TEMPLATE; a template's placeholders are {trigger} "
    "and {instance} (default collegium.{trigger}). See docs/relay.md (env COLLEGIUM_RELAY_TO).",
)
@click.option(
    "--once", is_flag=True, help="Deliver what is pending, then stop (exit 2 if the broker fails)."
)
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=10_000),
    default=100,
    show_default=True,
    help="Entries read, and acknowledged, at a time.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.01, max=3600),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait before looking at an empty outbox again.",
)
def relay(to: str, once: bool, batch: int, interval: float) -> None:
    """Deliver the outbox of --db to a message broker (RabbitMQ or NATS JetStream) at least once, in
    order per instance, each message with its event's id; an entry is acknowledged only after the
    broker confirmed it. Runs until stopped (Ctrl-C), connecting again after a broker failure;
    --once delivers what is pending and stops."""
    from collegium import Relay

    with open_engine(writes=False) as engine, Relay(engine.outbox, to, batch=batch) as relaying:
        if once:
            _once(relaying)
        else:
            _forever(relaying, interval)


def _once(relaying: Relay) -> None:
    from collegium import BrokerUnavailable

    try:
        relaying.deliver()
    except BrokerUnavailable:
        if relaying.delivered:
            _said(relaying, relaying.delivered)
        raise
    _said(relaying, relaying.delivered)


def _said(relaying: Relay, count: int) -> None:
    from collegium._words import word

    s = settings()
    to = relaying.target.shown
    if s.as_json:
        emit_json({"relayed": count, "to": to})
    else:
        click.echo(word("relay.delivered", s.lang, count=count, to=to))


def _forever(relaying: Relay, interval: float) -> None:
    from collegium._words import word

    s = settings()
    to = relaying.target.shown
    if not s.as_json:
        click.echo(word("relay.started", s.lang, to=to), err=True)

    def report(done: RelayPass) -> None:
        problem = done.error.message(s.lang) if done.error is not None else None
        if s.as_json:
            line: dict[str, Any] = {"relayed": done.delivered, "to": to, "error": problem}
            if done.retry_in is not None:
                line["retry_in"] = done.retry_in
            click.echo(_one_line(line))
            return
        if done.delivered:
            click.echo(word("relay.delivered", s.lang, count=done.delivered, to=to))
        if problem is not None:
            seconds = f"{done.retry_in:g}"
            click.echo(word("relay.retry", s.lang, problem=problem, seconds=seconds), err=True)

    stop = threading.Event()
    with _stopped_by_sigterm(stop):
        relaying.run(stop=stop, interval=interval, report=report)
    if not s.as_json:
        click.echo(word("relay.stopped", s.lang, count=relaying.delivered), err=True)


def _one_line(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@contextmanager
def _stopped_by_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM sets ``stop`` (the relay ends its message in hand, acknowledges, closes), instead of
    ending the process at once; the handler before is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
