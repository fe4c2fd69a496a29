"""MkDocs hook: the file-format reference, generated at build time from the JSON Schemas that
``collegium schema procedure|fragment|rules|scenario|body|tests`` prints.

Each schema becomes a page (``format/schema-KIND.md``: every object, its keys, their types,
defaults, constraints and descriptions, linked to each other) and a file beside it
(``format/KIND.schema.json``) for editors. Nothing generated is committed, so these pages cannot
fall behind the models: they are the models' own schemas, printed by the same command a user
runs. A page of the names rules and effects share (``format/vocabulary.md``) is generated the
same way from the engine's tables.
"""

from __future__ import annotations

import json
import re
from typing import Any

from click.testing import CliRunner
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

#: kind -> (page title, what the file is)
KINDS: dict[str, tuple[str, str]] = {
    "procedure": (
        "Procedure file schema",
        "A procedure (`collegium/workflows/*.yaml`): facts, states, the start, "
        "transitions with their roles, rules, data and effects.",
    ),
    "fragment": (
        "Procedure fragment schema",
        "A procedure fragment (`kind: fragment`): a piece of procedure "
        "written once, with parameters a procedure binds when it includes it.",
    ),
    "rules": (
        "Rule pack schema",
        "A rule pack (`collegium/rules/packs/*.yaml`): roles, parameters with their "
        "sources, and rules with their checks.",
    ),
    "scenario": (
        "Scenario file schema",
        "A scenario (`collegium simulate FILE`): bodies, a start time and steps "
        "run on a virtual clock. The `data.start.*` and `data.fire.*` objects say what data "
        "each step takes in the built-in procedures: a `start` step the data of the procedure it "
        "names, a `fire` step (a `vote` too) the keys any built-in procedure with its trigger "
        "takes. They hold where the scenario names no `definitions` of its own.",
    ),
    "body": (
        "Body file schema",
        "A body (`collegium body define FILE`): a committee or board and its "
        "members, each with a role and whether the seat votes.",
    ),
    "tests": (
        "Pack test file schema",
        "A rule pack's tests (`collegium test FILE`): the pack, the bodies the cases name, "
        "and cases of one command each with the verdict expected.",
    ),
}

_ROLE = re.compile(r":(?:class|func|data|attr):`~?(?:[\w.]*\.)?(\w+)`")


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema ``collegium schema KIND`` prints (the command itself is run)."""
    from collegium.commands.schema import schema as command

    result = CliRunner().invoke(command, [kind], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"collegium schema {kind} failed: {result.output}")
    value: dict[str, Any] = json.loads(result.output)
    return value


def anchor(name: str) -> str:
    return name.lower()


def _ref(name: str) -> str:
    return f"[{name}](#{anchor(name)})"


def prose(text: str, defs: dict[str, Any]) -> str:
    """A description as Markdown: reST roles naming an object of this schema become links to it."""

    def link(match: re.Match[str]) -> str:
        name = match.group(1)
        return _ref(name) if name in defs else f"`{name}`"

    return _ROLE.sub(link, text)


def type_of(node: dict[str, Any]) -> str:
    """The type of a schema node in words, objects of the schema linked."""
    if "$ref" in node:
        return _ref(node["$ref"].rsplit("/", 1)[-1])
    if "const" in node:
        return f"`{json.dumps(node['const'], ensure_ascii=False)}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in node["enum"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            return " or ".join(type_of(choice) for choice in node[key])
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        return f"list of {type_of(items)}" if items else "list"
    if kind == "object":
        value = node.get("additionalProperties")
        pattern = node.get("propertyNames", {}).get("pattern")
        keys = f"`{pattern}`" if pattern else "text"
        return f"mapping of {keys} to {type_of(value) if isinstance(value, dict) else 'any value'}"
    if kind == "string" and "format" in node:
        return f"text ({node['format']})"
    words = {
        "string": "text",
        "integer": "integer",
        "number": "number",
        "boolean": "boolean",
        "null": "`null`",
    }
    return words.get(str(kind), "any value")


def constraints(node: dict[str, Any]) -> list[str]:
    """The constraints of a node (and of the items of a list), in words."""
    out = []
    if "pattern" in node:
        out.append(f"matches `{node['pattern']}`")
    for key, word, unit in (
        ("minLength", "at least", "character"),
        ("maxLength", "at most", "character"),
        ("minItems", "at least", "item"),
        ("maxItems", "at most", "item"),
        ("minProperties", "at least", "key"),
        ("minimum", "≥", ""),
        ("maximum", "≤", ""),
    ):
        if key in node:
            count = node[key]
            out.append(f"{word} {count}" + (f" {unit}{'' if count == 1 else 's'}" if unit else ""))
    if isinstance(node.get("items"), dict) and "$ref" not in node["items"]:
        out += [f"each {c}" for c in constraints(node["items"])]
    return out


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def object_section(
    heading: str, ident: str, node: dict[str, Any], defs: dict[str, Any]
) -> list[str]:
    """One object of the schema: its description and a table of its keys."""
    lines = [f"## {heading} {{ #{ident} }}", ""]
    if node.get("description"):
        lines += [prose(node["description"], defs), ""]
    properties: dict[str, Any] = node.get("properties", {})
    if not properties:
        closed = node.get("additionalProperties") is False
        lines += ["No keys are accepted." if closed else f"Type: {type_of(node)}.", ""]
        return lines
    required = set(node.get("required", ()))
    lines += ["| key | type | required | default | notes |", "|---|---|---|---|---|"]
    for key, prop in properties.items():
        default = (
            f"`{json.dumps(prop['default'], ensure_ascii=False)}`" if "default" in prop else ""
        )
        notes = "; ".join(
            [
                *([prose(prop["description"], defs)] if "description" in prop else []),
                *constraints(prop),
            ]
        )
        lines.append(
            f"| `{key}` | {_cell(type_of(prop))} | {'yes' if key in required else ''} "
            f"| {_cell(default)} | {_cell(notes)} |"
        )
    if node.get("additionalProperties") is False:
        lines += ["", "No other keys are accepted."]
    return [*lines, ""]


def _order(root: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """Definitions in the order they are first referred to, from the file's top level down."""
    seen: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and (name := ref.rsplit("/", 1)[-1]) not in seen:
                seen.append(name)
                visit(defs.get(name, {}))
            for key, value in node.items():
                if key != "$defs":
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(root)
    return [*seen, *(name for name in defs if name not in seen)]


def page(kind: str, value: dict[str, Any]) -> str:
    """The Markdown page of one schema."""
    title, what = KINDS[kind]
    defs: dict[str, Any] = value.get("$defs", {})
    lines = [
        f"# {title}",
        "",
        what,
        "",
        f"Generated when the site is built from `collegium schema {kind}`, the JSON Schema of the "
        f"model `{value.get('title', kind)}`. Save it for an editor's YAML support: "
        f"[{kind}.schema.json]({kind}.schema.json). "
        "What the keys mean in practice: [Procedures and rule packs](index.md).",
        "",
    ]
    lines += object_section(f"The file: {value.get('title', kind)}", "file", value, defs)
    for name in _order(value, defs):
        lines += object_section(name, anchor(name), defs[name], defs)
    return "\n".join(lines)


def vocabulary() -> str:
    """The page of the names rules and effects share: the engine's facts, the
    record facts, effect inputs."""
    from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
    from collegium.workflows.spec import EFFECT_INPUTS

    lines = [
        "# Facts and effect inputs",
        "",
        "Generated when the site is built from `collegium.rules.facts` and "
        "`collegium.workflows.spec`.",
        "",
        "## Engine facts { #engine-facts }",
        "",
        "Every rule can read these besides the procedure's own facts: the engine derives them for "
        "each command from the command, the body's membership, the meeting's attendance and the "
        "ballot. Their names are reserved: a procedure may not declare a fact with one of them.",
        "",
        "| fact | type | meaning | 含义 |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{name}` | {kind} | {label.en} | {label.zh} |"
        for name, (kind, label) in ENGINE_FACTS.items()
    ]
    lines += [
        "",
        "## Record facts { #record-facts }",
        "",
        "Facts that effects keep on an instance (the consultations, the meeting, the ballot and "
        "its result, children started, targets, logs). They are set only through effects, never "
        "from a command's data.",
        "",
        "| fact | type |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {kind} |" for name, kind in RECORD_FACTS.items()]
    lines += [
        "",
        "## Effect inputs { #effect-inputs }",
        "",
        "The data keys each effect reads from the command that applies it, with their types. A "
        "transition accepts them without listing them in its `data`.",
        "",
        "| effect | data keys |",
        "|---|---|",
    ]
    for effect, keys in EFFECT_INPUTS.items():
        listed = ", ".join(f"`{key}` ({kind})" for key, kind in keys.items()) or "—"
        lines.append(f"| `{effect}` | {listed} |")
    return "\n".join([*lines, ""])


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "format/vocabulary.md", content=vocabulary()))
    for kind in KINDS:
        value = schema(kind)
        files.append(File.generated(config, f"format/schema-{kind}.md", content=page(kind, value)))
        files.append(
            File.generated(
                config,
                f"format/{kind}.schema.json",
                content=json.dumps(value, ensure_ascii=False, indent=2) + "\n",
            )
        )
    return files
