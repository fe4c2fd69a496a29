"""P7 — deputies' suggestions and CPPCC members' proposals: the same scenarios in English and in
Chinese.

The scenarios run on the generic steps (``features/steps_generic.py``) and the shared ones in
``features/conftest.py``; ``features/steps_proposals.py`` adds the accountability check.
"""

from pytest_bdd import scenarios

scenarios("p7_proposals.feature", "p7_proposals.zh-CN.feature")
