"""Load-time checks of a procedure's graph: definitions fail when loaded, never mid-decision."""

from __future__ import annotations

from collections import defaultdict

from collegium.errors import DefinitionError
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.workflows.spec import ProcedureSpec, TransitionSpec


def check_procedure(spec: ProcedureSpec, source: str = "<string>") -> None:
    """Raise :class:`DefinitionError` for the first structural defect found in ``spec``."""

    def fail(reason: str, where: str) -> DefinitionError:
        return DefinitionError(reason, source=source, where=where)

    states = spec.states
    if spec.initial not in states:
        raise fail(f"initial state {spec.initial!r} is not among the states", "initial")
    for name in spec.facts:
        if name in ENGINE_FACTS or name in RECORD_FACTS:
            raise fail(f"fact name {name!r} is reserved by the engine", f"facts.{name}")
    for name in spec.start.data:
        if name not in spec.facts:
            raise fail(f"data names undeclared fact {name!r}", "start.data")
    if spec.body_fact not in spec.facts:
        raise fail(f"body_fact {spec.body_fact!r} is not a declared fact", "body_fact")

    outgoing: dict[str, set[str]] = defaultdict(set)
    groups: dict[tuple[str, str], list[TransitionSpec]] = defaultdict(list)
    for i, t in enumerate(spec.transitions):
        where = f"transitions[{i}] ({t.trigger})"
        for s in (*t.source, t.dest):
            if s not in states:
                raise fail(f"unknown state {s!r}", where)
        if t.trigger == spec.start.trigger:
            raise fail(f"trigger {t.trigger!r} is the start trigger", where)
        for name in t.data:
            if name not in spec.facts:
                raise fail(f"data names undeclared fact {name!r}", where)
        for s in t.source:
            if states[s].terminal:
                raise fail(f"terminal state {s!r} has an outgoing transition", where)
            outgoing[s].add(t.dest)
            groups[(t.trigger, s)].append(t)

    for (trigger, s), group in groups.items():
        where = f"state {s!r}"
        if len(group) > 1:
            fallbacks = [t for t in group if t.when is None]
            if len(fallbacks) > 1 or (fallbacks and group[-1].when is not None):
                raise fail(f"duplicate trigger {trigger!r}: branches need 'when' on all but the last", where)
            first = group[0]
            for other in group[1:]:
                if (other.roles, other.rules, other.data, other.effects) != (first.roles, first.rules,
                                                                             first.data, first.effects):
                    raise fail(f"branches of {trigger!r} must share roles, rules, data and effects", where)

    for name, state in states.items():
        for timer in state.timers:
            if (timer.after is None) == (timer.at is None):
                raise fail("a timer needs exactly one of 'after' or 'at'", f"states.{name}.timers")
            if timer.at is not None and spec.facts.get(timer.at, None) is None:
                raise fail(f"timer names undeclared fact {timer.at!r}", f"states.{name}.timers")
            if (timer.trigger, name) not in groups:
                raise fail(f"timer trigger {timer.trigger!r} does not leave state {name!r}",
                           f"states.{name}.timers")
            if any("system" not in t.roles for t in groups[(timer.trigger, name)]):
                raise fail(f"timer trigger {timer.trigger!r} must list role 'system' (the engine fires it)",
                           f"states.{name}.timers")

    # reachability from the initial state
    reachable = {spec.initial}
    frontier = [spec.initial]
    while frontier:
        for nxt in outgoing[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    for name in states:
        if name not in reachable:
            raise fail("unreachable state: no transition leads to it from the initial state", f"state {name!r}")
    terminals = {n for n, s in states.items() if s.terminal}
    if not terminals:
        raise fail("no terminal state: an instance could never finish", "states")

    # every state must be able to finish: walk backwards from the terminal states
    incoming: dict[str, set[str]] = defaultdict(set)
    for src, dests in outgoing.items():
        for d in dests:
            incoming[d].add(src)
    can_finish = set(terminals)
    frontier = list(terminals)
    while frontier:
        for prev in incoming[frontier.pop()]:
            if prev not in can_finish:
                can_finish.add(prev)
                frontier.append(prev)
    for name in states:
        if name not in can_finish:
            reason = ("trap state: not terminal and no transition leaves it" if not outgoing[name]
                      else "trap state: no terminal state can be reached from it")
            raise fail(reason, f"state {name!r}")
