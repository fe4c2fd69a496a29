"""Integrity — the audit names a change made in the database behind the engine: the same
scenario in English and in Chinese. The steps live in ``features/steps_integrity.py`` (imported
by ``features/conftest.py``)."""

from pytest_bdd import scenarios

scenarios("integrity.feature", "integrity.zh-CN.feature")
