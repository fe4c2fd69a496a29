"""Load-time checks of a procedure's graph: definitions fail when loaded, never mid-decision."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from collegium._catalog import Message
from collegium.errors import DefinitionError
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.workflows.spec import ProcedureSpec, TimerSpec, TransitionSpec

#: state -> the states its transitions lead to
Graph = dict[str, set[str]]
#: (trigger, source state) -> its transitions (branches), in file order
Groups = dict[tuple[str, str], list[TransitionSpec]]


class _Defect(Exception):
    """One defect found by a helper; :func:`check_procedure` turns it into a
    :class:`DefinitionError`."""

    def __init__(self, reason: Message, where: str | Message) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.where = where


def check_procedure(
    spec: ProcedureSpec, source: str | Message = "<string>", written: Sequence[str] = ()
) -> None:
    """Raise :class:`DefinitionError` for the first structural defect found in ``spec``; ``written``
    names where each transition is written (an included fragment's are not in the procedure's
    file)."""
    try:
        _check_facts(spec)
        outgoing, groups = _check_transitions(spec, written)
        for (trigger, state), group in groups.items():
            _check_branches(trigger, state, group)
        _check_timers(spec, groups)
        _check_reachable(spec, outgoing)
        _check_can_finish(spec, outgoing)
    except _Defect as defect:
        raise DefinitionError(defect.reason, source=source, where=defect.where) from None


def _check_facts(spec: ProcedureSpec) -> None:
    """The initial state exists; facts are not reserved; start data and the body fact are
    declared."""
    if spec.initial not in spec.states:
        raise _Defect(
            Message("initial state {state!r} is not among the states", state=spec.initial),
            "initial",
        )
    for name in spec.facts:
        if name in ENGINE_FACTS or name in RECORD_FACTS:
            raise _Defect(
                Message("fact name {name!r} is reserved by the engine", name=name), f"facts.{name}"
            )
    for name in spec.start.data:
        if name not in spec.facts:
            raise _Defect(Message("data names undeclared fact {name!r}", name=name), "start.data")
    if spec.body_fact not in spec.facts:
        raise _Defect(
            Message("body_fact {name!r} is not a declared fact", name=spec.body_fact), "body_fact"
        )
    for name in spec.index:
        fact = spec.facts.get(name)
        if fact is None or fact.type not in ("string", "list", "datetime"):
            raise _Defect(
                Message(
                    "index names {name!r}, which is not a declared text, list or date-time fact",
                    name=name,
                ),
                "index",
            )


def _check_transitions(spec: ProcedureSpec, written: Sequence[str]) -> tuple[Graph, Groups]:
    """Check each transition on its own; return the state graph and the (trigger, source) groups."""
    outgoing: Graph = defaultdict(set)
    groups: Groups = defaultdict(list)
    for i, t in enumerate(spec.transitions):
        where = written[i] if i < len(written) else f"transitions[{i + 1}] ({t.trigger})"
        for s in (*t.source, t.dest):
            if s not in spec.states:
                raise _Defect(Message("unknown state {state!r}", state=s), where)
        if t.trigger == spec.start.trigger:
            raise _Defect(
                Message("trigger {trigger!r} is the start trigger", trigger=t.trigger), where
            )
        for name in t.data:
            if name not in spec.facts:
                raise _Defect(Message("data names undeclared fact {name!r}", name=name), where)
        if t.reenter and t.dest not in t.source:
            raise _Defect(
                Message(
                    "'reenter' enters again the state a step stays in: {state!r} is not a source",
                    state=t.dest,
                ),
                where,
            )
        for s in t.source:
            if spec.states[s].terminal:
                raise _Defect(
                    Message("terminal state {state!r} has an outgoing transition", state=s), where
                )
            outgoing[s].add(t.dest)
            groups[(t.trigger, s)].append(t)
    return outgoing, groups


def _check_branches(trigger: str, state: str, group: list[TransitionSpec]) -> None:
    """The branches of ``trigger`` from ``state``: ``when`` on all but the last, which is the
    fallback.

    The fallback guarantees that a command always has a destination; the branches differ only in
    ``when``, ``dest`` and the children they start (they share roles, rules, data and other
    effects).
    """
    where = Message("state {state!r}", state=state)
    if group[-1].when is not None:
        raise _Defect(
            Message(
                "trigger {trigger!r} from {state!r} needs a last branch without 'when'",
                trigger=trigger,
                state=state,
            ),
            where,
        )
    if any(t.when is None for t in group[:-1]):
        raise _Defect(
            Message(
                "duplicate trigger {trigger!r}: branches need 'when' on all but the last",
                trigger=trigger,
            ),
            where,
        )
    first = group[0]

    def common(
        t: TransitionSpec,
    ) -> tuple[object, ...]:  # a branch may add spawns of its own, nothing else
        own = tuple(e for e in t.effects if e.kind != "spawn")
        return (t.roles, t.rules, t.data, t.reenter, own)

    shared = common(first)
    for other in group[1:]:
        if common(other) != shared:
            raise _Defect(
                Message(
                    "branches of {trigger!r} must share roles, rules, data, reenter and effects "
                    "(a branch may add spawn effects of its own)",
                    trigger=trigger,
                ),
                where,
            )


def _check_timers(spec: ProcedureSpec, groups: Groups) -> None:
    """Each state's timers are well formed and have distinct triggers (one timer per trigger)."""
    for name, state in spec.states.items():
        where = f"states.{name}.timers"
        seen: set[str] = set()
        for timer in state.timers:
            if timer.trigger in seen:
                raise _Defect(
                    Message("two timers share trigger {trigger!r}", trigger=timer.trigger), where
                )
            seen.add(timer.trigger)
            _check_timer(spec, name, timer, groups)


def _check_timer(spec: ProcedureSpec, name: str, timer: TimerSpec, groups: Groups) -> None:
    """One timer of state ``name``: ``after`` or a datetime fact ``at``; its trigger leaves the
    state as 'system'."""
    where = f"states.{name}.timers"
    if (timer.after is None) == (timer.at is None):
        raise _Defect(Message("a timer needs exactly one of 'after' or 'at'"), where)
    # the idempotency key a timer fires with (timer:STATE:TRIGGER:ENTRY[:LEAD]) must fit its column,
    # 128 characters
    lead = max((f":{int(lead.total_seconds())}" for lead in timer.remind), key=len, default="")
    if len(f"timer:{name}:{timer.trigger}:{2**31}{lead}") > 128:
        raise _Defect(
            Message(
                "state {state!r} and timer {trigger!r} are too long together for a timer's key: "
                "shorten either",
                state=name,
                trigger=timer.trigger,
            ),
            where,
        )
    leads = [lead.total_seconds() for lead in timer.remind]
    if any(lead < 60 or lead != int(lead) for lead in leads) or len(set(leads)) != len(leads):
        raise _Defect(
            Message("reminder lead times are distinct whole seconds, a minute or more"), where
        )
    if timer.after is not None and any(lead >= timer.after.total_seconds() for lead in leads):
        raise _Defect(
            Message(
                "a reminder of an 'after' timer is due after its state is entered: lead < after"
            ),
            where,
        )
    if timer.at is not None:
        fact = spec.facts.get(timer.at)
        if fact is None:
            raise _Defect(Message("timer names undeclared fact {name!r}", name=timer.at), where)
        if fact.type != "datetime":
            raise _Defect(
                Message(
                    "timer fact {name!r} is {type}, expected datetime",
                    name=timer.at,
                    type=fact.type,
                ),
                where,
            )
    if (timer.trigger, name) not in groups:
        raise _Defect(
            Message(
                "timer trigger {trigger!r} does not leave state {state!r}",
                trigger=timer.trigger,
                state=name,
            ),
            where,
        )
    if any("system" not in t.roles for t in groups[(timer.trigger, name)]):
        raise _Defect(
            Message(
                "timer trigger {trigger!r} must list role 'system' (the engine fires it)",
                trigger=timer.trigger,
            ),
            where,
        )


def _closure(start: set[str], edges: Graph) -> set[str]:
    """Every state reachable from ``start`` along ``edges`` (``start`` included)."""
    seen = set(start)
    frontier = list(start)
    while frontier:
        for nxt in edges.get(frontier.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def _check_reachable(spec: ProcedureSpec, outgoing: Graph) -> None:
    """Every state can be reached from the initial state."""
    reachable = _closure({spec.initial}, outgoing)
    for name in spec.states:
        if name not in reachable:
            raise _Defect(
                Message("unreachable state: no transition leads to it from the initial state"),
                f"state {name!r}",
            )


def _check_can_finish(spec: ProcedureSpec, outgoing: Graph) -> None:
    """There is a terminal state, and every state can reach one (walking backwards from the
    terminals)."""
    terminals = {n for n, s in spec.states.items() if s.terminal}
    if not terminals:
        raise _Defect(Message("no terminal state: an instance could never finish"), "states")
    incoming: Graph = defaultdict(set)
    for src, dests in outgoing.items():
        for d in dests:
            incoming[d].add(src)
    can_finish = _closure(terminals, incoming)
    for name in spec.states:
        if name not in can_finish:
            reason = (
                Message("trap state: not terminal and no transition leaves it")
                if not outgoing.get(name)
                else Message("trap state: no terminal state can be reached from it")
            )
            raise _Defect(reason, f"state {name!r}")
