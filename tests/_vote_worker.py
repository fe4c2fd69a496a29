"""One voting worker of tests/test_ballot_concurrency.py, importable by a worker process
(forkserver or spawn).

A worker opens its own :class:`~collegium.Engine` on the shared database (a process cannot share
the test's engine or its :class:`~collegium.ManualClock`, so it gets its own clock at the same
fixed time), waits at a barrier so that all workers start together, then sends its share of the
votes in order. It judges nothing: it reports what each attempt did — ``cast`` (a new vote event),
``replayed`` (an idempotency key repeated an earlier command), ``refused`` (a
:class:`~collegium.RuleViolation` naming R-ONE-VOTE) — or the unexpected error it raised, and the
test decides whether that was right.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import traceback
from typing import Any, NamedTuple, Protocol

from collegium import Engine, ManualClock, Registry, RuleViolation, SequentialIds

#: The built-in procedures and packs, compiled when this module is imported: a forkserver that
#: preloads the module hands each worker process its own ready copy, instead of each parsing the
#: YAML again on start.
BUILTIN = Registry.builtin()


class Task(NamedTuple):
    """One request: ``voter`` votes ``choice`` on instance ``iid``, with ``key`` as idempotency key
    (or none).

    ``expect`` is what the test expects of it: ``cast``, ``replayed``, ``refused`` or ``race``
    (another worker sends the same voter's vote at the same time, so either may win).
    """

    iid: str
    voter: str
    choice: str
    key: str | None
    expect: str


class _Barrier(Protocol):
    def wait(self, timeout: float | None = None) -> Any: ...

    def abort(self) -> None: ...


def cast(
    url: str, at: str, tasks: list[Task], barrier: _Barrier, registry: Registry | None = None
) -> dict[str, Any]:
    """Send ``tasks`` in order on an engine of this worker's own; return
    ``{"attempts": […], "errors": […]}`` and the seconds the worker took once all were released
    (``elapsed``)."""
    attempts: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        engine = Engine.open(
            url,
            clock=ManualClock(dt.datetime.fromisoformat(at)),
            ids=SequentialIds(),
            registry=registry,
        )
    except Exception:
        barrier.abort()  # the other workers must not wait for this one
        raise
    began = None
    try:
        barrier.wait(timeout=120)
        began = time.perf_counter()
        for task in tasks:
            entry: dict[str, Any] = {**task._asdict(), "result": None, "seq": None}
            try:
                out = engine.fire(
                    task.iid, "vote", task.voter, {"choice": task.choice}, idempotency_key=task.key
                )
            except RuleViolation as exc:
                failed = sorted(r.rule_id for r in exc.verdict.failures)
                entry["result"] = "refused" if failed == ["R-ONE-VOTE"] else f"refused by {failed}"
            except Exception:
                errors.append(f"{task}: {traceback.format_exc()}")
                entry["result"] = "error"
            else:
                entry["result"] = "replayed" if out.replayed else "cast"
                entry["seq"] = out.event.seq
                entry["event"] = [out.event.trigger, out.event.actor, out.event.instance_id]
            attempts.append(entry)
    except Exception:
        errors.append(traceback.format_exc())
    finally:
        engine.close()
    elapsed = None if began is None else time.perf_counter() - began
    return {"attempts": attempts, "errors": errors, "elapsed": elapsed}


def cast_in_process(url: str, at: str, tasks: list[Task], barrier: _Barrier, out: str) -> None:
    """Entry point of a worker process: :func:`cast`, with the report written to the JSON file
    ``out``."""
    try:
        report = cast(url, at, [Task(*t) for t in tasks], barrier, BUILTIN)
    except Exception:  # e.g. the database cannot be opened: the test must see why
        report = {"attempts": [], "errors": [traceback.format_exc()]}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f)


def cast_in_thread(
    url: str,
    at: str,
    tasks: list[Task],
    barrier: threading.Barrier,
    reports: dict[int, dict[str, Any]],
    worker: int,
) -> None:
    """Entry point of a worker thread: :func:`cast`, with the report stored under
    ``reports[worker]``."""
    try:
        reports[worker] = cast(url, at, tasks, barrier)
    except Exception:
        reports[worker] = {"attempts": [], "errors": [traceback.format_exc()]}
