"""The only module that touches ``transitions``: one shared Machine per procedure version.

No instance is ever added to the Machine as a model (that costs ~10 KB and grows slower per model,
transitions issues #379/#434/#146). A command drives the shared Machine with a throwaway
:class:`_Cursor` that carries the current state for the duration of one call. The Machine has no
callbacks with side effects: rules have been evaluated before the move, and the store commits once
after it, so nothing needs rolling back if a step fails.
"""

from __future__ import annotations

from typing import Any

from transitions import EventData, Machine, MachineError

from collegium.workflows.spec import ProcedureSpec


class _Cursor:
    """Stand-in model for one move: holds ``state`` and nothing else."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


class _Branch:
    """Condition of a branch transition: taken when its rule passed (or it has no rule)."""

    __slots__ = ("rule_id",)

    def __init__(self, rule_id: str | None) -> None:
        self.rule_id = rule_id

    def taken(self, event: EventData) -> bool:
        if self.rule_id is None:
            return True
        passed: frozenset[str] = event.kwargs["passed"]
        return self.rule_id in passed


class CompiledMachine:
    """A procedure's state graph, compiled once and shared by every instance of that version."""

    #: Number of Machines built in this process; a test asserts one per procedure version.
    built = 0

    def __init__(self, spec: ProcedureSpec) -> None:
        transitions: list[dict[str, Any]] = []
        for t in spec.transitions:
            branch = _Branch(t.when)
            transitions.append(
                {
                    "trigger": t.trigger,
                    "source": list(t.source),
                    "dest": t.dest,
                    "conditions": [branch.taken],
                }
            )
        self._machine = Machine(
            model=None,
            states=list(spec.states),
            initial=spec.initial,
            transitions=transitions,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        self.procedure = spec.key
        # a move depends only on (state, trigger, branch rules that passed) and the Machine has no
        # side effects, so each is worked out by transitions once and then read from here (a vote is
        # a self-loop)
        self._moves: dict[tuple[str, str, frozenset[str]], str] = {}
        CompiledMachine.built += 1

    def move(self, state: str, trigger: str, passed: frozenset[str]) -> str:
        """Return the state that ``trigger`` leads to from ``state`` given the rules that passed."""
        key = (state, trigger, passed)
        hit = self._moves.get(key)
        if hit is not None:
            return hit
        cursor = _Cursor(state)
        try:
            moved = self._machine.events[trigger].trigger(cursor, passed=passed)
        except (KeyError, MachineError):
            moved = False
        if not moved:
            raise LookupError(f"{trigger!r} does not leave {state!r}")
        self._moves[key] = cursor.state
        return cursor.state
