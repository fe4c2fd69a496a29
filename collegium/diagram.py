"""Diagrams of a procedure: its states with their labels in one language, its transitions with the
trigger's label and the rules (other than the role rule) that guard or choose them; Mermaid
``stateDiagram-v2`` text or Graphviz DOT text, optionally with the state an instance is in
highlighted. Both are plain text formats that need no renderer to produce; SVG is rendered by
Graphviz's ``dot`` when it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

from collegium.engine.registry import CompiledProcedure
from collegium.errors import InvalidInput

_UNSAFE = re.compile(r'["\\:;{}<>|#]')


def _clean(text: str) -> str:
    """A label as Mermaid and DOT both take it: no quotes, colons or braces (a colon ends a Mermaid
    label)."""
    return _UNSAFE.sub(" ", text).strip()


def edges(proc: CompiledProcedure, lang: str) -> Iterator[tuple[str, str, str, list[str]]]:
    """(source, destination, trigger label, rule ids) for every transition, in the procedure's
    order."""
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
            yield src, t.dest, _clean(label or (named.get(lang) if named else t.trigger)), rules


def mermaid(proc: CompiledProcedure, lang: str = "en", current: str | None = None) -> str:
    spec = proc.spec
    out = ["stateDiagram-v2", f"    %% {spec.key}: {_clean(spec.title.get(lang))}"]
    for sid, st in spec.states.items():
        out.append(f'    state "{_clean(st.label.get(lang))}" as {sid}')
    out.append(f"    [*] --> {spec.initial}")
    for src, dest, label, rules in edges(proc, lang):
        out.append(f"    {src} --> {dest}: {label}" + (f" [{', '.join(rules)}]" if rules else ""))
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
        f'    label="{_clean(spec.title.get(lang))} ({spec.key})";',
        '    start [shape=point, label=""];',
    ]
    for sid, st in spec.states.items():
        attrs = [f'label="{_clean(st.label.get(lang))}\\n({sid})"']
        if st.terminal:
            attrs.append("peripheries=2")
        if sid == current:
            attrs += ['style="rounded,filled"', 'fillcolor="#ffe08a"']
        out.append(f"    {sid} [{', '.join(attrs)}];")
    out.append(f"    start -> {spec.initial};")
    for src, dest, label, rules in edges(proc, lang):
        text = label + (f"\\n[{', '.join(rules)}]" if rules else "")
        out.append(f'    {src} -> {dest} [label="{text}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def svg(proc: CompiledProcedure, lang: str = "en", current: str | None = None) -> str:
    """SVG rendered by Graphviz's ``dot``; :class:`InvalidInput` saying so when it is not
    installed."""
    binary = shutil.which("dot")
    if binary is None:
        raise InvalidInput(
            "--format svg needs Graphviz's 'dot' program, which is not installed; "
            "use --format mermaid or dot"
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
            f"dot could not render the diagram: {done.stderr.decode(errors='replace').strip()}"
        )
    return done.stdout.decode()
