"""Worker processes of the concurrency tests: started together, joined within one deadline, never
left behind."""

from __future__ import annotations

import time
from collections.abc import Sequence
from multiprocessing.process import BaseProcess


def run_all(procs: Sequence[BaseProcess], timeout: float) -> list[int | None]:
    """Start ``procs``, wait for all of them within ``timeout`` seconds in total, kill any still
    running (the test then fails naming them) and return their exit codes."""
    for p in procs:
        p.start()
    try:
        deadline = time.monotonic() + timeout
        for p in procs:
            p.join(max(0.0, deadline - time.monotonic()))
    finally:
        hung = [p.name for p in procs if p.is_alive()]
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
        exits = [p.exitcode for p in procs]
        for p in procs:
            p.close()
    assert hung == [], f"worker processes hung: {hung}"
    return exits
