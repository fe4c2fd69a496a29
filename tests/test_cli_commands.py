"""The command line's layout: the commands live in `collegium.commands`, are imported only when
they run or show their help, list themselves in `collegium --help` without being imported, and
reach the engine only through the public API."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

import collegium
from collegium.cli import cli
from collegium.commands import COMMANDS

PACKAGE = Path(collegium.__file__).parent
COMMANDS_DIR = PACKAGE / "commands"

# the modules of `collegium` that commands may import besides the package itself (its exports) and
# their own: the public modules (the web console's among them), the one table of words, and the one
# reading of a fact's value that the console shares
ALLOWED = {
    "collegium",
    "collegium.console",
    "collegium.errors",
    "collegium.scenario",
    "collegium.generate",
    "collegium.diagram",
    "collegium.handbook",
    "collegium._words",
    "collegium._facts_shown",
}


def _loaded_after(*args: str) -> list[str]:
    """The `collegium.commands` modules imported by running `collegium ARGS` in a fresh
    interpreter."""
    code = (
        "import json, sys\nfrom collegium.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('collegium.commands'))), "
        "file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stderr.strip().splitlines()[-1])


BASE = ["collegium.commands", "collegium.commands.common", "collegium.commands.lazy"]


def test_help_and_version_import_no_command() -> None:
    assert _loaded_after("--help") == BASE
    assert _loaded_after("--version") == BASE


def test_a_command_imports_its_own_module_only() -> None:
    loaded = _loaded_after("rules", "list")
    assert "collegium.commands.rules" in loaded
    assert not {
        "collegium.commands.vote",
        "collegium.commands.ballots",
        "collegium.commands.meeting",
        "collegium.commands.instances",
        "collegium.commands.procedures",
    } & set(loaded), loaded
    assert "collegium.commands.vote" in _loaded_after("vote", "--help")


def test_every_command_is_listed_where_it_lives() -> None:
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    for name, lazy in COMMANDS.items():
        command = lazy.load()
        assert command.name == name, name
        assert lazy.target.startswith("collegium.commands."), lazy.target


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_gives_the_short_help_of_its_command(name: str) -> None:
    command = COMMANDS[name].load()
    stand_in = click.Command(name, help=COMMANDS[name].summary)
    for limit in range(10, 240, 7):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (
            name,
            limit,
        )


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """Every import of `path`, at any depth (in functions and `if TYPE_CHECKING:` too): module,
    names."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_commands_reach_the_engine_only_through_the_public_api() -> None:
    exported = (
        set(collegium._EXPORTS) | set(collegium._HELPERS) | {"__version__", "diagram", "handbook"}
    )
    files = sorted(COMMANDS_DIR.glob("*.py"))
    assert len(files) > 10
    for path in files:
        for module, names in _imports(path):
            if not module.startswith("collegium"):
                continue
            where = f"{path.name}: {module}"
            assert module in ALLOWED or module.startswith("collegium.commands"), where
            if module == "collegium":
                assert set(names) <= exported, f"{where} {sorted(set(names) - exported)}"


def test_no_command_module_is_left_at_the_package_top() -> None:
    assert sorted(p.name for p in PACKAGE.glob("_cli*.py")) == []
    assert not (PACKAGE / "_render.py").exists()


def test_the_words_have_one_home() -> None:
    for path in [*PACKAGE.glob("*.py"), *COMMANDS_DIR.glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = [
            n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_w"
        ]
        assert helpers == [], path.name
