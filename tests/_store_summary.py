"""The store suite's count per backend, printed at the end of every run (CI shows all three
backends passed).

A test belongs to the store suite when it is parametrized, directly or through a fixture such as
``sql_engine``, by the ``db_url`` fixture of ``tests/conftest.py``; its backend is that parameter
(sqlite, postgresql, mariadb). Each test is counted once, by its outcome: failed if its call
failed, error if its setup or teardown did, skipped (e.g. a server not reachable outside CI), or
passed. A store test may add a line of figures (sizes, times) with
``record_property("figures", text)``. The hooks are imported by ``tests/conftest.py``.
"""

from __future__ import annotations

from collections import Counter

import pytest

BACKENDS = ("sqlite", "postgresql", "mariadb")
OUTCOMES = ("passed", "failed", "error", "skipped")
LABELS = {"passed": "passed", "failed": "failed", "error": "errors", "skipped": "skipped"}

_backend_of: dict[str, str] = {}
_outcome_of: dict[str, str] = {}
_figures: list[
    str
] = []  # what store tests recorded as ``record_property("figures", ...)``: sizes and times


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec is not None else None
        if backend in BACKENDS:
            _backend_of[item.nodeid] = backend


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid not in _backend_of:
        return
    if report.when == "call":
        _figures.extend(
            f"{report.nodeid.split('::')[-1]}: {value}"
            for name, value in report.user_properties
            if name == "figures"
        )
    before = _outcome_of.get(report.nodeid)
    if report.failed:
        outcome = "failed" if report.when == "call" else "error"
    elif report.skipped:
        outcome = "skipped"
    elif report.when == "call":
        outcome = "passed"
    else:
        return  # a setup or teardown that passed says nothing of the test
    if before in ("failed", "error"):
        return  # a teardown after a failure does not hide it
    _outcome_of[report.nodeid] = outcome


def summary_lines() -> list[str]:
    """One line per backend that ran store tests: how many passed, failed, erred and were
    skipped."""
    counts = {
        b: Counter(_outcome_of[n] for n, nb in _backend_of.items() if nb == b and n in _outcome_of)
        for b in BACKENDS
    }
    lines = []
    for backend in BACKENDS:
        if not counts[backend]:
            continue
        shown = ", ".join(f"{counts[backend][o]} {LABELS[o]}" for o in OUTCOMES)
        lines.append(f"{backend:<11} {shown}")
    return lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = summary_lines()
    if not lines:
        return
    terminalreporter.write_sep("=", "store suite by backend")
    for line in lines + _figures:
        terminalreporter.write_line(line)
