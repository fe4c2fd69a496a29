"""No file of the project keeps a merge's conflict markers: a line opening or closing a conflict
(seven '<' or '>' and a space) in the code, the docs, the tests, the examples or the definitions
would be read as text by the docs build and as data by YAML, and pass unnoticed otherwise."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("collegium", "docs", "tests", "features", "examples", "benchmarks", ".ci")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".feature", ".toml", ".po", ".html", ".cfg", ".txt", ""}
MARKER = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def _files() -> list[Path]:
    found = [p for p in ROOT.iterdir() if p.is_file() and p.suffix in SUFFIXES]
    for folder in FOLDERS:
        found += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    return [p for p in found if "__pycache__" not in p.parts]


def test_no_file_keeps_a_conflict_marker() -> None:
    marked = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if MARKER.search(text):
            marked.append(str(path.relative_to(ROOT)))
    assert marked == []


def test_the_check_sees_a_marker() -> None:
    assert MARKER.search("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> branch\n")
    assert not MARKER.search("a << b\n>>> prompt\n")
