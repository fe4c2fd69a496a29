"""The vocabulary that rule packs (``collegium.rules``) and procedures (``collegium.workflows``)
share.

Both kinds of definition name things with the same identifiers, refer to rules by the same ids, type
facts with the same names, and are parsed into the same kind of frozen model. They take these from
here, so neither package imports the other for them: ``collegium.workflows`` may use
``collegium.rules`` (a procedure is judged by a rule pack), never the other way round, and neither
uses the engine.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FactType", "Identifier", "RuleId", "Spec"]

#: A name in a definition: a fact, state, trigger, procedure or parameter.
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
#: The id of a rule, such as ``R-QUORUM``.
RuleId = Annotated[str, Field(pattern=r"^R-[A-Z0-9][A-Z0-9-]*$", max_length=64)]
#: The type of a fact. list: a list of text; mapping: text keys to text values; integer: at most
#: 2**53 - 1 in size; number: an exact decimal (kept as canonical text such as "6.5", so it hashes
#: the same everywhere and compares exactly).
FactType = Literal["string", "integer", "number", "boolean", "datetime", "list", "mapping"]


class Spec(BaseModel):
    """The base of every parsed definition: frozen, no unknown keys, fields named or aliased.

    Its validator is built when a model is first validated, not when its class is defined
    (``defer_build``): a command builds those of the definitions it reads, each nested model
    within the one that holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)
