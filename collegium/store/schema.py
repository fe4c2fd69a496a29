"""Tables, in their own MetaData under a ``collegium_`` prefix so they sit beside a host's own
tables.

JSON is stored as text in Collegium's canonical encoding, which is what the audit hashes; times are
canonical UTC text (``2026-03-01T01:00:00.000000Z``), which sorts as it compares on every backend.
Text compares byte for byte on every backend (on MariaDB by the tables' :data:`EXACT_COLLATION`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

PREFIX = "collegium_"
VERSION_TABLE = "collegium_alembic_version"
HEAD_REVISION = "0009"

metadata = MetaData()

LongText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
EventId = BigInteger().with_variant(Integer(), "sqlite")
#: MariaDB: every table is utf8mb4 with the binary no-pad collation, so every text column (ids,
#: keys, roles, people, states, triggers, choices, indexed values) compares byte for byte, as
#: SQLite and PostgreSQL compare text. The server's default collation ignores case, and a PAD
#: SPACE one trailing spaces: 'm3', 'M3' and 'm3 ' would be one member. A migration that creates
#: a table gives it these options (a store refuses to open on a column without them).
EXACT_COLLATION = "utf8mb4_nopad_bin"
EXACT_TEXT: dict[str, Any] = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": EXACT_COLLATION,
    "mariadb_charset": "utf8mb4",
    "mariadb_collate": EXACT_COLLATION,
}

instances = Table(
    f"{PREFIX}instances",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("procedure", String(64), nullable=False),
    Column("procedure_version", Integer, nullable=False),
    Column("pack", String(64), nullable=False),
    Column("pack_version", String(64), nullable=False),
    Column("state", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("facts", LongText, nullable=False),
    Column("parent_id", String(128), nullable=True),
    Column("head_hash", String(64), nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index(
        f"ix_{PREFIX}instances_procedure_state_id", "procedure", "state", "id"
    ),  # Engine.scan pages it
    Index(f"ix_{PREFIX}instances_parent", "parent_id"),
    **EXACT_TEXT,
)

events = Table(
    f"{PREFIX}events",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("instance_id", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("trigger", String(64), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("source", String(64), nullable=True),
    Column("dest", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("data", LongText, nullable=False),
    Column("verdict", LongText, nullable=False),
    Column("effects", LongText, nullable=False),
    Column("facts_sha", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("idempotency_key", String(128), nullable=True),
    #: collegium.store.records.EVENT_FORMAT when written; 1 for events written before formats were
    #: recorded
    Column("format_version", SmallInteger, nullable=False, server_default="1"),
    UniqueConstraint("instance_id", "seq", name=f"uq_{PREFIX}events_chain"),
    UniqueConstraint("instance_id", "idempotency_key", name=f"uq_{PREFIX}events_idempotency"),
    **EXACT_TEXT,
)

bodies = Table(
    f"{PREFIX}bodies",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("title", Text, nullable=True),
    #: the length and last hash of the body's chain of definitions (collegium_body_events)
    Column("event_count", Integer, nullable=False, server_default="0"),
    Column("head_hash", String(64), nullable=False, server_default=""),
    **EXACT_TEXT,
)

members = Table(
    f"{PREFIX}members",
    metadata,
    Column("body_id", String(128), primary_key=True),
    Column("person", String(128), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("role", String(64), nullable=False),
    Column("voting", Boolean, nullable=False),
    Column("name", String(256), nullable=True),
    **EXACT_TEXT,
)

# The hash chain of each body's definitions (collegium.store.bodychain): the rows above must equal
# the last one.
body_events = Table(
    f"{PREFIX}body_events",
    metadata,
    Column("body_id", String(128), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    #: None for the definition a database held when its bodies were first chained (revision 0008)
    Column("at", String(32), nullable=True),
    Column("definition", LongText, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("format_version", SmallInteger, nullable=False),
    **EXACT_TEXT,
)

timers = Table(
    f"{PREFIX}timers",
    metadata,
    Column("instance_id", String(128), primary_key=True),
    Column("trigger", String(64), primary_key=True),
    #: 0: the timer; else a reminder, this many seconds before the timer falls due
    Column("lead_seconds", Integer, primary_key=True, autoincrement=False),
    Column("state", String(64), nullable=False),
    Column("due_at", String(32), nullable=False),
    Column("entered_seq", Integer, nullable=False),
    Index(f"ix_{PREFIX}timers_due", "due_at"),
    **EXACT_TEXT,
)

# Meetings: the membership frozen when a meeting opens, with attendance and the view each member
# stated.
seats = Table(
    f"{PREFIX}seats",
    metadata,
    Column("meeting_id", String(255), primary_key=True),
    Column("person", String(128), primary_key=True),
    Column("seat_no", Integer, nullable=False),
    Column("role", String(64), nullable=False),
    Column("voting", Boolean, nullable=False),
    Column("attendance", String(16), nullable=False),
    Column("view", String(32), nullable=True),
    Column("view_at", String(32), nullable=True),
    **EXACT_TEXT,
)

# Ballots. A named (open) ballot keeps each voter's choice; a secret ballot keeps who returned a
# ballot in one table and its totals, written once by the tellers' count, in another: no column,
# key, order or time joins a voter to a choice (collegium.engine.counting).
votes = Table(
    f"{PREFIX}votes",
    metadata,
    Column("ballot_id", String(255), primary_key=True),
    Column("voter", String(128), primary_key=True),
    Column("choice", String(32), nullable=False),
    sqlite_with_rowid=False,
    **EXACT_TEXT,
)

ballot_voters = Table(
    f"{PREFIX}ballot_voters",
    metadata,
    Column("ballot_id", String(255), primary_key=True),
    Column("voter", String(128), primary_key=True),
    sqlite_with_rowid=False,  # no rowid: row order says nothing about who voted when
    **EXACT_TEXT,
)

# An electronic secret ballot's choices, each sealed to the tellers' key, from the vote until the
# count deletes them (collegium.engine.sealing). No column links a row to a voter; the key orders
# rows by ciphertext.
sealed_votes = Table(
    f"{PREFIX}sealed_votes",
    metadata,
    Column("ballot_id", String(255), primary_key=True),
    Column("sealed", String(128), primary_key=True),
    sqlite_with_rowid=False,
    **EXACT_TEXT,
)

ballot_counts = Table(
    f"{PREFIX}ballot_counts",
    metadata,
    Column("ballot_id", String(255), primary_key=True),
    Column("choice", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
    sqlite_with_rowid=False,
    **EXACT_TEXT,
)

# The facts a procedure declares under ``index``, one row per value (a list fact: one per element),
# for queries.
facts_index = Table(
    f"{PREFIX}facts_index",
    metadata,
    Column("instance_id", String(128), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("value", String(255), primary_key=True),
    Column("procedure", String(64), nullable=False),
    Index(f"ix_{PREFIX}facts_index_lookup", "procedure", "name", "value"),
    **EXACT_TEXT,
)

definitions = Table(
    f"{PREFIX}definitions",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(160), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("text", LongText, nullable=False),
    **EXACT_TEXT,
)

# The transactional outbox: one row per committed event, written in the event's transaction, deleted
# when the host acknowledges it. ``id`` is assigned at insert and orders delivery (see
# collegium.store.outbox on commit order).
outbox = Table(
    f"{PREFIX}outbox",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("instance_id", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    # ids are never reused: a repeated acknowledgement must not hit a newer entry
    sqlite_autoincrement=True,
    **EXACT_TEXT,
)
