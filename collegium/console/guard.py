"""Who may read the console: anyone who reaches it on the loopback interface, else whoever shows its
token (``Authorization: Bearer T``, or ``?token=T`` once, which the console turns into a cookie) or
its user name and password (HTTP basic auth). Secrets are compared with
:func:`hmac.compare_digest`, in time that does not tell how much of a guess was right.

Plain standard library: the command line checks its options with it before Flask is imported.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from dataclasses import dataclass

__all__ = ["COOKIE", "Guard", "is_loopback"]

#: the cookie a token given as ``?token=`` is kept in
COOKIE = "collegium_console_token"


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` lets only this machine connect (``127.0.0.1``, ``::1``,
    ``localhost``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _same(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Guard:
    """The secret a request must show: a ``token``, or a ``user`` and ``password``; neither: every
    request is admitted (the console listens on the loopback interface only)."""

    token: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def basic(cls, pair: str) -> Guard:
        """A guard from ``USER:PASS``; :class:`ValueError` when either side is empty."""
        user, sep, password = pair.partition(":")
        if not sep or not user or not password:
            raise ValueError(pair)
        return cls(user=user, password=password)

    @property
    def open(self) -> bool:
        """Whether every request is admitted."""
        return self.token is None and self.user is None

    def admits(
        self, authorization: str | None, *, param: str | None = None, cookie: str | None = None
    ) -> bool:
        """Whether a request with this ``Authorization`` header, ``?token=`` ``param`` and token
        ``cookie`` may read."""
        if self.open:
            return True
        scheme, _, value = (authorization or "").strip().partition(" ")
        if self.token is not None:
            shown = [value.strip()] if scheme.lower() == "bearer" else []
            shown += [t for t in (param, cookie) if t]
            return any(_same(t, self.token) for t in shown)
        if scheme.lower() != "basic" or self.user is None or self.password is None:
            return False
        try:
            pair = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, _, password = pair.partition(":")
        # both compared, whichever differs: the time does not tell which one was wrong
        return _same(user, self.user) & _same(password, self.password)

    def challenge(self) -> str | None:
        """The ``WWW-Authenticate`` header of a refusal: basic auth asks the browser for a user
        name and password; a token has no dialogue to ask with."""
        return 'Basic realm="collegium", charset="UTF-8"' if self.user is not None else None
