"""The read-only web console (``collegium serve``): server-rendered pages over one engine, for
people who look at decisions rather than run them.

- :mod:`~collegium.console.app` builds the Flask application (:func:`create_app`): GET and HEAD
  routes only, every page in English or Chinese, each value escaped by Jinja's autoescape;
- :mod:`~collegium.console.guard` admits a request (:class:`Guard`): by a bearer token or HTTP
  basic auth, compared in constant time, or anyone when the console listens on the loopback
  interface only (:func:`is_loopback`);
- :mod:`~collegium.console.pages` gathers what each page shows from the public API, as typed
  records: instances a page of 50 at a time through ``Engine.scan`` (a keyset, never the whole
  table), an instance's timeline, verdicts, facts, children and ballot, overdue tasks and open
  cases.

Flask is imported with :mod:`~collegium.console.app` only (``pip install 'collegium[console]'``):
the names here are imported when first used, so :class:`Guard` needs no Flask, and neither
``import collegium`` nor the command line's other commands import this package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["Guard", "create_app", "is_loopback"]

_WHERE = {
    "create_app": "collegium.console.app",
    "Guard": "collegium.console.guard",
    "is_loopback": "collegium.console.guard",
}

if TYPE_CHECKING:
    from collegium.console.app import create_app
    from collegium.console.guard import Guard, is_loopback


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'collegium.console' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
