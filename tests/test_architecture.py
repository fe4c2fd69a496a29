"""The house's rooms and doors, read from the source with ``ast``: subpackages import one another
one way only (imports inside functions and under TYPE_CHECKING included), no module but the
engine's own reaches into the engine's private names, the command line keeps its commands in one
subpackage, and no module grows past 400 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "collegium"
MAX_LINES = 400


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _imported(name: str, tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every module a module imports, wherever the import stands, with its line."""
    package = name if name.count(".") == 0 else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:  # ``from collegium.engine import step`` imports a module too
                yield f"{base}.{alias.name}", node.lineno


def _room(module: str) -> str | None:
    """The subpackage of ``collegium`` a module lives in (None for the package's top modules)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "collegium":
        return None
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return None


def _doors() -> dict[tuple[str, str], list[str]]:
    """(from room, to room) -> where each such import stands."""
    known = {name for name, _ in _modules()}
    doors: dict[tuple[str, str], list[str]] = {}
    for name, path in _modules():
        here = _room(name)
        if here is None:
            continue
        for target, line in _imported(name, ast.parse(path.read_text("utf-8"))):
            there = _room(target)
            if there is None or there == here or (target not in known and _room(target) is None):
                continue
            doors.setdefault((here, there), []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return doors


def test_subpackages_import_one_another_one_way_only() -> None:
    doors = _doors()
    both = sorted({tuple(sorted(pair)) for pair in doors if pair[::-1] in doors})
    assert not both, "\n".join(
        f"{a} <-> {b}: {doors[(a, b)][:3]} and {doors[(b, a)][:3]}" for a, b in both
    )


def _private_engine_names() -> set[str]:
    tree = ast.parse((PACKAGE / "engine" / "engine.py").read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("_")
            and not node.name.startswith("__")
        ):
            names.add(node.name)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            names.add(node.attr)
    return names


def test_no_module_but_the_engine_uses_a_private_engine_name() -> None:
    private = _private_engine_names()
    found = []
    for name, path in _modules():
        if name == "collegium.engine.engine":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "collegium.engine.engine":
                found += [
                    f"{name}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                ]
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in private
                and isinstance(node.value, ast.Name)
                and "engine" in node.value.id.lower()
            ):
                found.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not found, found


def test_the_commands_live_in_one_subpackage() -> None:
    assert not sorted(p.name for p in PACKAGE.glob("_cli_*.py"))


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): n
        for _, path in _modules()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
