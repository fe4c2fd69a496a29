"""Diagrams of a procedure: its states with their labels in one language, its transitions with the
trigger's label and the rules (other than the role rule) that guard or choose them; Mermaid
``stateDiagram-v2`` text or Graphviz DOT text, optionally with the state an instance is in
highlighted. Both are plain text formats that need no renderer to produce; SVG is rendered by
Graphviz's ``dot`` when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

from collegium._catalog import Message
from collegium.engine.registry import CompiledProcedure
from collegium.errors import InvalidInput

#: the ASCII punctuation a Mermaid label holds as written
_PLAIN = frozenset(" ()[],.'!?-_/+*=@$~^")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _mermaid_text(text: str) -> str:
    """``text`` as a Mermaid label, on one line: each ASCII character Mermaid's syntax could read
    (a quote, colon, semicolon, ``#``, ``<``, ``>``, ``&``, a brace, …) as an entity code such as
    ``#58;``, which the diagram shows as the character itself."""
    return "".join(
        c if c.isalnum() or c in _PLAIN or not c.isascii() else f"#{ord(c)};"
        for c in _one_line(text)
    )


def _dot_text(text: str) -> str:
    """``text`` inside a DOT double-quoted string, on one line: backslashes and quotes escaped."""
    return _one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def edges(proc: CompiledProcedure, lang: str) -> Iterator[tuple[str, str, str, list[str]]]:
    """(source, destination, trigger label, rule ids) for every transition, in the procedure's
    order; the label as written, for :func:`mermaid` and :func:`dot` to escape."""
    spec = proc.spec
    for t in spec.transitions:
        label = t.label.get(lang) if t.label else None
        for src in t.source:
            plan = proc.plan(src, t.trigger)
            rules = (
                [r.id for r in plan.rules if r.spec.check.kind != "role"]
                if plan is not None
                else []
            )
            if t.when:
                rules = [f"{t.when}?", *rules]
            named = next(
                (x.label for x in spec.transitions if x.trigger == t.trigger and x.label), None
            )
            yield src, t.dest, label or (named.get(lang) if named else t.trigger), rules


def mermaid(proc: CompiledProcedure, lang: str = "en", current: str | None = None) -> str:
    spec = proc.spec
    out = ["stateDiagram-v2", f"    %% {spec.key}: {_one_line(spec.title.get(lang))}"]
    for sid, st in spec.states.items():
        out.append(f'    state "{_mermaid_text(st.label.get(lang))}" as {sid}')
    out.append(f"    [*] --> {spec.initial}")
    for src, dest, label, rules in edges(proc, lang):
        text = label + (f" [{', '.join(rules)}]" if rules else "")
        out.append(f"    {src} --> {dest}: {_mermaid_text(text)}")
    out.extend(f"    {sid} --> [*]" for sid, st in spec.states.items() if st.terminal)
    if current is not None:
        out += [
            "    classDef current fill:#ffe08a,stroke:#b8860b,stroke-width:2px",
            f"    class {current} current",
        ]
    return "\n".join(out) + "\n"


def dot(proc: CompiledProcedure, lang: str = "en", current: str | None = None) -> str:
    spec = proc.spec
    out = [
        f'digraph "{spec.id}" {{',
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="sans-serif"];',
        f'    label="{_dot_text(spec.title.get(lang))} ({spec.key})";',
        '    start [shape=point, label=""];',
    ]
    for sid, st in spec.states.items():
        attrs = [f'label="{_dot_text(st.label.get(lang))}\\n({sid})"']
        if st.terminal:
            attrs.append("peripheries=2")
        if sid == current:
            attrs += ['style="rounded,filled"', 'fillcolor="#ffe08a"']
        out.append(f"    {sid} [{', '.join(attrs)}];")
    out.append(f"    start -> {spec.initial};")
    for src, dest, label, rules in edges(proc, lang):
        text = _dot_text(label) + (f"\\n[{_dot_text(', '.join(rules))}]" if rules else "")
        out.append(f'    {src} -> {dest} [label="{text}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def svg(proc: CompiledProcedure, lang: str = "en", current: str | None = None) -> str:
    """SVG rendered by Graphviz's ``dot``; :class:`InvalidInput` saying so when it is not
    installed."""
    binary = shutil.which("dot")
    if binary is None:
        raise InvalidInput(
            Message(
                "--format svg needs Graphviz's 'dot' program, which is not installed; "
                "use --format mermaid or dot"
            )
        )
    done = subprocess.run(
        [binary, "-Tsvg"],
        input=dot(proc, lang, current).encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise InvalidInput(
            Message(
                "dot could not render the diagram: {problem}",
                problem=done.stderr.decode(errors="replace").strip(),
            )
        )
    return done.stdout.decode()
