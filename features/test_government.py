"""The government pack (State Council Decree 713): the same scenarios in English and in Chinese.

The pack is data only, and its steps are generic: those in ``features/steps_generic.py`` (imported
by ``features/conftest.py``) and the shared ones in ``features/conftest.py``, serving both files.
"""

from pytest_bdd import scenarios

scenarios("government.feature", "government.zh-CN.feature")
