"""Read a YAML file into a small tree of nodes that remember their line and column.

PyYAML alone is not strict enough for hand-edited data: it silently keeps the last of two
duplicate keys, accepts anchors, aliases and custom tags, and stops at the first mistake.
This reader walks PyYAML's event stream (the fast C parser when available) and reports each
such problem with its position, so a contributor sees every mistake at once.

It also refuses what would make reading hang or run away: a path that is not an ordinary
file (a named pipe, a device), a file too large to be a catalog, and nesting so deep that no
catalog needs it (the parser slows to a crawl on such input).
"""

from __future__ import annotations

import codecs
import errno
import gc
import os
import re
import stat
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import yaml

from kindred.catalog.characters import REPLACEMENT, describe_char, is_forbidden
from kindred.catalog.problems import Problem

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


# 100,000 listings like the real ones make about 120 MB; anything larger is a mistake, not data.
MAX_FILE_BYTES = 200_000_000
# Listings nest three levels (list, listing, facet list), the taxonomy five.
MAX_DEPTH = 32
# Past this many, one more problem says how many more such characters there are.
MAX_CHARACTER_PROBLEMS = 100
# How bytes that are not UTF-8 are decoded (errors="surrogateescape"): one stand-in each.
_UNDECODABLE_RUN = re.compile("[\udc80-\udcff]+")
# The byte order marks of UTF-16 (FF FE, FE FF), as UTF-8 decoding leaves them.
_UTF16 = re.compile("\udcff\udcfe|\udcfe\udcff")
# Controls a plain-ASCII text may hold: tab, line feed, and carriage return before a line feed.
_ASCII_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


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


def shifted(node: Node, lines: int) -> Node:
    """``node`` and everything in it moved down ``lines`` lines: a piece of a file read alone
    takes its place in the file."""
    pending = [node]
    while pending:
        item = pending.pop()
        item.line += lines
        if isinstance(item, Sequence):
            pending += item.items
        elif isinstance(item, Mapping):
            for key, value in item.pairs.values():
                pending += (key, value)
    return node


def plain_kind(value: str) -> str:
    """The type YAML gives ``value`` written plainly (unquoted): text, a number, a date…"""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR


def already_reported(node: Node) -> bool:
    """An alias, or a value holding a character reported where it stood in the file: a check
    of the value would only repeat that problem in other words."""
    return isinstance(node, Scalar) and (node.kind == ALIAS or REPLACEMENT in node.value)


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
    return parse_yaml_text(read_text_file(path), label or str(path))


def read_text_file(path: Path) -> str:
    """The text of ``path`` as read_yaml reads it (see read_data_file and _decode)."""
    return _decode(read_data_file(path))


def parse_yaml_text(
    text: str, name: str, on_item: Callable[[Node], None] | None = None
) -> tuple[Node | None, list[Problem]]:
    """Parse the text of the file ``name`` as read_yaml does.

    With ``on_item``, when the top level is a list, each of its items is handed to
    ``on_item`` as soon as it is read, and not kept in the tree: a large file is then never
    held whole as nodes (over a gigabyte at 100,000 listings).
    """
    text, problems = _character_problems(text, name)
    problems += _tab_problems(text, name)
    root, parse_problems = _parse(text, name, on_item)
    tab_lines = {p.line for p in problems}
    problems += [p for p in parse_problems if p.line not in tab_lines]
    return root, problems


def read_data_file(path: Path) -> bytes:
    """The bytes of ``path``, which must be an ordinary file of at most MAX_FILE_BYTES.

    Raises OSError with a plain reason otherwise. The file is opened without blocking, so a
    named pipe is refused at once instead of waiting for a writer, and its type is checked on
    the open file, so it cannot be swapped for something else in between.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            reason = f"it is {_file_type(info.st_mode)}, not an ordinary file"
            raise OSError(errno.EINVAL, reason, str(path))
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since fstat
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        reason = (
            f"it is {size / 1e6:.0f} MB or more; a data file may be at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB"
        )
        raise OSError(errno.EFBIG, reason, str(path))
    return data


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _decode(data: bytes) -> str:
    """The file's text; bytes that are not UTF-8 become stand-ins (U+DC80 to U+DCFF) that
    the character check reports where they stand. A file whose lines end in a carriage
    return alone (as old Mac editors saved them) reads as lines, as YAML reads it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    text = data.decode("utf-8", errors="surrogateescape")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    return text


def _character_problems(text: str, name: str) -> tuple[str, list[Problem]]:
    """Report each byte that is not UTF-8 and each control or invisible character at its own
    line and column, and put U+FFFD in its place, so the file can still be parsed and checked
    for every other problem. Values holding U+FFFD are then known to be reported already.

    The parser itself refuses some such characters (NUL, for one) before it reads anything,
    with no useful position; the rest it would pass on silently into the listings.
    """
    if _plain_ascii(text):
        return text, []  # the usual case, decided without a loop in Python
    if _looks_utf16(text):
        # Every other byte is zero: one mistake, not thousands of characters.
        message = (
            'this file is saved as UTF-16 ("Unicode" in some editors), not UTF-8; save it '
            "with UTF-8 encoding"
        )
        return "", [Problem(name, 1, 1, message)]
    report = _CharacterReport(name)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        body = line[:-1] if line.endswith("\r") else line  # a CRLF line ending is fine
        if body.isprintable() and REPLACEMENT not in body:
            continue
        # Look at each distinct character once: a line may be millions of the same one.
        found = [char for char in set(body) if is_forbidden(char)]
        if found:
            report.add(number, body, found)
            for char in found:  # replace() is many times faster than translate() here
                body = body.replace(char, REPLACEMENT)
            lines[number - 1] = body + line[len(body) :]
    return "\n".join(lines), report.problems()


def _looks_utf16(text: str) -> bool:
    """A UTF-16 file read as UTF-8: its byte order mark, or, in its start, every other
    character a NUL (the high byte of each Latin letter) and the others not."""
    if _UTF16.match(text):
        return True
    sample = text[:4000]
    for zeros, letters in ((sample[0::2], sample[1::2]), (sample[1::2], sample[0::2])):
        mostly_zeros = len(zeros) > 20 and zeros.count("\x00") > 0.9 * len(zeros)
        if mostly_zeros and letters.count("\x00") < 0.1 * len(letters):
            return True
    return False


class _CharacterReport:
    """One problem per forbidden character (one per run of bytes that are not UTF-8), up to
    MAX_CHARACTER_PROBLEMS, then one saying how many more there are and where they start."""

    def __init__(self, name: str):
        self.name = name
        self.listed: list[Problem] = []
        self.total = self.covered = 0
        self.more_at: tuple[int, int] | None = None

    def add(self, number: int, line: str, found: list[str]) -> None:
        self.total += sum(line.count(char) for char in found)
        if self.more_at is not None:
            return
        runs = re.compile("[" + "".join(re.escape(char) for char in found) + "]+")
        for run in runs.finditer(line):
            start = run.start()
            while start < run.end():  # once per problem: this loop ends at the limit
                if len(self.listed) == MAX_CHARACTER_PROBLEMS:
                    self.more_at = (number, start + 1)
                    return
                undecodable = _UNDECODABLE_RUN.match(line, start, run.end())
                end = undecodable.end() if undecodable else start + 1
                message = _character_message(line[start:end])
                self.listed.append(Problem(self.name, number, start + 1, message))
                self.covered += end - start
                start = end

    def problems(self) -> list[Problem]:
        if self.more_at is None:
            return self.listed
        more = Problem(
            self.name,
            *self.more_at,
            f"{self.total - self.covered} more control or invisible characters, or bytes "
            "that are not UTF-8, from here on; delete them",
        )
        return [*self.listed, more]


def _character_message(chars: str) -> str:
    """The message for one forbidden character, or for a run of bytes that are not UTF-8."""
    if not _UNDECODABLE_RUN.match(chars):
        return f"{describe_char(chars)} is not allowed; delete it"
    shown = " ".join(f"0x{ord(char) - 0xDC00:02X}" for char in chars[:8])
    more = " …" if len(chars) > 8 else ""
    what = "byte" if len(chars) == 1 else "bytes"
    return f"this file is not valid UTF-8 ({what} {shown}{more}); save it with UTF-8 encoding"


def _plain_ascii(text: str) -> bool:
    """ASCII with no controls but tab, line feed, and carriage return before a line feed."""
    if not text.isascii() or len(text.translate(_ASCII_CONTROLS)) != len(text):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


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


def _parse(
    text: str, name: str, on_item: Callable[[Node], None] | None
) -> tuple[Node | None, list[Problem]]:
    builder = _TreeBuilder(name, on_item)
    loader = _Loader(text)
    try:
        with gc_paused():
            builder.run(loader)
    except _TooDeep as error:
        builder.problem(
            error.mark,
            f"lists and sets of fields are nested more than {MAX_DEPTH} levels deep here; "
            "no listing needs that many (is a bracket or an indent wrong?)",
        )
        return None, builder.problems
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


class _TooDeep(Exception):
    """Stops reading at the first collection nested deeper than MAX_DEPTH."""

    def __init__(self, mark: yaml.Mark):
        super().__init__(mark)
        self.mark = mark


class _TreeBuilder:
    """Turns parser events into nodes, reporting what this project refuses."""

    def __init__(self, name: str, on_item: Callable[[Node], None] | None = None):
        self.name = name
        self.on_item = on_item
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
            mark = event.start_mark
            if len(self.stack) >= MAX_DEPTH:  # stop now: the parser slows as nesting grows
                raise _TooDeep(mark)
            self.check_anchor_and_tag(event)
            cls = Mapping if kind is yaml.MappingStartEvent else Sequence
            node = cls(mark.line + 1, mark.column + 1)
            self.add(node)
            self.stack.append(node)
            self.pending_key.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node = self.stack.pop()
            self.pending_key.pop()
            if self.on_item is not None and len(self.stack) == 1:
                top = self.stack[0]
                if top is self.root and type(top) is Sequence:  # a whole top-level item
                    top.items.pop()
                    self.on_item(node)
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
            if self.on_item is not None and parent is self.root and type(node) is Scalar:
                self.on_item(node)  # a whole item of the top-level list
            else:
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
