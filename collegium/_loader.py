"""Parse definition files: safe YAML → plain data → frozen pydantic spec, with errors that name the line.

Only YAML's safe subset is accepted (no arbitrary tags). Duplicate keys, which PyYAML would silently
overwrite, are refused. Every failure is a :class:`~collegium.errors.DefinitionError` naming the file,
the line, and the key path of the offending element.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from collegium.errors import DefinitionError

M = TypeVar("M", bound=BaseModel)

#: Definition files larger than this are refused before parsing (a rule pack is a few kilobytes).
MAX_DEFINITION_BYTES = 2_000_000


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DEFINITION_BYTES:
            raise DefinitionError(f"file is {size} bytes; definitions are limited to {MAX_DEFINITION_BYTES}",
                                  source=str(p))
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError("no such file", source=str(p)) from None
    except UnicodeDecodeError:
        raise DefinitionError("not UTF-8 text", source=str(p)) from None
    except IsADirectoryError:
        raise DefinitionError("is a directory, not a file", source=str(p)) from None


def parse_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """Return the document's data and its node tree (for line numbers)."""
    if len(text) > MAX_DEFINITION_BYTES:
        raise DefinitionError(f"text is {len(text)} characters; limit {MAX_DEFINITION_BYTES}", source=source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError("the file is empty", source=source)
        _check_duplicate_keys(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DefinitionError(f"YAML syntax error: {problem}", source=source, line=line) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"YAML error: {exc}", source=source) from None
    except RecursionError:
        raise DefinitionError("YAML nesting is too deep", source=source) from None
    finally:
        loader.dispose()
    return data, node


def _check_duplicate_keys(node: yaml.Node, source: str, depth: int = 0) -> None:
    if depth > 200:
        raise DefinitionError("YAML nesting is too deep", source=source, line=node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DefinitionError(f"duplicate key {key.value!r}", source=source,
                                          line=key.start_mark.line + 1)
                seen.add(key.value)
            _check_duplicate_keys(value, source, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, source, depth + 1)


def line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the element at ``path`` (as far down as it exists) in the node tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _describe(err: Any) -> tuple[list[str | int], list[str | int], str]:
    """(path named in the message, path whose line is reported, message) for one pydantic error."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc[:-1], loc, f"unknown key {loc[-1]!r}" if loc else "unknown key"
    if kind == "missing":
        return loc[:-1], loc[:-1], f"missing key {loc[-1]!r}" if loc else "missing key"
    msg = str(err["msg"])
    if kind == "union_tag_invalid":
        msg = f"unknown kind {err.get('input', {}).get('kind')!r}" if isinstance(err.get("input"), dict) else msg
    elif kind == "string_pattern_mismatch":
        msg = f"{err.get('input')!r} does not match {err['ctx']['pattern']}"
    return loc, loc, msg


def load_model(model: type[M], text: str, source: str) -> M:
    """Parse YAML ``text`` and validate it as ``model``; the first error names file, line and path."""
    data, node = parse_yaml(text, source)
    return validate_model(model, data, node, source)


def validate_model(model: type[M], data: Any, node: yaml.Node | None, source: str) -> M:
    """Validate data parsed by :func:`parse_yaml` as ``model``; the first error names file, line and path."""
    if not isinstance(data, dict):
        raise DefinitionError("the top level must be a mapping of keys", source=source, line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc, line_loc, msg = _describe(first)
        where = ".".join(str(p) for p in loc) or None
        extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DefinitionError(msg + extra, source=source, line=line_of(node, line_loc), where=where) from None
