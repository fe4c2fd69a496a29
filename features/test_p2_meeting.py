"""P2 — meetings with an agenda: the same scenarios in English and in Chinese.

The step definitions live in ``features/steps_meeting.py`` (imported by
``features/conftest.py``), with the shared ones in ``features/conftest.py`` and
``features/steps_p2.py``; they serve both feature files.
"""

from pytest_bdd import scenarios

scenarios("p2_meeting.feature", "p2_meeting.zh-CN.feature")
