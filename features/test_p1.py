"""P1 — individual deliberation, then meeting decision: the same
scenarios in English and in Chinese.

The step definitions live in ``features/conftest.py`` and serve both feature files.
"""

from pytest_bdd import scenarios

scenarios("p1_major_decision.feature", "p1_major_decision.zh-CN.feature")
