"""Old import paths of names that left the engine (for :mod:`collegium.store` and shared modules).

Each old module keeps a module ``__getattr__`` made by :func:`moved`: a name looked up there is
found at its new home, with a :class:`DeprecationWarning` naming it. The old paths go in the next
release.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Collection
from typing import Any


def moved(old: str, new: str, names: Collection[str] | None = None) -> Callable[[str], Any]:
    """A module ``__getattr__`` for module ``old``: ``names`` (every name, when None) are looked up
    in module ``new``, warning that they moved."""

    def __getattr__(name: str) -> Any:
        if not name.startswith("__") and (names is None or name in names):
            module = importlib.import_module(new)
            if hasattr(module, name):
                warnings.warn(
                    f"{old}.{name} has moved to {new}.{name}; "
                    "the old path goes in the next release",
                    DeprecationWarning,
                    stacklevel=2,
                )
                return getattr(module, name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    return __getattr__
