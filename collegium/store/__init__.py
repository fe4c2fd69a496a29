"""Where the engine keeps what it does: the store protocol, its records and its two stores.

:class:`~collegium.store.sqlstore.SqlStore` keeps everything in SQLAlchemy tables
(:mod:`~collegium.store.schema`, migrated by the Alembic revisions in ``migrations/``) on SQLite,
PostgreSQL or MariaDB, also inside a host's own transaction (:mod:`~collegium.store.hosted`);
:class:`~collegium.store.memstore.MemoryStore` keeps it in memory. Both deliver committed events
to subscribers through the outbox (:mod:`~collegium.store.outbox`). The engine talks to a store
only through :mod:`~collegium.store.protocol`. Nothing here imports the engine: the store depends
on the records it keeps, the shared modules of the package and third-party libraries.
"""
