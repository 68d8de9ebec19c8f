"""Read a YAML file into a small tree of nodes that remember their line and column.

PyYAML alone is not strict enough for hand-edited data: it silently keeps the last of two
duplicate keys, accepts anchors, aliases and custom tags, and stops at the first mistake.
This reader walks PyYAML's event stream (the fast C parser when available) and reports each
such problem with its position, so a contributor sees every mistake at once.
"""

from __future__ import annotations

import codecs
import gc
from contextlib import contextmanager
from pathlib import Path

import yaml

from kindred.problems import Problem

try:  # libyaml is several times faster; positions are the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Implicit types of plain scalars, keyed by first character as PyYAML's resolver keeps them.
# Looking them up here directly avoids the resolver's per-call overhead on every scalar.
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_STR = "tag:yaml.org,2002:str"
ALIAS = "alias"  # the kind given to a refused alias, so later checks can stay quiet about it
_TAG_NAMES = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:timestamp": "a date",
}


class Node:
    __slots__ = ("col", "line")

    def __init__(self, line: int, col: int):
        self.line = line
        self.col = col


class Scalar(Node):
    """A single value. ``kind`` is the YAML type it resolves to: text, a number, a date…"""

    __slots__ = ("kind", "value")

    def __init__(self, value: str, kind: str, line: int, col: int):
        self.line = line
        self.col = col
        self.value = value
        self.kind = kind


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int):
        super().__init__(line, col)
        self.items: list[Node] = []


class Mapping(Node):
    """Key/value pairs in file order; keys are Scalars. Duplicates are reported, not kept."""

    __slots__ = ("pairs",)

    def __init__(self, line: int, col: int):
        super().__init__(line, col)
        self.pairs: dict[str, tuple[Scalar, Node]] = {}


def is_alias(node: Node) -> bool:
    return isinstance(node, Scalar) and node.kind == ALIAS


def describe(node: Node) -> str:
    """A plain name for what a node holds, for messages such as 'expected text, got a list'."""
    if isinstance(node, Mapping):
        return "a set of fields"
    if isinstance(node, Sequence):
        return "a list"
    return _TAG_NAMES.get(node.kind, "a value")  # type: ignore[attr-defined]


def read_yaml(path: Path, label: str | None = None) -> tuple[Node | None, list[Problem]]:
    """Parse ``path`` into a node tree, returning it with every problem found on the way.

    ``label`` is the file name used in messages (defaults to the path as given). Raises
    OSError when the file cannot be read: that is an I/O error, not a data mistake.
    """
    name = label or str(path)
    data = path.read_bytes()
    text, problems = _decode(data, name)
    problems += _tab_problems(text, name)
    root, parse_problems = _parse(text, name)
    tab_lines = {p.line for p in problems}
    problems += [p for p in parse_problems if p.line not in tab_lines]
    return root, problems


def _decode(data: bytes, name: str) -> tuple[str, list[Problem]]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    start = 0
    while True:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as error:
            offset = start + error.start
            line_start = data.rfind(b"\n", 0, offset) + 1
            col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
            line = data.count(b"\n", 0, offset) + 1
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    f"this file is not valid UTF-8 (byte 0x{data[offset]:02X}); "
                    "save it with UTF-8 encoding",
                )
            )
            start = offset + max(1, error.end - error.start)
    return data.decode("utf-8", errors="replace"), problems


def _tab_problems(text: str, name: str) -> list[Problem]:
    if "\t" not in text:
        return []
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    name,
                    number,
                    indent.index("\t") + 1,
                    "tab character in indentation; YAML needs spaces",
                )
            )
    return problems


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building a large tree.

    The tree holds no reference cycles, but creating hundreds of thousands of nodes makes the
    collector rescan them again and again: a third or more of the load time at 10,000 listings.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, name: str) -> tuple[Node | None, list[Problem]]:
    builder = _TreeBuilder(name)
    loader = _Loader(text)
    try:
        with gc_paused():
            builder.run(loader)
    except yaml.MarkedYAMLError as error:
        builder.problems.append(_syntax_problem(error, name))
        return None, builder.problems
    except yaml.YAMLError as error:  # e.g. a control character the reader refuses
        mark = getattr(error, "problem_mark", None) or getattr(error, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        builder.problems.append(Problem(name, line, col, f"cannot read YAML: {error}"))
        return None, builder.problems
    finally:
        loader.dispose()
    return builder.root, builder.problems


def _syntax_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    context = error.context or ""
    if error.context_mark and error.problem_mark and context:
        start = error.context_mark
        context += f" that started at line {start.line + 1}, column {start.column + 1}"
    message = " ".join(filter(None, [error.problem, context and f"({context})"]))
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, col, f"YAML syntax error: {message}")


class _TreeBuilder:
    """Turns parser events into nodes, reporting what this project refuses."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.root: Node | None = None
        self.documents = 0
        self.stack: list[Node] = []
        self.pending_key: list[Scalar | None] = []

    def problem(self, mark: yaml.Mark, message: str) -> None:
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, message))

    def run(self, loader: _Loader) -> None:
        # Hundreds of thousands of events at 10,000 listings: scalars, the commonest, are
        # handled inline with local names; the rest go through ordinary methods.
        get_event, add, implicit_types = loader.get_event, self.add, _IMPLICIT
        scalar_event, stream_end = yaml.ScalarEvent, yaml.StreamEndEvent
        while True:
            event = get_event()
            event_type = type(event)
            if event_type is scalar_event:
                if event.anchor is not None or event.tag not in (None, "!"):
                    self.check_anchor_and_tag(event)
                value, kind = event.value, _STR
                if event.tag is None and event.implicit[0]:  # plain: a number, date, null…?
                    for tag, pattern in implicit_types.get(value[:1], ()):
                        if pattern.match(value):
                            kind = tag
                            break
                mark = event.start_mark
                add(Scalar(value, kind, mark.line + 1, mark.column + 1))
            elif event_type is stream_end:
                return
            else:
                self.structure(event)

    def structure(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self.check_anchor_and_tag(event)
            mark = event.start_mark
            cls = Mapping if kind is yaml.MappingStartEvent else Sequence
            node = cls(mark.line + 1, mark.column + 1)
            self.add(node)
            self.stack.append(node)
            self.pending_key.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
            self.pending_key.pop()
        elif kind is yaml.AliasEvent:
            self.problem(
                event.start_mark,
                f"aliases (*{event.anchor}) are not allowed; write the value out in full",
            )
            mark = event.start_mark
            self.add(Scalar("", ALIAS, mark.line + 1, mark.column + 1))
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents == 2:
                self.problem(event.start_mark, "only one YAML document is allowed; remove '---'")

    def check_anchor_and_tag(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            self.problem(
                event.start_mark,
                f"anchors (&{event.anchor}) are not allowed; write each value out in full",
            )
        if event.tag not in (None, "!"):
            self.problem(
                event.start_mark, f"YAML tags such as '{event.tag}' are not allowed; remove it"
            )

    def add(self, node: Node) -> None:
        stack = self.stack
        if not stack:
            if self.documents <= 1:
                self.root = node
            return
        parent = stack[-1]
        if type(parent) is Sequence:
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            if type(node) is not Scalar:
                self.problems.append(
                    Problem(self.name, node.line, node.col, "a field name must be plain text")
                )
                node = Scalar("", "tag:yaml.org,2002:null", node.line, node.col)
            self.pending_key[-1] = node  # type: ignore[assignment]
            return
        self.pending_key[-1] = None
        pairs = parent.pairs  # type: ignore[attr-defined]
        if key.value in pairs:
            first = pairs[key.value][0]
            self.problems.append(
                Problem(
                    self.name,
                    key.line,
                    key.col,
                    f"duplicate field '{key.value}' (first given at line {first.line}); "
                    "keep only one",
                )
            )
            return
        pairs[key.value] = (key, node)
