"""Step definitions for P7 (deputies' suggestions and CPPCC members' proposals), one set for both
languages, as in ``conftest.py``; the rest of P7's scenarios run on the generic steps.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_bdd import parsers, then

if TYPE_CHECKING:
    from features.conftest import World


@then(
    parsers.re(
        r"(?P<count>no|\d+) accountability cases? (?:concerns?|is open on) the suggestion, "
        r"for an unanswered suggestion or proposal"
    )
)
@then(parsers.re(r"就该建议提案启动问责 (?P<count>\d+) 起，事由为逾期未答复"))
def cases_on_the_suggestion(world: World, count: str) -> None:
    found = world.cases_on(world.matter or "")
    assert len(found) == (0 if count == "no" else int(count)), [c.id for c in found]
    assert all(c.facts.get("finding_kind") == "unanswered_proposal" for c in found)


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]
