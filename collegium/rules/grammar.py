"""rule-engine, imported with its parser's tables built ahead of time.

Importing rule-engine builds its parser (``Rule.parser``) with PLY, which computes the LALR tables
of the grammar on every import unless it finds them in a module ``rule_engine.parser.parsetab``;
rule-engine ships none and asks PLY to write none. That took 280-430 ms of every command that
evaluates an expression. :func:`load` offers PLY the tables kept in ``grammar_tables.json`` (made
by ``python -m collegium.rules.grammar`` from the installed rule-engine) for the duration of the
import only; PLY uses them only if their signature matches the grammar it reflects, and otherwise
builds its tables as before, so a different rule-engine is never parsed with stale tables.
``tests/test_grammar_tables.py`` fails when the kept tables no longer match.
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from importlib import resources
from pathlib import Path
from typing import Any

#: Where PLY looks for the tables of rule-engine's parser.
TABLES_MODULE = "rule_engine.parser.parsetab"
TABLES_FILE = "grammar_tables.json"
_FIELDS = (
    "_tabversion",
    "_lr_method",
    "_lr_signature",
    "_lr_action",
    "_lr_goto",
    "_lr_productions",
)


def load() -> types.ModuleType:
    """The ``rule_engine`` module, imported once per process with the kept tables offered."""
    loaded = sys.modules.get("rule_engine")
    if loaded is not None:
        return loaded
    tables = _tables()
    offered = tables is not None and sys.modules.setdefault(TABLES_MODULE, tables) is tables
    try:
        module = importlib.import_module("rule_engine")
    finally:
        if offered:
            sys.modules.pop(TABLES_MODULE, None)
    return module


def _tables() -> types.ModuleType | None:
    """The kept tables as the module PLY reads, or None if they cannot be read."""
    try:
        data = json.loads(resources.files(__package__).joinpath(TABLES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    module = types.ModuleType(TABLES_MODULE, "LALR tables of rule-engine's grammar")
    module._tabversion = data["_tabversion"]  # type: ignore[attr-defined]
    module._lr_method = data["_lr_method"]  # type: ignore[attr-defined]
    module._lr_signature = data["_lr_signature"]  # type: ignore[attr-defined]
    module._lr_action = _int_keys(data["_lr_action"])  # type: ignore[attr-defined]
    module._lr_goto = _int_keys(data["_lr_goto"])  # type: ignore[attr-defined]
    productions = [tuple(p) for p in data["_lr_productions"]]
    module._lr_productions = productions  # type: ignore[attr-defined]
    return module


def _int_keys(table: dict[str, dict[str, int]]) -> dict[int, dict[str, int]]:
    """JSON keeps the parser states (integers) as text: back to integers."""
    return {int(state): moves for state, moves in table.items()}


def signature() -> str:
    """The signature PLY computes for the installed rule-engine's grammar (what the kept tables must
    carry to be used)."""
    from rule_engine._vendor.ply import yacc
    from rule_engine.parser import Parser

    parser = Parser()
    pdict: dict[str, Any] = {k: getattr(parser, k) for k in dir(parser)}
    pdict.setdefault("__file__", sys.modules[pdict["__module__"]].__file__)
    reflect = yacc.ParserReflect(pdict)
    reflect.get_all()
    return str(reflect.signature())


def kept_signature() -> str | None:
    """The signature of the kept tables (None if they cannot be read)."""
    tables = _tables()
    return None if tables is None else str(tables._lr_signature)


def write(target: Path) -> None:
    """Build the tables of the installed rule-engine's grammar with PLY and keep them in
    ``target`` as JSON."""
    import tempfile

    from rule_engine._vendor.ply import yacc
    from rule_engine.parser import Parser

    with tempfile.TemporaryDirectory() as tmp:
        yacc.yacc(
            module=Parser(),
            debug=False,
            write_tables=True,
            tabmodule="_collegium_tables",
            outputdir=tmp,
        )
        sys.path.insert(0, tmp)
        try:
            built = importlib.import_module("_collegium_tables")
        finally:
            sys.path.remove(tmp)
            sys.modules.pop("_collegium_tables", None)
    data = {name: getattr(built, name) for name in _FIELDS}
    target.write_text(
        json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    out = Path(__file__).with_name(TABLES_FILE)
    write(out)
    sys.stdout.write(f"wrote {out} (signature matches: {kept_signature() == signature()})\n")
