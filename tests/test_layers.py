"""The rooms of the package import one way: read from the source, every import counted (at the top
of a module, inside a function, under ``TYPE_CHECKING``).

The store (``collegium/store/``) imports no engine module: the engine opens stores, so an import
back would tie the two into one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "collegium"
#: the modules at the package's top that every room may use
SHARED = {
    f"collegium.{name}"
    for name in ("errors", "_brief", "_i18n", "_formats", "_reserved", "_catalog")
}


def module_name(path: Path) -> str:
    """``collegium.store.sqlstore`` for ``collegium/store/sqlstore.py``; a package by its folder."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The modules (or packages) of Collegium that ``path`` imports, relative imports resolved; for
    ``from package import name`` the submodule when ``name`` is one."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                as_path = PACKAGE.parent / candidate.replace(".", "/")
                is_module = as_path.with_suffix(".py").exists() or as_path.is_dir()
                found.add(candidate if is_module else source)
    return {m for m in found if m == "collegium" or m.startswith("collegium.")}


def graph(room: str) -> dict[str, set[str]]:
    """Each module of ``collegium/<room>/`` and the Collegium modules it imports."""
    return {module_name(p): imported(p) for p in sorted((PACKAGE / room).rglob("*.py"))}


def in_room(module: str, room: str) -> bool:
    return module == f"collegium.{room}" or module.startswith(f"collegium.{room}.")


def test_the_graph_sees_every_kind_of_import() -> None:
    store = graph("store")
    assert "collegium.store.schema" in store["collegium.store.migrations.env"]  # at the top
    assert "collegium.store.sqlengine" in store["collegium.store.migration"]  # in a function
    assert "collegium.store.sqlstore" in store["collegium.store.sqliteunit"]  # under TYPE_CHECKING
    assert "collegium.store.schema" in store["collegium.store.sqlstore"]  # from a package, a module


def test_the_store_imports_no_engine_module() -> None:
    back = {
        module: sorted(m for m in targets if in_room(m, "engine"))
        for module, targets in graph("store").items()
    }
    assert {module: engine for module, engine in back.items() if engine} == {}


def test_the_store_imports_only_itself_the_definitions_and_shared_modules() -> None:
    allowed = ("store", "workflows", "rules")
    outside = {
        module: sorted(
            m for m in targets if not any(in_room(m, room) for room in allowed) and m not in SHARED
        )
        for module, targets in graph("store").items()
    }
    assert {module: found for module, found in outside.items() if found} == {}
