"""What data each trigger of a compiled procedure takes, and the shape of each value: read from
the same plan, fact declarations and effect inputs that :func:`collegium.engine.inputs.normalize`
checks a command's data against, so what ``collegium procedures show`` and the handbook say is
what the engine accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from collegium.engine.governance import ATTENDANCE
from collegium.engine.inputs import REQUIRED_INPUTS, input_values
from collegium.engine.registry import CompiledProcedure, Plan
from collegium.workflows.spec import EFFECT_INPUTS, CastVoteEffect, FactType, OpenMeetingEffect

__all__ = ["DataKey", "plan_data", "trigger_data"]

#: the type of a data key: a fact type, or ``counts`` (the tellers' count of a secret ballot:
#: option to a number of ballots, or for a list voted item by item, item to option to number)
DataType = FactType | Literal["counts"]

#: inputs that are mappings with keys of their own kind: name -> (what the keys are, the values
#: each may take; none: any text)
_KEYED: dict[str, tuple[str, tuple[str, ...]]] = {
    "attendance": ("person", ATTENDANCE),
    "reasons": ("person", ()),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class DataKey:
    """One key of the data a trigger takes: its name, its type, and where the engine uses it."""

    name: str
    type: DataType
    #: the values a text (or each value of a mapping) may take, when they are fixed
    values: tuple[str, ...] = ()
    #: what a mapping's keys are (``person``), when not any text
    keys: str | None = None
    #: the step cannot be taken without it
    required: bool = False
    #: ``fact`` for a fact the step sets (its ``data``), else the effect that reads it
    use: str = "fact"

    def to_dict(self) -> dict[str, Any]:
        """The key as JSON: ``values`` and ``keys`` only where they say something."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.keys is not None:
            out["keys"] = self.keys
        if self.values:
            out["values"] = list(self.values)
        return {**out, "required": self.required, "use": self.use}


def plan_data(proc: CompiledProcedure, plan: Plan) -> tuple[DataKey, ...]:
    """The keys ``plan``'s trigger takes: the facts it sets, in the order the procedure declares
    them, then the inputs of its effects."""
    choices = input_values(plan.effects)
    options = _vote_options(proc)
    required = {key for effect in plan.effects for key in REQUIRED_INPUTS.get(effect.kind, ())}
    users: dict[str, str] = {}
    for effect in plan.effects:
        for key in EFFECT_INPUTS[effect.kind]:
            users.setdefault(key, effect.kind)
    out: list[DataKey] = []
    facts = [f for f in proc.spec.facts if f in plan.data]
    inputs = [k for k in plan.inputs if k not in plan.data]
    for name in [*facts, *sorted(plan.data.difference(facts)), *inputs]:
        # an input no effect kind names is one a spawn hands to its child
        use = "fact" if name in plan.data else users.get(name, "spawn")
        fact = proc.spec.facts.get(name)
        if fact is not None:  # a declared fact's type wins, as normalize() has it
            out.append(
                DataKey(
                    name=name,
                    type=fact.type,
                    values=fact.values or (),
                    required=name in required,
                    use=use,
                )
            )
        elif name == "counts" and plan.counts:
            out.append(DataKey(name=name, type="counts", use=use))
        else:
            keys, values = _KEYED.get(name, (None, choices.get(name, ())))
            if name == "choice" and plan.casts:
                values = options
            out.append(
                DataKey(
                    name=name,
                    type=plan.inputs[name],
                    values=values,
                    keys=keys,
                    required=name in required,
                    use=use,
                )
            )
    return tuple(out)


def trigger_data(proc: CompiledProcedure) -> dict[str, tuple[DataKey, ...]]:
    """Each trigger of the procedure (the start's first) and the keys it takes, from the first
    state it can be fired in."""
    out = {proc.spec.start.trigger: plan_data(proc, proc.start_plan)}
    for (_, trigger), plan in proc.plans.items():
        if trigger not in out:
            out[trigger] = plan_data(proc, plan)
    return out


def _vote_options(proc: CompiledProcedure) -> tuple[str, ...]:
    """Every choice a ballot of the procedure may offer: the vote's own, and options by fact."""
    seen: dict[str, None] = {}
    for t in proc.spec.transitions:
        for effect in t.effects:
            if isinstance(effect, CastVoteEffect):
                seen.update(dict.fromkeys(effect.choices))
            elif isinstance(effect, OpenMeetingEffect) and effect.options is not None:
                for values in effect.options.values.values():
                    seen.update(dict.fromkeys(values))
    return tuple(seen)
