"""The text forms Collegium writes and hashes, shared by the engine and the store.

Canonical JSON is what the store keeps and what the audit chains hash, so both rooms encode with
:func:`canonical`; an ISO 8601 duration names a timer's reminder in its stored record and in the
procedures' handbook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept (hashes do not depend on formatting).

    Encoded with orjson: the same text as ``json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` for the values Collegium stores (text, whole numbers, booleans, lists and
    mappings with text keys), at about a tenth of the cost — this runs several times per step.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def digest(text: str) -> str:
    """SHA-256 of ``text``'s UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso_duration(span: dt.timedelta) -> str:
    """``P7D``, ``P1DT12H``, ``PT30M``: a whole-second span as an ISO 8601 duration."""
    days, rest = divmod(int(span.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not clock:
        return "PT0S"
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
