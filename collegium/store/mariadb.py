"""The MariaDB settings a store refuses to run under: those that would make two ids compare as
one, or change a value without an error. Checked once, when a store opens (on its own connection
or on the host's): the session before anything is migrated, the columns after.

- **The connection's character set** (``character_set_client``, ``_connection``, ``_results``)
  must be utf8mb4. Under utf8 (utf8mb3, e.g. ``?charset=utf8`` in the URL) every character
  outside the Basic Multilingual Plane is read back as ``?``, so ``x😀`` and ``x😁`` come back as
  one ``x?``; under latin1 most ids cannot be sent at all.
- **sql_mode** must be strict (``STRICT_TRANS_TABLES`` or ``STRICT_ALL_TABLES``): otherwise a
  value too long for its column is cut, and one the column cannot hold replaced, each with only a
  warning; and it must not hold ``EMPTY_STRING_IS_NULL``, which stores an empty text as NULL.
- **Every text column of Collegium's tables** must have the binary no-pad collation
  (:data:`~collegium.store.schema.EXACT_COLLATION`), as revision 0007 makes them: another
  collation takes ``m3``, ``M3`` and ``m3 `` for one person.

The connection's collation (``collation_connection``) does not matter: a column's collation
decides a comparison with a value the driver sends.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, text

from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store import schema as s

#: SQLAlchemy's names of the dialect (a ``mysql://`` URL to a MariaDB server is "mysql")
MARIADB = ("mysql", "mariadb")
CHARSET = "utf8mb4"
STRICT = frozenset({"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES"})
_SESSION = text(
    "SELECT @@character_set_client, @@character_set_connection, @@character_set_results, @@sql_mode"
)
_COLUMNS = text(
    "SELECT TABLE_NAME, COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN :tables AND COLLATION_NAME IS NOT NULL "
    "AND COLLATION_NAME <> :exact ORDER BY TABLE_NAME, ORDINAL_POSITION LIMIT 1"
).bindparams(bindparam("tables", expanding=True))


def check_session(conn: Connection) -> None:
    """Raise :class:`InvalidInput` naming the first setting of this MariaDB session under which
    ids would not compare exactly or values could change silently: its character sets, its
    sql_mode."""
    client, connection, results, sql_mode = conn.execute(_SESSION).one()
    for name, value in (
        ("character_set_client", client),
        ("character_set_connection", connection),
        ("character_set_results", results),
    ):
        if value == CHARSET or (name == "character_set_results" and value is None):  # NULL: as is
            continue
        raise InvalidInput(
            Message(
                "MariaDB's {name} is {value}, not {charset}: characters outside it "
                "are read back as '?', so distinct ids would become one; connect with "
                "charset={charset} (in the URL: ?charset={charset})",
                name=name,
                value=value,
                charset=CHARSET,
            )
        )
    modes = {mode.strip().upper() for mode in str(sql_mode or "").split(",")}
    if not modes & STRICT:
        raise InvalidInput(
            Message(
                "MariaDB's sql_mode {mode!r} is not strict: a value too long for "
                "its column would be cut without an error; add STRICT_TRANS_TABLES to "
                "the server's sql_mode (or to the session's, e.g. by init_command)",
                mode=sql_mode,
            )
        )
    if "EMPTY_STRING_IS_NULL" in modes:
        raise InvalidInput(
            Message(
                "MariaDB's sql_mode has EMPTY_STRING_IS_NULL, which stores empty text "
                "as NULL; remove it from the server's sql_mode (or from the session's)"
            )
        )


def check_columns(conn: Connection) -> None:
    """Raise :class:`InvalidInput` naming the first text column of Collegium's tables that does
    not compare byte for byte."""
    found = conn.execute(
        _COLUMNS, {"tables": list(s.metadata.tables), "exact": s.EXACT_COLLATION}
    ).first()
    if found is not None:
        table, column, collation = found
        raise InvalidInput(
            Message(
                "MariaDB column {table}.{column} compares by {collation}, not {exact}, "
                "so ids that differ in case or trailing spaces would be one: convert the table "
                "(ALTER TABLE {table} CONVERT TO CHARACTER SET {charset} COLLATE "
                "{exact}; 'collegium db upgrade' does it for a schema older than "
                "revision 0007)",
                table=table,
                column=column,
                collation=collation,
                exact=s.EXACT_COLLATION,
                charset=CHARSET,
            )
        )
