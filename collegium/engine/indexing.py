"""The facts index: what a procedure declares under ``index`` becomes rows (name, value) kept beside
the instance, replaced in the same transaction whenever those facts change, so that queries select
by lead member, department or deadline without reading every instance's facts. Times are canonical
UTC text, so text order is time order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store.records import IndexRow, IndexRows

if TYPE_CHECKING:
    from collegium.engine.registry import Registry
    from collegium.store.records import InstanceRecord

#: Longest value the index holds (ids, departments and times are far shorter).
MAX_VALUE = 255


def rows(names: Iterable[str], facts: Mapping[str, Any]) -> tuple[IndexRow, ...]:
    """The index rows of ``facts`` for the indexed ``names``: one per value, one per element of a
    list."""
    out: set[IndexRow] = set()
    for name in names:
        value = facts.get(name)
        for v in value if isinstance(value, list | tuple) else () if value is None else (value,):
            text = str(v)
            if len(text) > MAX_VALUE:
                raise InvalidInput(
                    Message(
                        "{name} is too long to be indexed ({most} characters at most)",
                        name=name,
                        most=MAX_VALUE,
                    )
                )
            out.add(IndexRow(name=name, value=text))
    return tuple(sorted(out))


def changed(
    registry: Registry, old: InstanceRecord | None, records: Iterable[InstanceRecord]
) -> dict[str, IndexRows]:
    """Index rows to write for ``records`` (an update of ``old``, or new instances): only where they
    change."""
    out: dict[str, IndexRows] = {}
    for rec in records:
        names = registry.procedure(rec.procedure, rec.procedure_version).index
        if not names:
            continue
        new = rows(names, rec.facts)
        if old is not None and old.id == rec.id and rows(names, old.facts) == new:
            continue
        out[rec.id] = IndexRows(procedure=rec.procedure, rows=new)
    return out
