"""P2 — ballot voting: the same scenarios in English and in Chinese.

The step definitions live in ``features/steps_p2.py`` (imported by ``features/conftest.py``) and in
``features/conftest.py``; they serve both feature files.
"""

from pytest_bdd import scenarios

scenarios("p2_ballot.feature", "p2_ballot.zh-CN.feature")
