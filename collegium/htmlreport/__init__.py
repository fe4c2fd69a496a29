"""A self-contained HTML report of instances: the timeline on the clock, the procedure's diagram
with the path taken and the current state, refusals with their rules and citations, each ballot as
a chart with its quorum and threshold, the tasks on a time axis, and the audit status, in English or
Chinese, printable, and making no request (``collegium simulate FILE --html OUT``, ``collegium
report INSTANCE --html OUT``).

Reading and drawing are apart: :func:`report_data` reads a typed :class:`ReportData` from an engine,
:func:`render_report` draws it; :func:`report_html` does both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from collegium.htmlreport.gather import report_data
from collegium.htmlreport.page import render_report
from collegium.htmlreport.records import Refusal, ReportData

if TYPE_CHECKING:
    from collegium.engine.engine import Engine

__all__ = ["Refusal", "ReportData", "render_report", "report_data", "report_html"]


def report_html(
    engine: Engine,
    instance_ids: str | Sequence[str],
    *,
    lang: str = "en",
    tz: dt.tzinfo | None = dt.UTC,
    title: str | None = None,
    refusals: Iterable[Refusal] | None = None,
) -> str:
    """The HTML page reporting on ``instance_ids`` (one id, or several): texts in ``lang`` (``en``
    or ``zh-CN``), times in ``tz`` (None: the machine's local zone). ``refusals``, the refused steps
    a caller knows of (see :meth:`~collegium.htmlreport.records.Refusal.of_step`), are listed
    under their instances; without them the page says that refusals are not stored.
    :class:`~collegium.errors.NotFound` for an instance that is not there."""
    data = report_data(engine, instance_ids, lang=lang, title=title, refusals=refusals)
    return render_report(data, tz)
