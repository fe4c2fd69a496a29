"""The command line's words (collegium/_words.py and its siblings) are complete and current: each
in English and Chinese with the same placeholders, and each used by the code (a word no code asks
for is stale)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from collegium._words import _WORDS

PACKAGE = Path(__file__).resolve().parents[1] / "collegium"


def fields(text: str) -> set[str]:
    """The placeholders' names (a plural's ``{n:one|many}`` counts as ``n``)."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def asked_for() -> tuple[set[str], set[str]]:
    """The string literals of the code, and the constant starts of its f-strings that name a
    family of words (``shape.`` of ``f"shape.{kind}"``: a start ending in a dot, so that an
    unrelated ``f"m{i}"`` does not excuse every word beginning with m), leaving out the word
    tables themselves."""
    literals: set[str] = set()
    starts: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = {
            id(key)
            for node in ast.walk(tree)
            if isinstance(node, ast.AnnAssign | ast.Assign)
            and isinstance(node.value, ast.Dict)
            and path.name.startswith("_words")
            for key in node.value.keys
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in tables:
                    literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if (
                    isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and first.value.endswith(".")
                ):
                    starts.add(first.value)
    return literals, starts


def test_every_word_is_said_in_both_languages_with_the_same_placeholders() -> None:
    assert [k for k, (en, zh) in _WORDS.items() if not en.strip() or not zh.strip()] == []
    assert [k for k, (en, zh) in _WORDS.items() if fields(en) != fields(zh)] == []


def test_no_word_is_stale() -> None:
    literals, starts = asked_for()
    stale = [
        key
        for key in _WORDS
        if key not in literals and not any(start and key.startswith(start) for start in starts)
    ]
    assert stale == [], "no code asks for these words: remove them"
