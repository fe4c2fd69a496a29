"""The rule model: a rule pack as data, parsed into frozen specifications.

Every rule carries an id (``R-…``), a title in English and Chinese, a citation (a clause of the
source document or a regulation article and edition), a severity, the procedure triggers it guards,
when it applies, and one check. Structured check kinds explain themselves ("present 5 of 11 who
should attend; needs ≥ 6"); the ``expression`` kind is evaluated by the rule-engine library,
compiled once, never ``eval``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from collegium._catalog import Message
from collegium._i18n import Text
from collegium.definitions import Identifier, RuleId
from collegium.definitions import Spec as _Spec
from collegium.rules.organisation import Reporting, Supervision, references

Scalar = str | int | bool


class Parameter(_Spec):
    """A number or setting of the pack, with where it comes from (regulations are revised: keep the
    edition)."""

    value: Any
    source: str = Field(min_length=1)
    edition: str | None = None
    status: Literal["confirmed", "default"] = "default"
    label: Text | None = None


class Guard(_Spec):
    """The triggers of one procedure that a rule guards; ``"*"`` means every trigger."""

    procedure: Identifier
    triggers: tuple[str, ...] = Field(min_length=1)


class RequiredCheck(_Spec):
    """Each named fact is present and not empty."""

    kind: Literal["required"]
    facts: tuple[Identifier, ...] = Field(min_length=1)


class RoleCheck(_Spec):
    """The actor holds one of the transition's roles (or of ``roles`` when given: a list, or a
    ``$parameter`` holding one) in the instance's body, or is a person one of the ``or_person``
    facts names (the member sponsoring a matter, whatever their role)."""

    kind: Literal["role"]
    roles: tuple[str, ...] | Annotated[str, Field(pattern=r"^\$[A-Za-z_][A-Za-z0-9_]*$")] | None = (
        None
    )
    or_person: tuple[Identifier, ...] = ()


class ThresholdCheck(_Spec):
    """``count`` compared with ``ratio`` × ``base``, in exact arithmetic (no floats)."""

    kind: Literal["threshold"]
    count: Identifier
    base: Identifier
    op: Literal[">=", ">"]
    ratio: str = Field(description="a fraction such as 1/2 or 2/3, or $parameter")

    @field_validator("ratio")
    @classmethod
    def _ratio(cls, value: str) -> str:
        if not value.startswith("$"):
            parse_ratio(value)
        return value


class AtLeastCheck(_Spec):
    """Whole-number fact ``fact`` is at least ``min`` (a whole number, or a ``$parameter`` holding
    one): e.g. the plenary sittings held in a year."""

    kind: Literal["at_least"]
    fact: Identifier
    min: int | Annotated[str, Field(pattern=r"^\$[A-Za-z_][A-Za-z0-9_]*$")]


class CoversCheck(_Spec):
    """Every element of collection ``of`` is in collection ``set`` (e.g. every voting member
    consulted)."""

    kind: Literal["covers"]
    set: Identifier
    of: Identifier


class MemberCheck(_Spec):
    """``value`` is (or with ``negate``, is not) an element of collection ``collection``."""

    kind: Literal["member"]
    value: Identifier
    collection: Identifier
    negate: bool = False


class OneOfCheck(_Spec):
    """Fact ``fact`` has one of ``values`` (e.g. the deciding body is a standing committee or a
    plenary)."""

    kind: Literal["one_of"]
    fact: Identifier
    values: tuple[Scalar, ...] = Field(min_length=1)


class PeriodCheck(_Spec):
    """The time from ``start`` to ``end`` (datetime facts, or ``now``) is at least / at most
    ``duration``."""

    kind: Literal["period"]
    start: Identifier
    end: Identifier
    op: Literal[">=", "<="]
    duration: str = Field(
        description="ISO 8601 duration such as P1D, PT12H or calendar months P3M (P1Y: 12), "
        "or $parameter"
    )


class StateCheck(_Spec):
    """The instance named by fact ``instance`` is in one of ``states`` (a prerequisite)."""

    kind: Literal["state"]
    instance: Identifier
    states: tuple[str, ...] = Field(min_length=1)


class ExpressionCheck(_Spec):
    """A boolean expression over the facts, in rule-engine syntax (e.g. ``present >= n / 2``)."""

    kind: Literal["expression"]
    expr: str = Field(min_length=1, max_length=2000)


Check = Annotated[
    RequiredCheck
    | RoleCheck
    | ThresholdCheck
    | AtLeastCheck
    | CoversCheck
    | MemberCheck
    | OneOfCheck
    | PeriodCheck
    | StateCheck
    | ExpressionCheck,
    Field(discriminator="kind"),
]

#: the fields of the structured checks (every kind but ``role`` and ``expression``) that name facts
FACT_FIELDS = (
    "facts",
    "count",
    "base",
    "set",
    "of",
    "value",
    "collection",
    "fact",
    "start",
    "end",
    "instance",
)

Condition = dict[Identifier, tuple[Scalar, ...]]


class RuleSpec(_Spec):
    """One rule of a pack."""

    id: RuleId
    title: Text
    citation: Annotated[str, Field(min_length=1)] | Text = Field(
        description="the clause or article the rule comes from; {en, zh-CN} to say it per language"
    )
    severity: Literal["block", "warn"] = "block"
    guards: tuple[Guard, ...] = ()
    when: Condition = Field(
        default_factory=dict, description="applies only where each fact has one of the values"
    )
    unless: Condition = Field(
        default_factory=dict, description="does not apply where any fact has one of the values"
    )
    check: Check
    explain: Text | None = Field(
        default=None,
        description="what a refusal says, in both languages; {fact} placeholders name facts",
    )

    @field_validator(
        "when",
        "unless",
        mode="before",
        json_schema_input_type=dict[Identifier, Scalar | list[Scalar]],
    )
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (v if isinstance(v, list | tuple) else [v]) for k, v in value.items()}
        return value


class Role(Text):
    """A role of the pack's vocabulary: its label, and the roles its holder also acts in.

    ``acts_as`` lets a specialised role take every step its general one may: a full-time deputy
    secretary acts as a deputy secretary, a cross-appointed standing member as a standing member.
    Whether a seat votes is the body's (``Member.voting``), not the role's."""

    acts_as: tuple[str, ...] = ()


class RulePackSpec(_Spec):
    """A versioned rule pack, as written in ``collegium/rules/packs/*.yaml``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)
    version: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
    title: Text
    description: Text | None = None
    roles: dict[str, Role] = Field(
        default_factory=dict,
        description="the roles members hold: labels, and the roles each also acts in",
    )
    parameters: dict[Identifier, Parameter] = Field(default_factory=dict)
    rules: tuple[RuleSpec, ...]
    #: the procedures the supervision queries read (collegium.rules.organisation)
    supervision: Supervision | None = None
    #: the reporting calendar (collegium.rules.organisation)
    reporting: Reporting | None = None

    @model_validator(mode="after")
    def _declared(self) -> RulePackSpec:
        for name, role in self.roles.items():
            for other in role.acts_as:
                if other not in self.roles or other == name:
                    raise ValueError(
                        Message(
                            "role {role!r} acts as {other!r}, which is not another role of "
                            "the pack",
                            role=name,
                            other=other,
                        )
                    )
        for name in self.roles:
            if name in self._reached(name):
                raise ValueError(Message("role {role!r} acts as itself through acts_as", role=name))
        if self.reporting is not None:
            for where, name in references(self.reporting):
                if name not in self.parameters:
                    raise ValueError(
                        Message(
                            "{where} names parameter ${name}, which the pack does not have",
                            where=where,
                            name=name,
                        )
                    )
            due = self.reporting.due_time
            if not due.startswith("$"):
                try:
                    parsed: dt.time | None = dt.time.fromisoformat(due)
                except ValueError:
                    parsed = None
                if parsed is None or parsed.tzinfo is None:
                    raise ValueError(
                        Message(
                            "reporting.due_time {due!r} is not a time of day with its "
                            "UTC offset such as 18:00+01:00, nor a $parameter",
                            due=due,
                        )
                    )
            if self.roles and self.reporting.chair not in self.roles:
                raise ValueError(
                    Message(
                        "reporting.chair names role {role!r}, which the pack's roles do not list",
                        role=self.reporting.chair,
                    )
                )
        return self

    def acting_roles(self, role: str) -> tuple[str, ...]:
        """``role`` and every role it acts in through ``acts_as``, nearest first (each once)."""
        return (role, *(r for r in self._reached(role) if r != role))

    def _reached(self, role: str) -> list[str]:
        """The roles ``role`` acts in through one or more ``acts_as`` steps, nearest first."""
        reached: list[str] = []
        todo = list(self.roles[role].acts_as) if role in self.roles else []
        while todo:
            current = todo.pop(0)
            if current not in reached:
                reached.append(current)
                todo.extend(self.roles[current].acts_as if current in self.roles else ())
        return reached

    @property
    def key(self) -> str:
        """``id@version``, as instances and the stored definitions name it."""
        return f"{self.id}@{self.version}"

    def rule(self, rule_id: str) -> RuleSpec | None:
        """The rule ``rule_id`` of this pack, or ``None``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


def parse_ratio(text: str) -> Fraction:
    """Parse ``"2/3"`` into an exact fraction; refuse anything outside (0, 1]."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            Message("{text!r} is not a fraction such as 1/2 or 2/3", text=text)
        ) from None
    if not 0 < value <= 1:
        raise ValueError(Message("ratio {text} must be greater than 0 and at most 1", text=text))
    return value


def parse_months(text: str) -> int | None:
    """The calendar months of a duration written ``PnM`` or ``PnY`` (``P1Y`` is 12), else None."""
    match = re.fullmatch(r"P(\d{1,4})([MY])", text)
    if match is None:
        return None
    return int(match.group(1)) * (12 if match.group(2) == "Y" else 1)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` ``months`` calendar months later, on its own offset; a day the later month
    lacks becomes its last (31 March + 3 months is 30 June)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last))


def parse_duration(text: str) -> dt.timedelta:
    """Parse an ISO 8601 duration of days/hours/minutes/seconds, such as ``P1D`` or ``PT12H``."""
    from pydantic import TypeAdapter, ValidationError

    try:
        value = TypeAdapter(dt.timedelta).validate_python(text)
    except ValidationError:
        raise ValueError(
            Message("{text!r} is not an ISO 8601 duration such as P1D or PT12H", text=text)
        ) from None
    if value < dt.timedelta(0):
        raise ValueError(Message("duration {text} is negative", text=text))
    return value
