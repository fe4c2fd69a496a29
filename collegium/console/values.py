"""Times as the console shows them (:class:`TimeFace`): as the command line shows them. A fact's
value, a step's data, is read into a tree to draw by :mod:`collegium._facts_shown`, as the command
line reads it; the templates draw the tree, and Jinja escapes every text in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from collegium._facts_shown import Face

__all__ = ["TimeFace"]


class TimeFace(Face, Protocol):
    """How a time reaches a person (the command line's ``Times``): to the minute in the zone
    ``--tz`` names, the offset said once."""

    #: the zone times are shown in; None: the machine's local zone
    zone: dt.tzinfo | None
    offset: str | None

    def line(self, value: Any) -> str: ...

    def caption(self, lang: str) -> str | None: ...
