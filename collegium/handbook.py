"""The procedure handbook, generated from the procedures and rule packs in force: one Markdown page
per procedure and language — its diagram, states, the steps with who may take them and the rules
that guard them, and each rule with its title and citation — so what people read is what the engine
runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from collegium import diagram
from collegium._catalog import Message
from collegium._i18n import Text, cite
from collegium._words import shape, word
from collegium.engine.clock import iso_duration
from collegium.engine.registry import CompiledProcedure, Plan, Registry
from collegium.engine.shapes import trigger_data
from collegium.errors import CollegiumError, InvalidInput

LANGS = ("en", "zh-CN")


def _head(keys: tuple[str, ...], lang: str) -> str:
    """A table's header row: the handbook's words for ``keys`` in ``lang``."""
    return "| " + " | ".join(word(f"handbook.{key}", lang) for key in keys) + " |"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def page(proc: CompiledProcedure, lang: str) -> str:
    spec, pack = proc.spec, proc.pack
    roles = {r: label.get(lang) for r, label in pack.roles.items()}
    out = [f"# {spec.title.get(lang)} (`{spec.key}`)", "", word("handbook.generated", lang), ""]
    if spec.description:
        out += [spec.description.get(lang), ""]
    colon = "：" if lang == "zh-CN" else ": "
    out += [
        f"{word('handbook.pack', lang)}{colon}`{pack.key}` — {pack.title.get(lang)}",
        "",
        "```mermaid",
        diagram.mermaid(proc, lang).rstrip("\n"),
        "```",
        "",
        f"## {word('handbook.states', lang)}",
        "",
        _head(("state", "label", "end", "timers"), lang),
        "|---|---|---|---|",
    ]
    for sid, st in spec.states.items():
        timers = ", ".join(
            f"{t.trigger} ({t.after or t.at}{_reminders(t.remind, lang)})" for t in st.timers
        )
        end = word("handbook.yes", lang) if st.terminal else ""
        out.append(f"| `{sid}` | {_cell(st.label.get(lang))} | {end} | {timers} |")
    out += [
        "",
        f"## {word('handbook.steps', lang)}",
        "",
        _head(("step", "from", "to", "who", "guarded"), lang),
        "|---|---|---|---|---|",
    ]
    used: dict[str, None] = {}
    rows: list[tuple[str, Text | None, str, str, tuple[str, ...], Plan | None]] = [
        (spec.start.trigger, spec.start.label, "—", spec.initial, spec.start.roles, proc.start_plan)
    ]
    rows += [
        (
            t.trigger,
            t.label,
            ", ".join(t.source),
            f"{t.dest} ({word('handbook.reenter', lang)})" if t.reenter else t.dest,
            t.roles,
            proc.plan(t.source[0], t.trigger),
        )
        for t in spec.transitions
    ]
    for trigger, label, src, dest, who, plan in rows:
        ids = [r.id for r in plan.rules] if plan is not None else []
        used.update(dict.fromkeys(ids))
        name = f"`{trigger}`" + (f" {_cell(label.get(lang))}" if label else "")
        out.append(
            f"| {name} | {src} | {dest} | "
            f"{', '.join(roles.get(r, r) for r in who)} | {', '.join(ids)} |"
        )
    for t in spec.transitions:
        if t.when:
            used[t.when] = None
    out += _roles_section(proc, lang)
    out += _data_section(proc, lang)
    out += [
        "",
        f"## {word('handbook.rules', lang)}",
        "",
        _head(("rule", "title", "severity", "citation"), lang),
        "|---|---|---|---|",
    ]
    for rule_id in sorted(used):
        rule = pack.rule(rule_id)
        if rule is not None:
            severity = word(f"handbook.{rule.severity}", lang)
            out.append(
                f"| `{rule.id}` | {_cell(rule.title.get(lang))} | {severity} | "
                f"{_cell(cite(rule.citation, lang))} |"
            )
    return "\n".join(out) + "\n"


def _roles_section(proc: CompiledProcedure, lang: str) -> list[str]:
    """The pack's roles a body seats members in, each with the roles its holder also acts in."""
    pack = proc.pack
    if not pack.roles:
        return []
    out = [
        "",
        f"## {word('handbook.roles', lang)}",
        "",
        _head(("role", "label", "acts_as"), lang),
        "|---|---|---|",
    ]
    for name, role in pack.roles.items():
        acts = ", ".join(pack.roles[r].get(lang) for r in pack.acting_roles(name)[1:])
        out.append(f"| `{name}` | {_cell(role.get(lang))} | {_cell(acts)} |")
    return out


def _data_section(proc: CompiledProcedure, lang: str) -> list[str]:
    """The table of the data each step takes: one row a key, with its type and whether it is
    required."""
    out = [
        "",
        f"## {word('handbook.data', lang)}",
        "",
        _head(("step", "key", "type", "required"), lang),
        "|---|---|---|---|",
    ]
    for trigger, keys in trigger_data(proc).items():
        for i, key in enumerate(keys):
            kind = shape(key.type, lang, values=key.values, keys=key.keys)
            needed = word("handbook.yes", lang) if key.required else ""
            step = f"`{trigger}`" if i == 0 else ""
            out.append(f"| {step} | `{key.name}` | {_cell(kind)} | {needed} |")
    return out


def pages(registry: Registry) -> dict[str, str]:
    """File name -> Markdown text, for every procedure (its latest version) in both languages, and
    an index."""
    out: dict[str, str] = {}
    index = {
        lang: [f"# {word('handbook.index', lang)}", "", word("handbook.generated", lang), ""]
        for lang in LANGS
    }
    for pid in sorted({p.id for p in registry.procedures()}):
        proc = registry.compiled(pid)
        for lang in LANGS:
            name = f"{pid}.md" if lang == "en" else f"{pid}.{lang}.md"
            out[name] = page(proc, lang)
            index[lang].append(f"- [{proc.spec.title.get(lang)}]({name}) (`{proc.spec.key}`)")
    out["README.md"] = "\n".join(index["en"]) + "\n"
    out["README.zh-CN.md"] = "\n".join(index["zh-CN"]) + "\n"
    return out


class HandbookStale(CollegiumError):
    """The committed handbook is not what the procedures and packs generate
    (``collegium docs --check`` exits 1)."""

    exit_code = 1


def stale(registry: Registry, directory: Path) -> list[str]:
    """The pages in ``directory`` that differ from what the registry generates (or are missing or
    extra)."""
    want = pages(registry)
    have = (
        {p.name: p.read_text(encoding="utf-8") for p in directory.glob("*.md")}
        if directory.is_dir()
        else {}
    )
    return sorted(name for name in set(want) | set(have) if want.get(name) != have.get(name))


def write(registry: Registry, directory: Path) -> list[str]:
    """Write the handbook's pages to ``directory`` (made if missing; pages no longer generated
    are removed); their names. :class:`InvalidInput` if the directory cannot be made or written."""
    written = pages(registry)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.md"):
            if old.name not in written:
                old.unlink()
        for name, text in written.items():
            (directory / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput(
            Message(
                "cannot write the handbook to {directory}: {reason}",
                directory=directory,
                reason=reason,
            )
        ) from None
    return sorted(written)


def _reminders(leads: tuple[dt.timedelta, ...], lang: str) -> str:
    if not leads:
        return ""
    leads_text = ", ".join(iso_duration(lead) for lead in leads)
    return "; " + word("handbook.remind", lang, leads=leads_text)
