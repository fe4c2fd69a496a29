"""Bodies and the seats of their members: what the engine is given and the store keeps.

A body (a committee, a board, a senate) is a :class:`Body` with members in roles. The engine is
given bodies (``Engine.define_body``, body files, the host's directory); the store keeps them in its
rows and each definition in the body's hash chain (:mod:`collegium.store.bodychain`). A body is
validated when it is built, so the store reads its own rows back without validating them again.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from collegium._brief import validation_line
from collegium._catalog import Message
from collegium._i18n import Text
from collegium._reserved import ENGINE_MARK, is_engine_actor, is_reserved_role
from collegium.errors import InvalidInput


def _printable(value: str | None) -> str | None:
    """Ids and names are printable text: no control characters (PostgreSQL cannot even store a
    NUL)."""
    if value is not None and not value.isprintable():
        raise ValueError(Message("must be printable text, without control characters"))
    return value


class _Record(BaseModel):
    """A record built in Python (``Body(...)``, ``Member(...)``): a bad field is
    :class:`InvalidInput`, in one line. ``model_validate`` keeps pydantic's ``ValidationError``,
    which the file loaders turn into errors that name the file and line."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            problem = validation_line(exc)
            raise InvalidInput(
                Message("{record} {problem}", record=type(self).__name__, problem=problem)
            ) from None

    # pydantic calls a model's own __init__ also to validate it nested or by model_validate, unless
    # the __init__ says it is the base one (as RootModel's does): this one serves Python calls only
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class Member(_Record):
    """A person's seat in a body: a role (pack vocabulary) and whether the seat votes.

    ``person`` is compared exactly (``m3``, ``M3``, ``m3 `` and ``ｍ3`` are four people) and may
    not start with ``@`` in any form (the engine's actors do); ``role`` may not be one the engine
    keeps for itself (``system``, in any case or width: ``collegium._reserved``)."""

    person: str = Field(min_length=1, max_length=128, description="'@' starts engine actors")
    role: str = Field(min_length=1, max_length=64)
    voting: bool = True
    name: str | None = Field(default=None, max_length=256)

    _printable = field_validator("person", "role", "name")(_printable)

    @field_validator("person")
    @classmethod
    def _not_engine(cls, person: str) -> str:
        if is_engine_actor(person):
            raise ValueError(
                Message(
                    "{mark!r} (in any form) starts the engine's own actors, not a person's id",
                    mark=ENGINE_MARK,
                )
            )
        return person

    @field_validator("role")
    @classmethod
    def _not_reserved(cls, role: str) -> str:
        if is_reserved_role(role):
            raise ValueError(
                Message(
                    "the role {role!r} is reserved for the engine (its timers act in it)", role=role
                )
            )
        return role


class Body(_Record):
    """A deciding or advising body (全委会, 常委会, a board …) and its current members."""

    id: str = Field(min_length=1, max_length=128)
    kind: str = Field(
        min_length=1, max_length=64, description="e.g. plenary, standing, secretary_office"
    )
    title: Text | None = None
    members: tuple[Member, ...] = ()

    _printable = field_validator("id", "kind")(_printable)

    def member(self, person: str) -> Member | None:
        """The seat of ``person`` in this body, or ``None`` if they have none."""
        for m in self.members:
            if m.person == person:
                return m
        return None
