"""The procedure's diagram on an instance page: the inline SVG the HTML report draws
(:mod:`collegium.htmlreport.diagram_svg`) of the graph the report reads
(:func:`~collegium.htmlreport.gather.procedure_graph`), with the transitions the instance's history
went along (``taken``), the states it passed (``visited``) and the one it is in (``current``)
marked by class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collegium import NotFound
from collegium.htmlreport.diagram_svg import diagram_svg
from collegium.htmlreport.gather import procedure_graph

if TYPE_CHECKING:
    from collegium import EventRecord, Instance, Registry

__all__ = ["instance_svg"]


def instance_svg(
    registry: Registry, inst: Instance, events: list[EventRecord], lang: str
) -> str | None:
    """The SVG of the procedure version ``inst`` runs under, its path and state marked; None when
    that version is not known (no file loads it and the store keeps no text of it)."""
    try:
        proc = registry.compiled(inst.procedure, inst.procedure_version, inst.pack_version)
    except NotFound:
        return None
    return diagram_svg(
        procedure_graph(proc, lang),
        current=inst.state,
        taken={(e.source, e.trigger, e.dest) for e in events if e.source is not None},
        visited={e.dest for e in events},
        key="console",
    )
