"""Procedure fragments: a piece of procedure written once (e.g. the ballot) and included by
procedures.

A fragment (``kind: fragment``) declares **parameters** — host states (``state``), lists of roles
(``roles``) and rule ids (``rule``) — and transitions written against them as ``$name``. A procedure
includes it with ``include: [{fragment: ballot, version: 1, bind: {voting: in_meeting, ...}}]``; at
load time :func:`expand` substitutes the bindings and adds the transitions (after the procedure's
own), the fragment's facts and states the procedure lacks, giving a plain :class:`ProcedureSpec`.
Everything downstream — load-time checks, compilation, the machine, rules bound by the pack's
guards — sees only the expanded procedure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Annotated, Literal, NoReturn

import yaml
from pydantic import Field, field_validator

from collegium._brief import shown_path
from collegium._catalog import Message
from collegium._i18n import Text
from collegium._loader import line_of
from collegium.definitions import Identifier
from collegium.definitions import Spec as _Spec
from collegium.errors import DefinitionError
from collegium.workflows.spec import (
    Effect,
    FactSpec,
    IncludeSpec,
    ProcedureSpec,
    StateSpec,
    TransitionSpec,
    _as_tuple,
)

#: a state of the fragment's own (``name``) or a state parameter (``$name``)
StateRef = Annotated[str, Field(pattern=r"^\$?[a-z][a-z0-9_]*$", max_length=65)]
#: a role (``name``) or a roles parameter (``$name``, replaced by every role bound to it)
RoleRef = Annotated[str, Field(pattern=r"^\$?[a-z][a-z0-9_]*$", max_length=65)]
#: a rule id (``R-…``) or a rule parameter (``$name``)
RuleRef = Annotated[
    str, Field(pattern=r"^(R-[A-Z0-9][A-Z0-9-]*|\$[a-z][a-z0-9_]*)$", max_length=65)
]
#: the input forms of ``source`` and ``roles``: a list, or its one element written alone
_StateRefsIn = StateRef | Annotated[list[StateRef], Field(min_length=1)]
_RoleRefsIn = RoleRef | Annotated[list[RoleRef], Field(min_length=1)]
ParameterKind = Literal["state", "roles", "rule"]
_RULE_ID = re.compile(r"^R-[A-Z0-9][A-Z0-9-]*$")


class ParameterSpec(_Spec):
    """What an including procedure binds: one of its states, a list of roles, or a rule id."""

    kind: ParameterKind
    description: Text | None = None


class FragmentTransitionSpec(_Spec):
    """A transition of a fragment: as in a procedure, with ``$parameter`` in states, roles and
    rules."""

    trigger: Identifier
    source: tuple[StateRef, ...] = Field(min_length=1)
    dest: StateRef
    roles: tuple[RoleRef, ...] = Field(min_length=1)
    rules: tuple[RuleRef, ...] = ()
    when: RuleRef | None = None
    data: tuple[Identifier, ...] = ()
    effects: tuple[Effect, ...] = ()
    label: Text | None = None

    _source_list = field_validator("source", mode="before", json_schema_input_type=_StateRefsIn)(
        _as_tuple
    )
    _roles_list = field_validator("roles", mode="before", json_schema_input_type=_RoleRefsIn)(
        _as_tuple
    )


class FragmentSpec(_Spec):
    """A procedure fragment, as written in ``collegium/workflows/*.yaml`` with ``kind: fragment``.

    ``states`` holds the fragment's own states (``name``) and default states for state parameters
    (``$name``: used when the including procedure has no state of the bound name). ``facts`` are the
    facts its transitions take as data; the including procedure may declare them itself, with the
    same type."""

    id: Identifier
    version: int = Field(ge=1, le=2**31 - 1)
    kind: Literal["fragment"]
    title: Text
    description: Text | None = None
    parameters: dict[Identifier, ParameterSpec] = Field(min_length=1)
    facts: dict[Identifier, FactSpec] = Field(default_factory=dict)
    states: dict[StateRef, StateSpec] = Field(default_factory=dict)
    transitions: tuple[FragmentTransitionSpec, ...] = Field(min_length=1)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"


ElementPath = Sequence[str | int]


def check_fragment(
    spec: FragmentSpec, source: str | Message, node: yaml.Node | None = None
) -> None:
    """Every ``$name`` names a parameter of the right kind; every plain state is the fragment's own;
    every data key is a fact the fragment declares."""

    def fail(reason: Message, path: ElementPath) -> NoReturn:
        raise DefinitionError(
            reason, source=source, line=line_of(node, path), where=shown_path(path)
        )

    def ref(value: str, kind: ParameterKind, path: ElementPath) -> None:
        if value.startswith("$"):
            param = spec.parameters.get(value[1:])
            if param is None:
                fail(Message("{ref!r} names no parameter of the fragment", ref=value), path)
            elif param.kind != kind:
                fail(
                    Message(
                        "{ref!r} is a {kind} parameter, not a {expected}",
                        ref=value,
                        kind=param.kind,
                        expected=kind,
                    ),
                    path,
                )
        elif kind == "state" and value not in spec.states:
            fail(
                Message(
                    "unknown state {state!r}: neither a state of the fragment nor a $parameter",
                    state=value,
                ),
                path,
            )

    for name in spec.states:
        ref(name, "state", ["states", name])
    for i, t in enumerate(spec.transitions):
        for state in t.source:
            ref(state, "state", ["transitions", i, "source"])
        ref(t.dest, "state", ["transitions", i, "dest"])
        for role in t.roles:
            ref(role, "roles", ["transitions", i, "roles"])
        for rule in (*t.rules, *([t.when] if t.when else [])):
            ref(rule, "rule", ["transitions", i, "when" if rule == t.when else "rules"])
        for fact in t.data:
            if fact not in spec.facts:
                fail(
                    Message("data names fact {fact!r} the fragment does not declare", fact=fact),
                    ["transitions", i, "data"],
                )


Binding = str | tuple[str, ...]


Fail = Callable[[Message, ElementPath], NoReturn]


def _bindings(
    frag: FragmentSpec, inc: IncludeSpec, fail: Fail, at: ElementPath
) -> dict[str, Binding]:
    """Check ``inc.bind`` against the fragment's parameters: each bound once, with a value of its
    kind."""
    for name in inc.bind:
        if name not in frag.parameters:
            fail(
                Message(
                    "fragment {fragment} has no parameter {name!r}", fragment=frag.key, name=name
                ),
                [*at, "bind", name],
            )
    out: dict[str, Binding] = {}
    for name, param in frag.parameters.items():
        value = inc.bind.get(name)
        if value is None:
            fail(
                Message(
                    "parameter {name!r} of fragment {fragment} is not bound",
                    name=name,
                    fragment=frag.key,
                ),
                [*at, "bind"],
            )
        path = [*at, "bind", name]
        if param.kind == "roles":
            roles = _as_tuple(value)
            if not roles or any(not isinstance(r, str) or not r for r in roles):
                fail(Message("parameter {name!r} takes a list of roles", name=name), path)
            out[name] = roles
        elif not isinstance(value, str):
            fail(
                Message(
                    "parameter {name!r} takes one {kind}, not a list", name=name, kind=param.kind
                ),
                path,
            )
        elif param.kind == "rule" and not _RULE_ID.match(value):
            fail(
                Message(
                    "parameter {name!r} takes a rule id (R-...), not {value!r}",
                    name=name,
                    value=value,
                ),
                path,
            )
        else:
            out[name] = value
    return out


def _subst(value: str, bound: dict[str, Binding]) -> Binding:
    return bound[value[1:]] if value.startswith("$") else value


def _plain(values: Sequence[str], bound: dict[str, Binding]) -> tuple[str, ...]:
    return tuple(str(_subst(v, bound)) for v in values)


def _roles(values: Sequence[str], bound: dict[str, Binding]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        sub = _subst(v, bound)
        out.extend((sub,) if isinstance(sub, str) else sub)
    return tuple(dict.fromkeys(out))


def expand(
    spec: ProcedureSpec,
    find: Callable[[str, int], FragmentSpec | None],
    source: str | Message,
    node: yaml.Node | None = None,
) -> tuple[ProcedureSpec, tuple[str, ...]]:
    """``spec`` with its ``include`` fragments expanded (``find(id, version)`` looks a fragment up),
    and where each of its transitions is written, for messages (``transitions[3] (vote)``,
    ``include[1] (ballot@1 …)``: items counted from 1, as :func:`~collegium._brief.shown_path`
    shows them)."""
    written = [f"transitions[{i}] ({t.trigger})" for i, t in enumerate(spec.transitions, 1)]
    if not spec.include:
        return spec, tuple(written)

    def fail(reason: Message, path: ElementPath) -> NoReturn:
        where = shown_path(path)
        raise DefinitionError(reason, source=source, line=line_of(node, path), where=where)

    facts = dict(spec.facts)
    states = dict(spec.states)
    transitions = list(spec.transitions)
    #: (trigger, source state) -> who defines it: "transitions[i]" of the procedure or "include[i]"
    owner: dict[tuple[str, str], str] = {}
    for i, t in enumerate(spec.transitions, 1):
        for s in t.source:
            owner.setdefault((t.trigger, s), f"transitions[{i}]")
    for i, inc in enumerate(spec.include):
        at: list[str | int] = ["include", i]
        frag = find(inc.fragment, inc.version)
        if frag is None:
            fail(
                Message(
                    "unknown fragment {fragment}@{version}",
                    fragment=inc.fragment,
                    version=inc.version,
                ),
                [*at, "fragment"],
            )
        bound = _bindings(frag, inc, fail, at)
        for name, state in frag.states.items():
            target = str(_subst(name, bound))
            if not name.startswith("$") and target in states:
                fail(
                    Message(
                        "state {state!r} of fragment {fragment} is already a state of the "
                        "procedure",
                        state=target,
                        fragment=frag.key,
                    ),
                    at,
                )
            states.setdefault(target, state)
        for name, param in frag.parameters.items():
            if param.kind == "state" and bound[name] not in states:
                fail(
                    Message(
                        "binds {name!r} to {state!r}, which is not a state of the procedure",
                        name=name,
                        state=bound[name],
                    ),
                    [*at, "bind", name],
                )
        for name, fact in frag.facts.items():
            mine = facts.setdefault(name, fact)
            if mine.type != fact.type:
                fail(
                    Message(
                        "fact {name!r} is {mine} here but {theirs} in fragment {fragment}",
                        name=name,
                        mine=mine.type,
                        theirs=fact.type,
                        fragment=frag.key,
                    ),
                    at,
                )
        for j, ft in enumerate(frag.transitions):
            new = TransitionSpec(
                trigger=ft.trigger,
                source=_plain(ft.source, bound),
                dest=str(_subst(ft.dest, bound)),
                roles=_roles(ft.roles, bound),
                rules=_plain(ft.rules, bound),
                when=str(_subst(ft.when, bound)) if ft.when else None,
                data=ft.data,
                effects=ft.effects,
                label=ft.label,
            )
            for s in new.source:
                other = owner.setdefault((new.trigger, s), f"include[{i + 1}]")
                if other != f"include[{i + 1}]":
                    fail(
                        Message(
                            "trigger {trigger!r} from state {state!r} is defined both in {other} "
                            "and in fragment {fragment}",
                            trigger=new.trigger,
                            state=s,
                            other=other,
                            fragment=frag.key,
                        ),
                        at,
                    )
            transitions.append(new)
            written.append(f"include[{i + 1}] ({frag.key} transitions[{j + 1}], {ft.trigger})")
    update = {"facts": facts, "states": states, "transitions": tuple(transitions)}
    return spec.model_copy(update=update), tuple(written)


__all__ = ["FragmentSpec", "FragmentTransitionSpec", "ParameterSpec", "check_fragment", "expand"]
