"""Moved to :mod:`collegium.store.records`: this path works for one release, with a
DeprecationWarning."""

from collegium.engine._moved import moved

__getattr__ = moved(__name__, "collegium.store.records")
