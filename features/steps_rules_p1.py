"""Step definitions for the scenarios that exercise the rules of the ``party-committee`` pack one by
one, one set for both languages, as in ``conftest.py``.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_bdd import parsers, step

from features.steps_generic import q
from features.steps_meeting import matter_id, to_meeting

if TYPE_CHECKING:
    from features.conftest import World


@step(parsers.re(rf"{q('actor')} adjourns the meeting before the vote on {q('title')} is closed"))
@step(parsers.re(rf"{q('actor')}在{q('title')}表决结束前宣布散会"))
def adjourn_before_the_close(world: World, actor: str, title: str) -> None:
    """The meeting adjourns with the matter still being voted on; the matter stays the instance the
    shared steps read, so that what is then tried on it is judged."""
    matter = matter_id(world, title)
    to_meeting(world, "adjourn", actor, {})
    world.matter = matter


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]
