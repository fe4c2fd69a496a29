"""P5 — periodic briefings (定期通报、定期汇报) and the publication of accountability measures: the
same scenarios in English and in Chinese.

The scenarios run on the generic steps (``features/steps_generic.py``), the shared ones in
``features/conftest.py`` and those of tasks and cases (``features/steps_tasks.py``,
``features/steps_rules_p3_p6.py``); ``features/steps_briefings.py`` adds the decision's briefing
cadence, the sweep's reminders and the cases opened on a missed briefing.
"""

from pytest_bdd import scenarios

scenarios("p5_briefings.feature", "p5_briefings.zh-CN.feature")
