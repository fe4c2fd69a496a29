"""P3 and P4 — tasks of a decision, supervision and accountability: the same
scenarios in English and in Chinese.

The step definitions live in ``features/steps_tasks.py`` (imported by ``features/conftest.py``)
and in ``features/conftest.py``.
"""

from pytest_bdd import scenarios

scenarios("p3_p4_tasks_and_accountability.feature", "p3_p4_tasks_and_accountability.zh-CN.feature")
