"""The store's modules left ``collegium.engine`` for ``collegium.store`` (and a few shared names for
the package's top): each old import path still gives the same object for one release, and warns."""

from __future__ import annotations

import importlib

import pytest

#: old module -> (new module, a name it held)
MOVED = {
    "collegium.engine.sqlstore": ("collegium.store.sqlstore", "SqlStore"),
    "collegium.engine.memstore": ("collegium.store.memstore", "MemoryStore"),
    "collegium.engine.store": ("collegium.store.protocol", "Write"),
    "collegium.engine.records": ("collegium.store.records", "EventRecord"),
    "collegium.engine.heads": ("collegium.store.heads", "ChainHead"),
    "collegium.engine.outbox": ("collegium.store.outbox", "Outbox"),
    "collegium.engine.hosted": ("collegium.store.hosted", "upgrade"),
    "collegium.engine.schema": ("collegium.store.schema", "metadata"),
    "collegium.engine.migration": ("collegium.store.migration", "migrate"),
    "collegium.engine.mariadb": ("collegium.store.mariadb", "check_columns"),
    "collegium.engine.dberrors": ("collegium.store.dberrors", "by_state"),
    "collegium.engine.sqlengine": ("collegium.store.sqlengine", "make_engine"),
    "collegium.engine.sqlunit": ("collegium.store.sqlunit", "SqlUnit"),
    "collegium.engine.sqliteunit": ("collegium.store.sqliteunit", "SqliteUnit"),
    "collegium.engine.sqlbodies": ("collegium.store.sqlbodies", "write_body"),
    "collegium.engine.sqlheads": ("collegium.store.sqlheads", "CHAINS"),
    "collegium.engine.bodychain": ("collegium.store.bodychain", "BodyEvent"),
    "collegium.engine.governance": ("collegium.store.bodies", "Member"),
    "collegium.engine.reserved": ("collegium._reserved", "SYSTEM_ACTOR"),
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_path_gives_the_same_object_and_warns(old: str) -> None:
    new, name = MOVED[old]
    with pytest.warns(DeprecationWarning, match=rf"{old}\.{name} has moved to {new}\.{name}"):
        found = getattr(importlib.import_module(old), name)
    assert found is getattr(importlib.import_module(new), name)


def test_a_from_import_of_an_old_path_warns_where_it_is_written() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        from collegium.engine.sqlstore import SqlStore
    from collegium import SqlStore as public

    assert SqlStore is public
    assert caught[0].filename == __file__


def test_a_name_an_old_module_never_had_is_an_attribute_error_without_a_warning() -> None:
    import collegium.engine.records as old

    with pytest.raises(AttributeError, match=r"collegium\.engine\.records.* 'Nothing'"):
        old.Nothing  # noqa: B018
    with pytest.raises(AttributeError):
        importlib.import_module("collegium.engine.governance").Directory2  # noqa: B018


def test_what_stayed_in_the_engine_is_there_without_a_warning() -> None:
    from collegium.engine.bodychain import verify_bodies
    from collegium.engine.governance import Directory, build_attendance

    assert callable(verify_bodies) and callable(build_attendance) and Directory is not None
