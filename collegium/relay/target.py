"""Where a relay delivers: the ``--to`` URL, read into a :class:`Target`.

Two forms, one per kind of broker:

``amqp://USER:PASSWORD@HOST:PORT/VHOST?exchange=NAME&routing_key=TEMPLATE`` (or ``amqps://``)
    An AMQP 0-9-1 broker (RabbitMQ). The vhost is URL-encoded (``/%2F`` is the default vhost
    ``/``). ``exchange`` (default ``collegium``) is used as it is when it exists, else declared as a
    durable topic exchange. ``routing_key`` (default ``collegium.{trigger}``) is each message's
    routing key. Any other query parameter is the AMQP client's own (``heartbeat``,
    ``socket_timeout``, ``connection_attempts`` …).
``nats://HOST:PORT?stream=NAME&subject=TEMPLATE`` (or ``tls://``; ``USER:PASSWORD@`` when the
server asks)
    A NATS server with JetStream. ``stream`` (default ``COLLEGIUM``) is used as it is when it
    exists, else created on file storage, taking the subjects the template can give (its
    placeholders as ``*``). ``subject`` (default ``collegium.{trigger}``) is each message's subject.

A template's placeholders are ``{trigger}`` and ``{instance}``: the event's trigger and its
instance's id, each character outside letters, digits, ``_`` and ``-`` written as ``_`` (a dot
would split a topic's words). Both forms take ``timeout`` (seconds, default 10): how long to wait
for a connection and for the broker's confirmation of a message.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from collegium._catalog import Message
from collegium.errors import InvalidInput

__all__ = ["Target", "parse_target"]

#: URL scheme -> the kind of broker
_KINDS: Final = {"amqp": "amqp", "amqps": "amqp", "nats": "nats", "tls": "nats"}
#: the relay's own query parameters, per kind; with their defaults
_OWN: Final = {
    "amqp": {"exchange": "collegium", "routing_key": "collegium.{trigger}"},
    "nats": {"stream": "COLLEGIUM", "subject": "collegium.{trigger}"},
}
_PLACEHOLDERS: Final = frozenset({"trigger", "instance"})
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_-]")
_EXCHANGE: Final = re.compile(r"[A-Za-z0-9_.:-]{1,127}")
_STREAM: Final = re.compile(r"[A-Za-z0-9_-]{1,255}")
_SUBJECT_WORD: Final = re.compile(r"[^\s.*>]+")
_TIMEOUT: Final = 10.0
_PASSWORD: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@]*):[^/?#]*@")
_TOKEN: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^:/?#@]+@")


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A broker and where on it a relay delivers (read one with
    :func:`~collegium.relay.target.parse_target`)."""

    #: ``amqp`` or ``nats``
    kind: str
    #: the URL the broker's client connects to: the one given without the relay's own parameters
    url: str
    #: the exchange (AMQP) or the stream (JetStream)
    destination: str
    #: the routing key (AMQP) or subject (JetStream) of each message, with its placeholders
    template: str
    #: seconds to wait for a connection, and for the broker's confirmation of a message
    timeout: float = _TIMEOUT

    @property
    def shown(self) -> str:
        """The URL as a person may read it: any password written as ``***``."""
        return _hide_password(self.url)

    def address(self, trigger: str, instance: str) -> str:
        """The routing key or subject of an event of ``instance`` fired by ``trigger``."""
        return self.template.format(
            trigger=_UNSAFE.sub("_", trigger) or "_", instance=_UNSAFE.sub("_", instance) or "_"
        )

    @property
    def subjects(self) -> str:
        """Every address the template can give, as one NATS subject pattern (``collegium.*``)."""
        return self.template.format(trigger="*", instance="*")


def parse_target(url: str) -> Target:
    """The :class:`~collegium.relay.target.Target` ``url`` names;
    :class:`~collegium.errors.InvalidInput` for any other URL (an unknown
    scheme, a bad name or template, a parameter given twice, a timeout that is not a positive
    number)."""
    try:
        parts = urlsplit(url.strip())
        kind = _KINDS.get(parts.scheme.lower())
        host = parts.hostname
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        kind = host = None
    if kind is None or not host:
        raise InvalidInput(
            Message(
                "a relay delivers to an amqp://, amqps://, nats:// or tls:// URL with a host, "
                "not {url!r:.80}",
                url=_hide_password(url),
            )
        )
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidInput(
            Message("the URL gives {name!r} more than once", name=twice[0]),
        )
    given = dict(pairs)
    own = {name: given.pop(name, default) for name, default in _OWN[kind].items()}
    timeout = _timeout(given.pop("timeout", None))
    if kind == "nats" and given:
        raise InvalidInput(
            Message(
                "a nats:// URL takes stream, subject and timeout, not {name!r}",
                name=sorted(given)[0],
            )
        )
    destination, template = (
        own["exchange" if kind == "amqp" else "stream"],
        own["routing_key" if kind == "amqp" else "subject"],
    )
    _check_names(kind, destination, template)
    return Target(
        kind=kind,
        url=urlunsplit(parts._replace(query=urlencode(given), fragment="")),
        destination=destination,
        template=template,
        timeout=timeout,
    )


def _timeout(value: str | None) -> float:
    if value is None:
        return _TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86400:
        raise InvalidInput(
            Message(
                "timeout must be a number of seconds above 0 and below one day, not {value!r:.40}",
                value=value,
            )
        )
    return seconds


def _check_names(kind: str, destination: str, template: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError:  # a lone brace
        fields = [""]
    if not template or any(name not in _PLACEHOLDERS for name in fields):
        raise InvalidInput(
            Message(
                "{template!r:.80} may hold the placeholders {{trigger}} and {{instance}} only",
                template=template,
            )
        )
    if kind == "amqp":
        if not _EXCHANGE.fullmatch(destination):
            raise InvalidInput(
                Message(
                    "an exchange name is 1 to 127 letters, digits, '-', '_', '.' or ':', "
                    "not {name!r:.80}",
                    name=destination,
                )
            )
        return
    if not _STREAM.fullmatch(destination):
        raise InvalidInput(
            Message(
                "a stream name is letters, digits, '-' and '_', not {name!r:.80}", name=destination
            )
        )
    sample = template.format(trigger="t", instance="i")
    if not all(_SUBJECT_WORD.fullmatch(word) for word in sample.split(".")):
        raise InvalidInput(
            Message(
                "a subject is words separated by dots, without spaces, '*' or '>', "
                "not {subject!r:.80}",
                subject=template,
            )
        )


def _hide_password(url: str) -> str:
    """``url`` with the password of its ``user:password@`` written as ``***``, and a user-info
    without a colon (a NATS token, ``nats://TOKEN@host``) written as ``***`` whole."""
    hidden = _PASSWORD.sub(r"\1:***@", url, count=1)
    return hidden if hidden != url else _TOKEN.sub(r"\1***@", url, count=1)
