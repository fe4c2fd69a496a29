"""P5 — periodic work reports: the same scenarios in English and in Chinese.

The step definitions live in ``features/steps_reports.py`` (imported by ``features/conftest.py``),
with the shared ones in ``features/conftest.py``; they serve both feature files.
"""

from pytest_bdd import scenarios

scenarios("p5_reports.feature", "p5_reports.zh-CN.feature")
