"""What the bad-input tests share: the corpus files, the checks on an error line, and the bounds.

The bounds are robustness bounds, not speed measurements: a bad input must be refused in a few
seconds and a few hundred megabytes at most whatever its size or shape, where before some took
minutes (nested aliases, nested regular-expression repetitions) or read a device for ever.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from collegium._loader import parse_yaml
from collegium.cli import cli

BAD = Path(__file__).parent / "data" / "bad"
#: seconds one bad input may take to be refused, in process (a bound, not a measurement)
TIME_BOUND = 5.0
#: bytes Python may allocate while refusing one corpus file in process (traced by tracemalloc)
MEMORY_BOUND = 50_000_000
#: the largest resident set a ``collegium`` process may reach refusing a generated huge input (it
#: starts at ~45 MB)
PROCESS_RSS_BOUND_MB = 300


def corpus(kind: str) -> list[Path]:
    """The corpus files of one kind (``procedure``, ``pack``, …), sorted."""
    return sorted((BAD / kind).glob("*.yaml"))


def expectation(path: Path) -> str:
    """The regular expression the file's first line (``# expect: …``) says the error must
    contain."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path} must start with '# expect: REGEX'"
    return first.removeprefix("# expect: ")


def machine_bound() -> float:
    """:data:`TIME_BOUND`, or, on a machine slower than the one it was set on, ten times what the
    bounded loader takes here to read a valid 20,000-node document (refusing a huge input reads at
    most 100,000 nodes: five times as many, so linear work fits with room to spare, and anything
    worse than linear does not)."""
    started = time.perf_counter()
    parse_yaml("x:\n" + "- 0\n" * 20_000, "calibration")
    return max(TIME_BOUND, 10 * (time.perf_counter() - started))


@contextmanager
def bounded(memory: bool = True, limit: float = TIME_BOUND) -> Iterator[None]:
    """Assert the block ends within ``limit`` seconds (and, traced, allocates at most
    :data:`MEMORY_BOUND`)."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
        if memory:
            tracemalloc.stop()
    assert elapsed < limit, f"took {elapsed:.1f} s (bound {limit:.1f} s)"
    assert peak < MEMORY_BOUND, (
        f"allocated {peak / 1e6:.0f} MB at peak (bound {MEMORY_BOUND / 1e6:.0f} MB)"
    )


def one_line(message: str) -> str:
    """A library error's message: one line, no traceback."""
    assert "\n" not in message and "Traceback" not in message, message
    return message


def run(*args: str | Path) -> Result:
    """The CLI in process; an exception that is not turned into an exit code fails the test with
    its traceback."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def error_line(result: Result, code: int = 2) -> str:
    """The single ``collegium: error: …`` line of a refused command, checked: exit code, one line,
    no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("collegium: error: "), lines[0]
    return lines[0]


@dataclass(frozen=True)
class Finished:
    code: int
    stderr: str
    seconds: float
    max_rss_mb: float


def run_process(*args: str | Path, cwd: Path, timeout: float = 60.0) -> Finished:
    """``collegium ARGS`` in a process of its own; its exit code, stderr, time and peak resident
    memory (from ``wait4``, the process's own figure). Killed, and the test failed, if it runs past
    ``timeout``."""
    err = cwd / "stderr.txt"
    with err.open("wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "collegium.cli", *map(str, args)],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise AssertionError(
                    f"collegium {' '.join(map(str, args))} still ran after {timeout} s"
                )
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Finished(
        proc.returncode,
        err.read_text(encoding="utf-8", errors="replace"),
        time.perf_counter() - started,
        usage.ru_maxrss / 1024,
    )


def matches(pattern: str, text: str) -> None:
    assert re.search(pattern, text), f"{pattern!r} not found in {text!r}"
