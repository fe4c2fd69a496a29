"""P6 — annual public commitments: the same scenarios in English and in Chinese.

The step definitions live in ``features/steps_commitments.py`` (imported by
``features/conftest.py``), with the shared ones in ``features/conftest.py``;
they serve both feature files.
"""

from pytest_bdd import scenarios

scenarios("p6_commitments.feature", "p6_commitments.zh-CN.feature")
