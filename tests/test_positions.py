"""A place in a definition, scenario or body that a message names counts a list's items from 1, as
people count them (``members[1].role``: the first member's role), whether pydantic found the
problem or a load-time check did: never pydantic's own ``members.0.role``."""

from __future__ import annotations

import pytest

from collegium import Body, DefinitionError, InvalidInput, Registry
from collegium._brief import shown_path
from tests.test_definitions import PACK, PROC


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("members", 0, "role"), "members[1].role"),
        (("steps", 11), "steps[12]"),
        (("rules", 1, "check", "threshold", "ratio"), "rules[2].check.threshold.ratio"),
        (("matrix", 0, 2), "matrix[1][3]"),
        ((0, "id"), "[1].id"),
        (("facts", "1"), "facts.1"),  # a key that is a number is a key
        ((), ""),
    ],
)
def test_a_path_counts_items_from_1_in_brackets(path: tuple[object, ...], shown: str) -> None:
    assert shown_path(path) == shown


def _refused(proc: str = PROC, pack: str = PACK) -> DefinitionError:
    reg = Registry()
    with pytest.raises(DefinitionError) as caught:
        reg.add_pack_text(pack, "tiny-pack.yaml")
        reg.add_procedure_text(proc, "tiny.yaml")
    return caught.value


def test_pydantic_and_the_graph_check_name_the_same_transition_alike() -> None:
    by_pydantic = _refused(PROC.replace("rules: [R-COUNT]}", "rules: [R-COUNT], colour: red}"))
    assert str(by_pydantic) == "tiny.yaml:15: transitions[1]: unknown key 'colour'"
    assert by_pydantic.where == "transitions[1]"
    by_check = _refused(PROC.replace("dest: done", "dest: gone"))
    assert str(by_check) == "tiny.yaml: transitions[1] (finish): unknown state 'gone'"


def test_a_rule_of_a_pack_is_named_by_its_place_from_1() -> None:
    exc = _refused(pack=PACK.replace('expr: "size > 1"', 'expr: "size > 1", extra: 1'))
    assert exc.where == "rules[2].check.expression"
    assert str(exc).startswith("tiny-pack.yaml:14: rules[2].check.expression: unknown key")
    assert exc.message("zh-CN").startswith("tiny-pack.yaml:14: rules[2].check.expression: ")


def test_a_body_names_its_member_from_1() -> None:
    with pytest.raises(InvalidInput) as caught:
        Body(id="sc", kind="standing", members=[{"person": "m1", "role": "r"}, {"person": ""}])
    assert str(caught.value).startswith("Body members[2].")
