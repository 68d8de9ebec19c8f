"""Crisis, text and youth helplines by region, from ``data/helplines.yaml``.

Helplines are data held to the same rule as listings: only numbers we are sure of. The crisis
band on every page and the get-help page read them; a deployment chooses which regions the
band shows first (KINDRED_CRISIS_REGIONS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kindred.catalog.phones import number_in
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.taxonomy import Taxonomy
from kindred.catalog.yamltree import Mapping, Node, Scalar, Sequence, describe, read_yaml

DEFAULT_HELPLINES = Path("data/helplines.yaml")
ANYWHERE = "anywhere"  # the entry for people in a region with no entry of its own
KINDS = ("crisis", "text", "youth", "emergency")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{1,18}[0-9]$")
_LINE_FIELDS = ("name", "kind")
_LINE_OPTIONAL = ("call", "also_call", "text", "text_word", "url", "hours", "note")


@dataclass(frozen=True, slots=True)
class Helpline:
    name: str
    kind: str  # one of KINDS
    call: str = ""  # a number as people write it ("116 123")
    also_call: str = ""  # another number for the same line ("999" beside "112")
    text: str = ""  # a number to text
    text_word: str = ""  # what to text, when the line asks for a word ("SHOUT")
    url: str = ""
    hours: str = ""
    note: str = ""

    @property
    def call_uri(self) -> str:
        return _uri("tel:", self.call)

    @property
    def also_call_uri(self) -> str:
        return _uri("tel:", self.also_call)

    @property
    def text_uri(self) -> str:
        """The number to text, with the word it asks for ready in the message ("?&body=",
        which both Android and iOS read)."""
        uri = _uri("sms:", self.text)
        return f"{uri}?&body={quote(self.text_word)}" if uri and self.text_word else uri


def _uri(scheme: str, number: str) -> str:
    return scheme + number.replace(" ", "").replace("-", "") if number else ""


@dataclass(frozen=True, slots=True)
class RegionLines:
    region: str  # a region slug from the taxonomy, or ANYWHERE
    label: str
    lines: tuple[Helpline, ...]
    in_band: bool = False  # shown in the crisis band unless the deployment chooses regions


@dataclass(frozen=True, slots=True)
class BandLine:
    """One line in the crisis band, with every region it serves ("United States, Canada")."""

    line: Helpline
    regions: tuple[str, ...]
    slugs: tuple[str, ...] = ()  # the regions' slugs, in the same order


def band_lines(helplines: tuple[RegionLines, ...], regions: list[str] | None) -> list[BandLine]:
    """The first crisis line of each region the band shows, in order; regions that share a
    number share a line. ``regions`` None means the regions the data marks in_band."""
    chosen = regions if regions is not None else [r.region for r in helplines if r.in_band]
    by_region = {r.region: r for r in helplines}
    found: dict[str, tuple[Helpline, list[RegionLines]]] = {}
    for slug in chosen:
        entry = by_region.get(slug)
        crisis = [line for line in entry.lines if line.kind == "crisis"] if entry else []
        if crisis:
            key = crisis[0].call or crisis[0].text or crisis[0].url
            found.setdefault(key, (crisis[0], []))[1].append(entry)
    return [
        BandLine(line, tuple(e.label for e in entries), tuple(e.region for e in entries))
        for line, entries in found.values()
    ]


def load_helplines(path: Path | str, taxonomy: Taxonomy) -> tuple[RegionLines, ...]:
    """Read and check the helplines file against the taxonomy's regions.

    Raises CatalogError naming every problem with its line and column, OSError on I/O.
    """
    path = Path(path)
    root, problems = read_yaml(path)
    regions = {v.slug: v.label for v in taxonomy.location().values}
    reader = _Reader(str(path), problems, regions)
    found = reader.read(root) if root is not None else ()
    if problems:
        raise CatalogError(problems)
    return found


class _Reader:
    def __init__(self, name: str, problems: list[Problem], regions: dict[str, str]):
        self.name = name
        self.problems = problems
        self.regions = regions

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.name, node.line, node.col, message))

    def read(self, root: Node) -> tuple[RegionLines, ...]:
        if not isinstance(root, Sequence):
            self.error(root, f"the helplines file must be a list of regions, not {describe(root)}")
            return ()
        found = [self.region(node) for node in root.items]
        seen = [r.region for r in found if r]
        if ANYWHERE not in seen:
            self.error(root, f"add an entry for region '{ANYWHERE}', for everyone else")
        return tuple(r for r in found if r)

    def region(self, node: Node) -> RegionLines | None:
        if not isinstance(node, Mapping) or not {"region", "lines"} <= set(node.pairs):
            self.error(node, "each entry needs 'region' and 'lines' (and may have 'in_band')")
            return None
        for key, _ in node.pairs.values():
            if key.value not in ("region", "lines", "in_band"):
                self.error(key, f"unknown field '{key.value}'; expected region, lines, in_band")
        in_band = node.pairs.get("in_band")
        if in_band and getattr(in_band[1], "kind", "") != "tag:yaml.org,2002:bool":
            self.error(in_band[1], "'in_band' must be true or false")
        slug_node = node.pairs["region"][1]
        slug = getattr(slug_node, "value", "")
        if slug != ANYWHERE and slug not in self.regions:
            allowed = ", ".join([*self.regions, ANYWHERE])
            self.error(slug_node, f"'{slug}' is not a region in the taxonomy; allowed: {allowed}")
            return None
        lines_node = node.pairs["lines"][1]
        if not isinstance(lines_node, Sequence) or not lines_node.items:
            self.error(lines_node, "'lines' must be a non-empty list")
            return None
        lines = [self.line(item) for item in lines_node.items]
        label = "Anywhere else" if slug == ANYWHERE else self.regions[slug]
        shown = bool(in_band) and getattr(in_band[1], "value", "").lower() == "true"
        return RegionLines(slug, label, tuple(line for line in lines if line), shown)

    def line(self, node: Node) -> Helpline | None:
        if not isinstance(node, Mapping):
            self.error(node, f"each line must be a set of fields, not {describe(node)}")
            return None
        values: dict[str, str] = {}
        for key, value in node.pairs.values():
            if key.value not in _LINE_FIELDS + _LINE_OPTIONAL:
                expected = ", ".join(_LINE_FIELDS + _LINE_OPTIONAL)
                self.error(key, f"unknown field '{key.value}'; expected {expected}")
            elif not isinstance(value, Scalar) or value.kind != "tag:yaml.org,2002:str":
                self.error(value, f"'{key.value}' must be text (put numbers in quotes)")
            else:
                values[key.value] = value.value.strip()
        problems_before = len(self.problems)
        for field in _LINE_FIELDS:
            if field not in values:
                self.error(node, f"a line needs '{field}'")
        if values.get("kind", KINDS[0]) not in KINDS:
            self.error(node.pairs["kind"][1], f"'kind' must be one of {', '.join(KINDS)}")
        for field in ("call", "also_call", "text"):
            if field in values and not _PHONE.match(values[field]):
                self.error(
                    node.pairs[field][1], f"'{field}' must be a phone number, digits and spaces"
                )
        if "also_call" in values and "call" not in values:
            self.error(node.pairs["also_call"][1], "'also_call' needs a 'call' number first")
        for field in ("note", "hours"):
            number = number_in(values.get(field, ""))
            if number:
                self.error(
                    node.pairs[field][1],
                    f"'{field}' holds the number '{number}': put a number to call in "
                    "'call' or 'also_call', or one to text in 'text', so it can be tapped",
                )
        if not (values.keys() & {"call", "text", "url"}):
            self.error(node, "a line needs a 'call' or 'text' number, or a 'url'")
        if "url" in values and not values["url"].startswith("https://"):
            self.error(node.pairs["url"][1], "'url' must start with https://")
        if len(self.problems) > problems_before:
            return None
        return Helpline(**values)
