"""P5 — the plenary committee: the standing committee's report heard at a plenary sitting, and the
plenary committee's sittings counted each year: the same scenarios in English and in Chinese.

The scenarios run on the shared steps (``features/conftest.py``, ``features/steps_meeting.py``,
``features/steps_reports.py``); ``features/steps_plenary.py`` adds the meetings with an agenda item,
the hearing at a sitting and the year's count.
"""

from pytest_bdd import scenarios

scenarios("p5_plenary.feature", "p5_plenary.zh-CN.feature")
