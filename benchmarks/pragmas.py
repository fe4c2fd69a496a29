"""The raw ``sqlite3`` floors run with the very settings Collegium's
SQLite store gives its connections.

:func:`connect` opens a floor connection with the pragmas ``SqlStore`` sets
(``collegium/engine/sqlstore.py``); :func:`check_same` reads the settings that shape a
write's cost on both connections and fails the run if any differs, so a ratio never compares
a durable commit with a cheaper one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from collegium.engine.engine import Engine

#: what SqlStore sets on every SQLite connection (the floor sets the same, in the same order)
SETTINGS = ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=FAST", "busy_timeout=30000")
#: settings compared between Collegium's connection and the floor's
COMPARED = (
    "journal_mode",
    "synchronous",
    "secure_delete",
    "busy_timeout",
    "wal_autocheckpoint",
    "page_size",
    "cache_size",
    "temp_store",
    "locking_mode",
    "journal_size_limit",
)


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for setting in SETTINGS:
        conn.execute(f"PRAGMA {setting}")
    return conn


def read(conn: Any) -> dict[str, Any]:
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in COMPARED}


def check_same(engine: Engine, floor: sqlite3.Connection) -> None:
    """Raise if the floor's connection differs from the engine's in any compared setting."""
    pooled = engine.store.engine.raw_connection()  # type: ignore[attr-defined]
    try:
        ours = read(pooled.dbapi_connection)
    finally:
        pooled.close()
    theirs = read(floor)
    if ours != theirs:
        diff = {k: (ours[k], theirs[k]) for k in COMPARED if ours[k] != theirs[k]}
        raise AssertionError(
            f"the floor's SQLite settings differ from Collegium's (collegium, floor): {diff}"
        )
