"""Load-time checks of a rule pack on its own: a pack fails when it is loaded or first compiled
against, never mid-decision."""

from __future__ import annotations

from collegium._catalog import Message
from collegium.errors import DefinitionError
from collegium.rules.model import RulePackSpec

#: Pack parameters the engine itself reads, with their types (every other parameter is for rules,
#: as $name).
ENGINE_PARAMETERS: dict[str, type] = {
    # recused members leave n, the members who should attend (default true)
    "recusal_reduces_n": bool,
}


def check_pack(spec: RulePackSpec, source: str | Message = "<string>") -> None:
    """Raise :class:`DefinitionError` if two rules of ``spec`` share an id."""
    seen: set[str] = set()
    for rule in spec.rules:
        if rule.id in seen:
            raise DefinitionError(
                Message("duplicate rule id {id!r}", id=rule.id), source=source, where=rule.id
            )
        seen.add(rule.id)


def check_parameters(pack: RulePackSpec) -> None:
    """Raise :class:`DefinitionError` if a parameter the engine reads (:data:`ENGINE_PARAMETERS`)
    has another type; checked when a procedure is compiled against the pack."""
    for name, kind in ENGINE_PARAMETERS.items():
        parameter = pack.parameters.get(name)
        if parameter is not None and not isinstance(parameter.value, kind):
            raise DefinitionError(
                Message(
                    "parameter {name!r} must be {type}, not {value!r}",
                    name=name,
                    type=kind.__name__,
                    value=parameter.value,
                ),
                source=Message("rule pack {key}", key=pack.key),
                where=f"parameters.{name}",
            )
