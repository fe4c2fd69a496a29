"""Parse definition files: safe YAML → plain data → frozen pydantic spec, with errors that name the
line.

Only YAML's safe subset is accepted (no arbitrary tags). Duplicate keys, which PyYAML would silently
overwrite, are refused. Every failure is a :class:`~collegium.errors.DefinitionError` naming the
file, the line, and the key path of the offending element.

Reading is bounded, whatever the input: a file is read up to :data:`MAX_DEFINITION_BYTES` and
refused beyond; nesting deeper than :data:`MAX_NESTING` and documents of more than :data:`MAX_NODES`
nodes are refused while they are parsed (PyYAML composes lazily, so parsing stops there). An alias
counts as every node it repeats, so a "billion laughs" document of nested aliases is refused after a
few lines instead of expanding, and an alias inside the node it names (a cycle) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from collegium._brief import shown_path, validator_words
from collegium._catalog import Message
from collegium.errors import DefinitionError

M = TypeVar("M", bound=BaseModel)

#: Definition files larger than this are refused before parsing (a rule pack is a few kilobytes).
MAX_DEFINITION_BYTES = 2_000_000
#: Deepest nesting of mappings and lists (the built-in definitions nest 8 deep).
MAX_NESTING = 64
#: Most nodes (scalars, lists, mappings) a document may hold, an alias counting as all it repeats
#: (the built-in rule pack has about 2,300; a generated scenario about 400 per matter a month).
MAX_NODES = 100_000


def read_text(path: str | Path) -> str:
    """The text of a definition or scenario file, read up to the size limit (a device or pipe cannot
    make it read for ever)."""
    p = Path(path)
    try:
        with p.open("rb") as stream:
            data = stream.read(MAX_DEFINITION_BYTES + 1)
        if len(data) > MAX_DEFINITION_BYTES:
            raise DefinitionError(
                Message(
                    "file is larger than {most} bytes, the limit for definitions",
                    most=MAX_DEFINITION_BYTES,
                ),
                source=str(p),
            )
        return data.decode("utf-8")
    except FileNotFoundError:
        raise DefinitionError(Message("no such file"), source=str(p)) from None
    except UnicodeDecodeError:
        raise DefinitionError(Message("not UTF-8 text"), source=str(p)) from None
    except IsADirectoryError:
        raise DefinitionError(Message("is a directory, not a file"), source=str(p)) from None
    except OSError as exc:
        raise DefinitionError(
            Message("cannot read: {reason}", reason=exc.strerror or exc), source=str(p)
        ) from None


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting nodes and nesting as it composes (aliases counted as
    expanded)."""

    def __init__(self, text: str, source: str | Message) -> None:
        super().__init__(text)
        self.source = source
        self.depth = 0
        self.nodes = 0
        self.open_anchors: list[str] = []
        self.sizes: dict[
            int, tuple[int, int]
        ] = {}  # id(node) -> (nodes, height), for nodes an alias names

    def _refuse(self, reason: Message, mark: Any) -> DefinitionError:
        return DefinitionError(
            reason, source=self.source, line=mark.line + 1 if mark is not None else None
        )

    def _add(self, nodes: int, height: int, mark: Any) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise self._refuse(
                Message(
                    "too many YAML nodes (more than {most}, aliases counted as expanded)",
                    most=MAX_NODES,
                ),
                mark,
            )
        if self.depth + height > MAX_NESTING:
            raise self._refuse(
                Message("YAML nesting is too deep (more than {most} levels)", most=MAX_NESTING),
                mark,
            )

    def _measure(self, node: yaml.Node) -> tuple[int, int]:
        """(nodes, height) of ``node`` with every alias inside it expanded; each distinct node
        measured once."""
        hit = self.sizes.get(id(node))
        if hit is not None:
            return hit
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        measured = [self._measure(k) for k in kids]
        size = (1 + sum(m[0] for m in measured), 1 + max((m[1] for m in measured), default=0))
        self.sizes[id(node)] = size
        return size

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise self._refuse(
                    Message(
                        "alias *{anchor} is inside the node it names (a cycle)",
                        anchor=event.anchor,
                    ),
                    event.start_mark,
                )
            target = self.anchors.get(event.anchor)
            if target is not None:
                nodes, height = self._measure(target)
                self._add(nodes, height, event.start_mark)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        self.depth += 1
        if anchor is not None:
            self.open_anchors.append(anchor)
        try:
            self._add(1, 0, event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            if anchor is not None:
                self.open_anchors.pop()


def parse_yaml(
    text: str, source: str | Message, *, trusted: bool = False
) -> tuple[Any, yaml.Node | None]:
    """Return the document's data and its node tree (for line numbers).

    ``trusted``: a file shipped with Collegium, parsed by libyaml where PyYAML has it (about 7x
    faster: the CLI and every new engine read built-in definitions, each as it is first needed)
    without the bounds text from elsewhere gets."""
    if trusted and hasattr(yaml, "CSafeLoader"):
        fast = yaml.CSafeLoader(text)
        try:
            node = fast.get_single_node()
            if node is None:
                raise DefinitionError(Message("the file is empty"), source=source)
            _check_duplicate_keys(node, source, set())
            return fast.construct_document(node), node
        finally:
            fast.dispose()
    if len(text) > MAX_DEFINITION_BYTES:
        raise DefinitionError(
            Message(
                "text is {size} characters; limit {most}", size=len(text), most=MAX_DEFINITION_BYTES
            ),
            source=source,
        )
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text, source)  # the reader refuses control characters here already
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError(Message("the file is empty"), source=source)
        _check_duplicate_keys(node, source, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DefinitionError(
            Message("YAML syntax error: {problem}", problem=problem), source=source, line=line
        ) from None
    except yaml.reader.ReaderError as exc:
        what = (
            f"character #x{exc.character:04x}"
            if isinstance(exc.character, int)
            else f"byte {exc.character!r}"
        )
        raise DefinitionError(
            Message(
                "YAML syntax error: unacceptable {what} at position {position}",
                what=what,
                position=exc.position,
            ),
            source=source,
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(
            Message("YAML error: {problem}", problem=" ".join(str(exc).split())), source=source
        ) from None
    except (
        ValueError,
        OverflowError,
    ) as exc:  # a value the safe constructor cannot build: a date 2026-02-30 …
        raise DefinitionError(
            Message("YAML value cannot be read: {problem}", problem=" ".join(str(exc).split())),
            source=source,
        ) from None
    except RecursionError:
        raise DefinitionError(Message("YAML nesting is too deep"), source=source) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


def _check_duplicate_keys(
    node: yaml.Node, source: str | Message, seen_nodes: set[int], depth: int = 0
) -> None:
    if depth > MAX_NESTING or id(node) in seen_nodes:  # a node an alias repeats is checked once
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DefinitionError(
                        Message("duplicate key {key!r}", key=key.value),
                        source=source,
                        line=key.start_mark.line + 1,
                    )
                seen.add(key.value)
            _check_duplicate_keys(value, source, seen_nodes, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, source, seen_nodes, depth + 1)


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
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _describe(err: Any) -> tuple[list[str | int], list[str | int], str | Message]:
    """(path named in the message, path whose line is reported, message) for one pydantic error."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    kind = err["type"]
    if kind == "extra_forbidden":
        return (
            loc[:-1],
            loc,
            Message("unknown key {key!r}", key=loc[-1]) if loc else Message("unknown key"),
        )
    if kind == "missing":
        return (
            loc[:-1],
            loc[:-1],
            Message("missing key {key!r}", key=loc[-1]) if loc else Message("missing key"),
        )
    msg: str | Message = validator_words(err)  # pydantic's or a validator's own words
    if kind == "union_tag_invalid" and isinstance(err.get("input"), dict):
        msg = Message("unknown kind {kind!r}", kind=err["input"].get("kind"))
    elif kind == "string_pattern_mismatch":
        msg = Message(
            "{value!r} does not match {pattern}",
            value=err.get("input"),
            pattern=err["ctx"]["pattern"],
        )
    return loc, loc, msg


def load_model(model: type[M], text: str, source: str | Message) -> M:
    """Parse YAML ``text`` and validate it as ``model``; the first error names file, line and
    path."""
    data, node = parse_yaml(text, source)
    return validate_model(model, data, node, source)


def validate_model(
    model: type[M],
    data: Any,
    node: yaml.Node | None,
    source: str | Message,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate data parsed by :func:`parse_yaml` as ``model`` (its validators given ``context``);
    the first error names file, line and path (its list items counted from 1, as people count:
    :func:`~collegium._brief.shown_path`)."""
    if not isinstance(data, dict):
        raise DefinitionError(
            Message("the top level must be a mapping of keys"), source=source, line=1
        )
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc, line_loc, msg = _describe(first)
        where = shown_path(loc) or None
        if exc.error_count() > 1:
            msg = Message("{reason} (and {more} more)", reason=msg, more=exc.error_count() - 1)
        raise DefinitionError(
            msg, source=source, line=line_of(node, line_loc), where=where
        ) from None
