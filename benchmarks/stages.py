"""``python -m benchmarks.stages [--instances N] [--reps R]``: where figure (a)'s fire goes, stage
by stage.

Figure (a)'s scenario (36 fires an instance on a memory store) is run with each stage of a step
(:mod:`collegium.engine.step`) wrapped in a timer, and then without the wrappers; the table gives
each stage's time per fire (the median of the repetitions), and the fire's own time unwrapped.
The wrappers cost a little each (about 0.2 µs a call here), so the stages add up to somewhat
more than the unwrapped fire. Then, deterministic and free of the machine's noise: the size of
the verdict a vote's event keeps, and the Python function calls one ``vote`` makes, counted by
cProfile.

Measurement only: nothing here changes what a step does; the wrappers are removed before the
unwrapped runs.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks import scenario as sc
from benchmarks.bench_core import _lifecycle
from collegium._formats import canonical
from collegium.engine import judging
from collegium.engine import step as st

#: the stages of a step, in the order they run (module, function name)
STAGES: tuple[tuple[Any, str], ...] = (
    (st, "load"),
    (st, "replayed"),
    (st, "due_first"),
    (st, "plan"),
    (st, "normalise"),
    (st, "stage"),
    (st, "judge"),
    (judging, "gate"),
    (st, "move"),
    (st, "apply"),
    (st, "judge_children"),
    (st, "chain"),
    (st, "write"),
)


@contextmanager
def timed_stages(spent: Counter[str]) -> Iterator[None]:
    """Every stage wrapped in a timer adding to ``spent`` while the block runs."""
    saved = [(module, name, getattr(module, name)) for module, name in STAGES]

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return timed

    try:
        for module, name, fn in saved:
            setattr(module, name, wrap(name, fn))
        yield
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)


def stage_times(count: int, reps: int) -> tuple[dict[str, float], float]:
    """Each stage's seconds per fire, wrapped (median of ``reps``), and the unwrapped fire's."""
    engine, clock = sc.memory_engine()
    fired = count * sc.STEPS_PER_INSTANCE
    _lifecycle(engine, clock, count)  # warm-up: compile the procedure, fill caches
    per_stage: dict[str, list[float]] = {name: [] for _, name in STAGES}
    plain: list[float] = []
    for _ in range(reps):
        spent: Counter[str] = Counter()
        with timed_stages(spent):
            _lifecycle(engine, clock, count)
        for name in per_stage:
            per_stage[name].append(spent[name] / fired)
        plain.append(_lifecycle(engine, clock, count))
    return {name: statistics.median(xs) for name, xs in per_stage.items()}, statistics.median(plain)


def calls_per_vote(count: int = 20) -> tuple[int, int]:
    """The Python function calls (cProfile's count, built-ins included) of one ``vote`` fire, and
    the size of the verdict its event keeps (bytes of canonical JSON)."""
    engine, clock = sc.memory_engine()
    ids = sc.start_in_deliberation(engine, count)
    profile, votes, kept = cProfile.Profile(), 0, 0
    for iid, steps in zip(ids, sc.plans(clock.now(), count), strict=True):
        for step in steps:
            if step.advance is not None:
                clock.advance(step.advance)
            if step.trigger == "vote":
                profile.enable()
                votes += 1
            outcome = engine.fire(iid, step.trigger, step.actor, step.data)
            profile.disable()
            if step.trigger == "vote":
                kept = len(canonical(outcome.event.verdict).encode("utf-8"))
    stats: Any = pstats.Stats(profile)
    return round(sum(row[1] for row in stats.stats.values()) / votes), kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__)
    parser.add_argument("--instances", type=int, default=16, help="instances a repetition")
    parser.add_argument("--reps", type=int, default=9, help="repetitions (median)")
    args = parser.parse_args(argv)
    stages, plain = stage_times(args.instances, args.reps)
    print(
        f"figure (a)'s fire, {args.instances} instances x {sc.STEPS_PER_INSTANCE} fires, "
        f"median of {args.reps}"
    )
    for name, seconds in stages.items():
        print(f"  {name:15s} {seconds * 1e6:7.1f} µs")
    print(f"  {'(stages, sum)':15s} {sum(stages.values()) * 1e6:7.1f} µs")
    print(f"  {'(fire, plain)':15s} {plain * 1e6:7.1f} µs")
    calls, kept = calls_per_vote()
    print(f"a vote's stored verdict: {kept:,} bytes of canonical JSON")
    print(f"Python calls of one vote: {calls}")


if __name__ == "__main__":
    main()
