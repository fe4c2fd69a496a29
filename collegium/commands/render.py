"""Human output of the command line: rich tables and panels, every label in the language asked for.

Imported only inside the commands of :mod:`collegium.commands`, so that ``collegium --help``
never loads rich. The words themselves are in :mod:`collegium._words`.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium._words import word, word_or

if TYPE_CHECKING:  # rich is imported where it is used: `collegium simulate` needs only the words
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    from collegium import RuleResult, Verdict


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout/stderr; wide when not a terminal, so nothing is cut off."""
    kind = _console_class()
    file = sys.stderr if stderr else sys.stdout
    con = kind(file=file, highlight=False, soft_wrap=False)
    if not con.is_terminal:
        con = kind(file=file, highlight=False, width=120, color_system=None)
    return con


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        """rich's console, leaving a closed pipe to the command line's handling (exit 141, no
        message) rather than exiting 1 itself."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return _Console


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    return str(value)


def plain(value: Any) -> str:
    """A fact value as one short line of text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def table(title: str | None, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    from rich.table import Table
    from rich.text import Text as RichText

    t = Table(title=title, title_justify="left", show_lines=False, show_header=any(headers))
    for h in headers:
        t.add_column(h, overflow="fold")
    for row in rows:
        t.add_row(
            *(
                c if isinstance(c, RichText) else RichText(plain(c) if c is not None else "")
                for c in row
            )
        )
    return t


def panel(body: str, title: str | None = None) -> Panel:
    from rich.panel import Panel
    from rich.text import Text as RichText

    return Panel(RichText(body), title=title, title_align="left", expand=False)


def _status(passed: bool, severity: str, applicable: bool, lang: str) -> RichText:
    from rich.text import Text as RichText

    if not applicable:
        return RichText(word("n/a", lang), style="dim")
    if severity == "branch":
        return RichText(word("branch", lang) + (" ✓" if passed else " ✗"), style="cyan")
    if passed:
        return RichText(word("passed", lang), style="green")
    if severity == "warn":
        return RichText(word("warning", lang), style="yellow")
    return RichText(word("failed", lang), style="bold red")


def rule_table(title: str | None, results: Iterable[Mapping[str, Any]], lang: str) -> Table:
    """A verdict table from rule results in their document form (``RuleResult.to_dict``)."""
    return table(
        title,
        [
            word("rule", lang),
            word("result", lang),
            word("title", lang),
            word("message", lang),
            word("citation", lang),
        ],
        (
            [
                r["rule"],
                _status(r["passed"], r["severity"], r["applicable"], lang),
                r["title"],
                r["message"],
                r["citation"],
            ]
            for r in results
        ),
    )


def verdict_table(verdict: Verdict, lang: str, title: str | None = None) -> Table:
    """The verdict table of ``verdict``, as :func:`rule_table` draws it."""
    return rule_table(title, (r.to_dict(lang) for r in verdict.results), lang)


def failure_lines(failures: Iterable[RuleResult], lang: str) -> list[str]:
    """One line per failed rule: id, message in ``lang`` and citation."""
    return [
        f"  {r.rule_id}: {r.message(lang)} ({word('citation', lang)}: {r.citation})"
        for r in failures
    ]


def facts_table(
    facts: Mapping[str, Any], lang: str, labels: Mapping[str, str] | None = None
) -> Table:
    labels = labels or {}
    return table(
        word("facts", lang),
        [word("fact", lang), word("value", lang)],
        (
            [f"{k} ({labels[k]})" if k in labels and labels[k] != k else k, v]
            for k, v in facts.items()
        ),
    )


# -- ballot results --------------------------------------------------------------------------------
def seps(lang: str) -> tuple[str, str]:
    """The comma and colon of ``lang``."""
    return ("，", "：") if lang == "zh-CN" else (", ", ": ")


def counts_line(counts: Mapping[str, int], lang: str) -> str:
    """``agree 3, oppose 1, abstain 0`` (``同意 3，不同意 1，弃权 0``)."""
    comma, _ = seps(lang)
    return comma.join(f"{word_or(f'option.{k}', lang, k)} {v}" for k, v in counts.items())


def figure_line(key: str, figure: Mapping[str, Any] | None, value: Any, lang: str) -> str:
    """``quorum: present needed: 3 (R-QUORUM-SC, >= 2/3)``: a figure with the rule that set it."""
    _, colon = seps(lang)
    how = ""
    if figure and figure.get("op"):
        how = (
            f"（{figure['rule']}，{figure['op']} {figure['ratio']}）"
            if lang == "zh-CN"
            else f" ({figure['rule']}, {figure['op']} {figure['ratio']})"
        )
    elif figure and figure.get("rule"):
        how = f"（{figure['rule']}）" if lang == "zh-CN" else f" ({figure['rule']})"
    return f"{word(key, lang)}{colon}{value}{how}"


def item_line(item: str, one: Mapping[str, Any], lang: str) -> str:
    """One item of a list voted item by item, in two lines: its outcome and counts, then its
    threshold (and dissent): ``item Zhang: passed (agree 3, disagree 1, defer 0)``."""
    _, colon = seps(lang)
    counts = counts_line(one["counts"], lang) or word("none", lang)
    head = f"{word('item', lang, item=item)}{colon}{one['outcome_label']}" + (
        f"（{counts}）" if lang == "zh-CN" else f" ({counts})"
    )
    parts = []
    if one.get("needed") is not None:
        parts.append(figure_line("needed", one.get("threshold"), one["needed"], lang))
    if one.get("dissent") is not None:
        parts.append(
            f"{word('dissent', lang)}{colon}{', '.join(one['dissent']) or word('none', lang)}"
        )
    return head + ("\n  " + ("；" if lang == "zh-CN" else "; ").join(parts) if parts else "")
