"""Scenario files: a decision's lifecycle written as data and run on a virtual clock.

A scenario (``collegium simulate``) names its bodies, a start time and steps: ``start`` a procedure,
``fire`` a trigger, cast ``vote``\\ s, ``advance`` the clock (a duration or a date; timers that fall
due on the way fire, in time order) and ``expect`` what should hold (an instance's state, facts, its
ballot result). A step that ought to be refused says so with ``refused: R-ID``. This module reads
and validates the file (:class:`Scenario`); :mod:`collegium.scenario` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from collegium._catalog import Message
from collegium._loader import line_of, parse_yaml, validate_model
from collegium._words import word
from collegium.engine.clock import parse_time
from collegium.engine.registry import Registry
from collegium.errors import DefinitionError, InvalidInput
from collegium.store.bodies import Body

ACTIONS = ("start", "fire", "vote", "advance", "expect")
#: a date-time with a time zone, as :func:`~collegium.engine.clock.parse_time` reads it: a date
#: (2026-03-02, 20260302, 2026-W10-1), one separating character, a time, and a zone (Z, +08:00)
_ZONED = (
    r"\s*(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}(-?\d)?).\d{2}\S*"
    r"(Z|z|[+-]\d{2}(:?\d{2}(:?\d{2}(\.\d+)?)?)?)\s*"
)
ZONED_TIME = f"^{_ZONED}$"
#: what ``advance`` takes: an ISO 8601 duration (P2D) or a date-time with a time zone
ADVANCE = f"^(P|{_ZONED}$)"


def _given(key: str) -> dict[str, Any]:
    """The JSON Schema of a step that has ``key`` (present and not null)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _needs(*keys: str) -> dict[str, Any]:
    """The JSON Schema of a step that says who acts (``as``, one or more) and ``keys``."""
    acts: dict[str, Any] = {"as": {"not": {"type": "null"}, "minItems": 1}}
    return {
        "required": ["as", *keys],
        "properties": {**acts, **{key: {"type": "string", "minLength": 1} for key in keys}},
    }


#: A step in JSON Schema beyond its keys: exactly one action, and who acts on which instance where
#: the action needs them (as :func:`collegium.scenario.run` asks for them).
_STEP_SCHEMA: dict[str, Any] = {
    "oneOf": [_given(action) for action in ACTIONS],
    "allOf": [
        {"if": _given("start"), "then": _needs()},
        *({"if": _given(action), "then": _needs("instance")} for action in ("fire", "vote")),
    ],
}


class Expectation(BaseModel):
    """What should hold of an instance: its state, some of its facts, some figures of its ballot
    result."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    instance: str = Field(
        description="the instance: the id given when it was started, or the engine's id"
    )
    state: str | None = None
    facts: dict[str, Any] = Field(
        default_factory=dict, description="facts that must have these values"
    )
    ballot: dict[str, Any] = Field(
        default_factory=dict, description="figures of the closed ballot's result"
    )


class Step(BaseModel):
    """One step: exactly one of ``start``, ``fire``, ``vote``, ``advance`` or ``expect``."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, defer_build=True, json_schema_extra=_STEP_SCHEMA
    )

    start: str | None = Field(default=None, description="a procedure to start")
    fire: str | None = Field(default=None, description="a trigger to fire")
    vote: str | None = Field(default=None, description="a choice every actor in 'as' casts")
    advance: str | None = Field(
        default=None,
        description="an ISO 8601 duration (P2D, PT3H) or a date-time",
        json_schema_extra={"pattern": ADVANCE},
    )
    expect: Expectation | None = None
    instance: str | None = Field(
        default=None,
        description="the instance a fire or vote acts on (YAML reads a key "
        "'on' as true, so it is not called that)",
    )
    actor: str | list[str] | None = Field(
        default=None, alias="as", description="who acts (votes: several)"
    )
    id: str | None = Field(
        default=None,
        description="a name for the instance this step starts: the procedure "
        "started, else the first child a fire or advance starts",
    )
    data: dict[str, Any] = Field(
        default_factory=dict,
        json_schema_extra={"propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}},
        description="the data the step's trigger takes, by name: text, a whole number, a "
        "decimal, true or false, a date-time with a time zone, a list of texts or a "
        "mapping of text to text (attendance: person to present, absent, recused or "
        "attendee). Which names and types each trigger takes: `collegium procedures "
        "show ID` and the handbook; for the built-in procedures this schema says it too "
        "(the data.start.* and data.fire.* objects), where the scenario names no definitions "
        "of its own",
    )
    item: str | None = Field(default=None, description="the item of a list voted item by item")
    refused: str | None = Field(
        default=None, description="this step must be refused by this rule id"
    )

    @model_validator(mode="after")
    def _one_action(self, info: ValidationInfo) -> Step:
        given = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            lang = (info.context or {}).get("lang", "en")
            has = ", ".join(given) or word("none", lang)
            raise ValueError(
                word("scenario.one_action", lang, actions=", ".join(ACTIONS), given=has)
            )
        return self


class ScenarioSpec(BaseModel):
    """A scenario file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    scenario: str = Field(min_length=1, description="its title")
    start: str = Field(
        description="when the virtual clock starts, ISO 8601 with a time zone",
        json_schema_extra={"pattern": ZONED_TIME},
    )
    definitions: list[str] = Field(
        default_factory=list,
        description="procedure, fragment and rule-pack files or folders the scenario runs on "
        "beside the built-in ones, relative to the scenario file",
    )
    bodies: list[Body] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)


@dataclass
class Scenario:
    """A scenario file read and validated: its spec, where it was read from, each step's line."""

    spec: ScenarioSpec
    source: str
    lines: list[int | None]

    def definition_paths(self) -> list[Path]:
        """The files and folders of definitions the scenario names, relative to its own file (to
        the working folder when it was not read from a file)."""
        here = Path(self.source).parent if Path(self.source).is_file() else Path.cwd()
        return [here / p for p in self.spec.definitions]

    def registry(self) -> Registry:
        """The built-in definitions and those the scenario names."""
        reg = Registry.builtin()
        reg.load(*self.definition_paths())
        return reg

    @classmethod
    def load(cls, text: str, source: str, lang: str = "en") -> Scenario:
        """The scenario in ``text``, read from ``source``; :class:`DefinitionError` naming the file
        and line (and the step, counted from 1) where it is not one. Messages of its own are in
        ``lang``."""
        data, node = parse_yaml(text, source)
        try:
            spec = validate_model(ScenarioSpec, data, node, source, context={"lang": lang})
        except DefinitionError as exc:
            raise _step_counted(exc, lang) from None
        try:
            parse_time(spec.start, "start")
        except InvalidInput as exc:
            raise DefinitionError(
                exc.said or str(exc), source=source, line=line_of(node, ["start"])
            ) from None
        return cls(spec, source, [line_of(node, ["steps", i]) for i in range(len(spec.steps))])


def _step_counted(exc: DefinitionError, lang: str) -> DefinitionError:
    """``exc`` with a step it names by its place in the list (``steps[2].expect``, counted from 1
    already) named as a step (``step 2: expect``)."""
    found = re.fullmatch(r"steps\[(\d+)\](?:\.?(.+))?", exc.where or "")
    if found is None:
        return exc
    step = word("scenario.step", lang, n=int(found.group(1)))
    where = f"{step}: {found.group(2)}" if found.group(2) else step
    said = exc.said.params.get("reason") if exc.said is not None else None  # as raised
    return DefinitionError(
        said if isinstance(said, Message) else exc.reason,
        source=exc.place,
        line=exc.line,
        where=where,
    )
