"""rule-engine's parser tables are built ahead of time (``collegium.rules.grammar``): the kept
tables match the installed grammar, the parser is built from them, and nothing of them stays in
``sys.modules``."""

from __future__ import annotations

import subprocess
import sys

from collegium.rules import grammar


def test_the_kept_tables_match_the_installed_grammar() -> None:
    assert grammar.kept_signature() == grammar.signature(), (
        "rule-engine's grammar changed: run `python -m collegium.rules.grammar` to rebuild the "
        "tables"
    )


def test_rule_engine_is_imported_with_the_kept_tables_and_leaves_none_behind() -> None:
    probe = (
        "import sys\n"
        "from collegium.rules import grammar\n"
        "re_ = grammar.load()\n"
        "productions = re_.Rule.parser._parser.productions\n"
        "print(type(productions[0]).__name__, grammar.TABLES_MODULE in sys.modules,\n"
        "      re_.Rule('a * 2 > b').matches({'a': 3, 'b': 5}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    # PLY keeps MiniProduction records when it reads tables, Production ones when it builds them
    assert done.stdout.split() == ["MiniProduction", "False", "True"], done.stderr


def test_without_tables_rule_engine_still_loads(monkeypatch: object) -> None:
    probe = (
        "from collegium.rules import grammar\n"
        "grammar._tables = lambda: None\n"
        "re_ = grammar.load()\n"
        "print(type(re_.Rule.parser._parser.productions[0]).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["Production"], done.stderr
