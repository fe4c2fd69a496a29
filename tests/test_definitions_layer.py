"""The definitions layer's doors: collegium.workflows may use collegium.rules, never the other way
round; both take what they share from collegium.definitions; none of them uses the engine.

Read from the source with ast, so an import inside a function or under TYPE_CHECKING counts too."""

from __future__ import annotations

import ast
import importlib
import warnings
from pathlib import Path

import pytest

import collegium

ROOT = Path(collegium.__file__).parent
LAYER = {
    "collegium.rules": ROOT / "rules",
    "collegium.workflows": ROOT / "workflows",
    "collegium.definitions": ROOT / "definitions.py",
}


def _modules(path: Path) -> list[Path]:
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _module_name(file: Path) -> str:
    parts = file.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(file: Path) -> set[str]:
    """Every module ``file``, a module of collegium, imports anywhere in it (:func:`imports_in`)."""
    name = _module_name(file)
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(file.read_text(encoding="utf-8"), package)


def imports_in(text: str, package: str) -> set[str]:
    """Every module the source ``text`` of a module of ``package`` imports, anywhere in it:
    ``import a.b``, ``from a import b`` (as ``a`` and ``a.b``), relative imports resolved, and
    ``import_module("a.b")``."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "import_module" and isinstance(node.args[0].value, str):
                out.add(node.args[0].value)
    return out


def _uses(importer: str, target: str) -> list[str]:
    """The modules of ``importer`` (a key of LAYER) that import ``target`` or anything inside it."""
    return [
        f"{_module_name(file)} imports {name}"
        for file in _modules(LAYER[importer])
        for name in sorted(imported(file))
        if name == target or name.startswith(f"{target}.")
    ]


def test_rules_do_not_import_workflows() -> None:
    """The one door between the packages opens from workflows to rules (a procedure names its
    pack)."""
    assert _uses("collegium.rules", "collegium.workflows") == []


def test_rules_and_workflows_do_not_import_each_other_mutually() -> None:
    one_way = _uses("collegium.rules", "collegium.workflows")
    other_way = _uses("collegium.workflows", "collegium.rules")
    assert not (one_way and other_way), (one_way, other_way)


@pytest.mark.parametrize("importer", sorted(LAYER))
def test_the_definitions_layer_does_not_import_the_engine(importer: str) -> None:
    assert _uses(importer, "collegium.engine") == []


@pytest.mark.parametrize("target", ["collegium.rules", "collegium.workflows"])
def test_the_shared_types_import_neither_package(target: str) -> None:
    assert _uses("collegium.definitions", target) == []


def test_the_reader_sees_every_kind_of_import() -> None:
    """Imports at module level, in functions, under TYPE_CHECKING, relative ones and import_module
    calls are all found, so the assertions above cannot pass by missing one."""
    text = "\n".join(
        [
            "from typing import TYPE_CHECKING",
            "if TYPE_CHECKING:",
            "    from collegium.engine import store",
            "def f():",
            "    import collegium.workflows.spec",
            "    from ..engine import clock",
            "    from . import model",
            "    importlib.import_module('collegium.engine.audit')",
        ]
    )
    expected = {
        "collegium.engine.store",
        "collegium.workflows.spec",
        "collegium.engine.clock",
        "collegium.rules.model",
        "collegium.engine.audit",
    }
    assert expected <= imports_in(text, "collegium.rules")


@pytest.mark.parametrize("module", ["collegium.engine.compiled", "collegium.engine.registry"])
def test_engine_parameters_at_its_old_path_warns_and_is_the_same(module: str) -> None:
    from collegium.rules.check import ENGINE_PARAMETERS

    moved = r"ENGINE_PARAMETERS has moved to collegium\.rules\.check"
    with pytest.warns(DeprecationWarning, match=moved):
        old = importlib.import_module(module).ENGINE_PARAMETERS
    assert old is ENGINE_PARAMETERS
    with pytest.raises(AttributeError):
        importlib.import_module(module).NO_SUCH_NAME  # noqa: B018


def test_the_shared_types_still_import_from_the_procedure_spec_without_a_warning() -> None:
    from collegium import definitions
    from collegium.workflows import spec

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        old = (spec.FactType, spec.Identifier, spec.RuleId)
    assert old == (definitions.FactType, definitions.Identifier, definitions.RuleId)
