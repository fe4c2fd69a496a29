"""A griffe extension for the API pages: Collegium's docstrings follow Sphinx conventions, the form
source readers and ``help()`` know, and this turns them into what mkdocstrings renders.

- A cross-reference written as a reST role (``:class:`Engine```,
  ``:func:`~collegium.engine.calendar.run```, ``:meth:`shown <path>```) becomes a Markdown
  cross-reference to the full path the name has where the docstring stands
  (``[Engine][collegium.engine.engine.Engine]``): the site links it, and ``mkdocs build --strict``
  fails on a reference to anything the pages do not document. A name that cannot be resolved is kept
  as written, which fails the strict build too.
- An attribute documented by ``#:`` comments on the lines just above it gets them as its docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import griffe

#: ``:role:`name```, ``:role:`~name``` (shown by its last part) or ``:role:`shown <name>```
ROLE = re.compile(
    r":(?:class|func|meth|attr|data|mod|obj|exc):"
    r"`(?:([^`<]+?) <([A-Za-z_][\w.]*)>|(~?)([A-Za-z_][\w.]*))`"
)


def full_path(obj: griffe.Object, name: str) -> str:
    """The full path of ``name`` as written in a docstring of ``obj``: dotted
    from a name ``obj`` can see."""
    if name.startswith("collegium."):
        return name
    head, _, rest = name.partition(".")
    try:
        resolved = obj.resolve(head)
    except griffe.NameResolutionError:
        return name
    return f"{resolved}.{rest}" if rest else resolved


def rewrite(obj: griffe.Object, text: str) -> str:
    """``text`` with every reST role replaced by a Markdown cross-reference (``~`` shows the last
    part only), and reST literal blocks (a paragraph ending in ``::``, then an indented block) as
    Markdown code blocks, in which a role is shown as plain text."""

    def link(match: re.Match[str]) -> str:
        titled, target, short, name = match.groups()
        if target:
            return f"[`{titled}`][{full_path(obj, target)}]"
        shown = name.rsplit(".", 1)[-1] if short else name
        return f"[`{shown}`][{full_path(obj, name)}]"

    def plain(match: re.Match[str]) -> str:
        titled, _target, short, name = match.groups()
        return str(titled or (name.rsplit(".", 1)[-1] if short else name))

    out: list[str] = []
    literal = False
    for line in text.split("\n"):
        if literal and line.strip() and not line.startswith((" ", "\t")):
            literal = False  # the indented block ended
        if literal:
            out.append(ROLE.sub(plain, line))
            continue
        if line.rstrip().endswith("::"):  # "text::" shows as "text:", a lone "::" not at all
            literal = True
            line = line.rstrip()[:-2].rstrip()
            line = f"{line}:" if line else ""
        out.append(ROLE.sub(link, line))
    return "\n".join(out)


def doc_comment(attr: griffe.Object) -> str | None:
    """The ``#:`` comment lines just above an attribute, joined, or ``None``."""
    if attr.lineno is None:
        return None
    lines = attr.module.lines
    found: list[str] = []
    at = attr.lineno - 2
    while at >= 0 and lines[at].strip().startswith("#:"):
        found.insert(0, lines[at].strip()[2:].strip())
        at -= 1
    return " ".join(found) or None


def walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if isinstance(member, griffe.Object):  # not an alias: documented where it is defined
            yield from walk(member)


class SphinxRoles(griffe.Extension):
    """Rewrite the package's docstrings once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in walk(pkg):
            if obj.docstring is None and obj.is_attribute and (comment := doc_comment(obj)):
                obj.docstring = griffe.Docstring(comment, lineno=obj.lineno, parent=obj)
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj, obj.docstring.value)
