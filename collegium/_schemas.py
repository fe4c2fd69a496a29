"""The JSON Schemas of the files Collegium reads, as ``collegium schema KIND`` prints them.

Each is JSON Schema 2020-12 with ``$schema`` and a stable ``$id``, generated from the pydantic model
the loader validates the file with, in the model's *validation* form: it describes what may be
written (``source: voting`` as well as ``source: [voting]``), not what the model holds afterwards.
Mapping keys are checked with ``propertyNames``, so a key the model refuses (``Bad-Name``) is
refused by the schema too. The scenario schema also says what data each step takes in the built-in
procedures (:mod:`collegium._scenario_data`). What no schema can say — that a state a transition
names exists, that a rule id is in the pack — is left to the loader's checks (``collegium
procedures check``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["DIALECT", "SCHEMA_KINDS", "json_schema", "schema_id"]

#: the JSON Schema dialect every schema declares
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: the kinds of file with a schema, as ``collegium schema`` names them
SCHEMA_KINDS: tuple[str, ...] = ("procedure", "fragment", "rules", "scenario", "body", "tests")


def schema_id(kind: str) -> str:
    """The ``$id`` of the schema of ``kind``: a name (a URN), not a place to fetch it from."""
    return f"urn:collegium:schema:{kind}"


def _model(kind: str) -> type[BaseModel]:
    if kind == "procedure":
        from collegium.workflows.spec import ProcedureSpec

        return ProcedureSpec
    if kind == "fragment":
        from collegium.workflows.fragment import FragmentSpec

        return FragmentSpec
    if kind == "rules":
        from collegium.rules.model import RulePackSpec

        return RulePackSpec
    if kind == "scenario":
        from collegium.scenariofile import ScenarioSpec

        return ScenarioSpec
    if kind == "body":
        from collegium.store.bodies import Body

        return Body
    if kind == "tests":
        from collegium.engine.packtests import TestFile

        return TestFile
    from collegium._catalog import Message
    from collegium.errors import InvalidInput

    raise InvalidInput(
        Message(
            "no schema of kind {kind!r}; use one of: {kinds}",
            kind=kind,
            kinds=", ".join(SCHEMA_KINDS),
        )
    )


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of files of ``kind`` (one of :data:`SCHEMA_KINDS`)."""
    value = _model(kind).model_json_schema(by_alias=True, mode="validation")
    if kind == "scenario":
        value = _with_step_data(value)
    return {"$schema": DIALECT, "$id": schema_id(kind), **_keys_named(value)}


def _with_step_data(value: dict[str, Any]) -> dict[str, Any]:
    """The scenario schema with the data each step takes in the built-in procedures
    (:mod:`collegium._scenario_data`), checked where the scenario names no definitions of its own
    (``definitions`` absent or empty)."""
    from collegium._scenario_data import data_defs

    defs, step = data_defs()
    own = {"properties": {"definitions": {"maxItems": 0}}}
    builtin = {"if": own, "then": {"properties": {"steps": {"items": step}}}}
    return {**value, "$defs": {**value["$defs"], **defs}, "allOf": [builtin]}


def _keys_named(node: Any) -> Any:
    """``node`` with each mapping whose keys follow a pattern written as ``propertyNames`` (the
    pattern and length of a key) and ``additionalProperties`` (its value). Pydantic writes the
    pattern as ``patternProperties``, under which a key that misses the pattern passes unchecked."""
    if isinstance(node, list):
        return [_keys_named(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _keys_named(v) for k, v in node.items()}
    patterns = out.get("patternProperties")
    if (
        isinstance(patterns, dict)
        and len(patterns) == 1
        and "properties" not in out
        and "additionalProperties" not in out
    ):
        ((pattern, value),) = patterns.items()
        del out["patternProperties"]
        out["propertyNames"] = {"pattern": pattern, **out.get("propertyNames", {})}
        out["additionalProperties"] = value
    return out
