"""Text inside the report's SVG drawings: escaped for XML, measured roughly (a wide East Asian
character counts as two narrow ones), cut to fit with an ellipsis, wrapped on two lines."""

from __future__ import annotations

import unicodedata
from html import escape

__all__ = ["cut", "esc", "fmt", "units", "wrap"]


def esc(text: object) -> str:
    """``text`` safe in XML/HTML text and in a double-quoted attribute."""
    return escape(str(text), quote=True)


def fmt(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def units(text: str) -> int:
    """The width of ``text`` in narrow characters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, most: int) -> str:
    """``text`` on one line, cut to ``most`` narrow characters with an ellipsis when longer."""
    text = " ".join(text.split())
    if units(text) <= most:
        return text
    out, width = [], 0
    for c in text:
        width += units(c)
        if width > most - 1:
            break
        out.append(c)
    return "".join(out).rstrip() + "…"


def wrap(text: str, most: int, lines: int = 2) -> list[str]:
    """``text`` wrapped on at most ``lines`` lines of ``most`` narrow characters, at spaces where
    there are any, the last line cut with an ellipsis."""
    text = " ".join(text.split())
    out: list[str] = []
    while text and len(out) < lines - 1 and units(text) > most:
        head = cut(text, most + 1)[:-1]  # as much as fits, without the ellipsis
        space = head.rfind(" ")
        if space > 0 and " " in text:
            head = head[:space]
        out.append(head.rstrip())
        text = text[len(head) :].lstrip()
    if text:
        out.append(cut(text, most))
    return out
