"""Load and validate ``data/groups.yaml`` against the taxonomy into an immutable Catalog.

Every problem in the file is reported in one pass, each with its line and column, so a
contributor can fix them all at once. Nothing here knows about Pelican.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from array import array
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from kindred.catalog.characters import describe_char, first_forbidden
from kindred.catalog.model import LEADING_FIELDS, TRAILING_FIELDS, FieldSpec, Group, field_order
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.taxonomy import SLUG, Facet, Taxonomy, load_taxonomy, normalise_term
from kindred.catalog.urls import host_problem, local_hosts_allowed, port_problem, url_key
from kindred.catalog.yamltree import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    already_reported,
    describe,
    gc_paused,
    parse_yaml_text,
    read_text_file,
    shifted,
)

DEFAULT_GROUPS = Path("data/groups.yaml")
DEFAULT_TAXONOMY = Path("data/taxonomy.yaml")
# A listing starts with "- " (or a lone "-") at the left margin.
_LISTING_START = re.compile(r"^-(?: |$)", re.MULTILINE)
# Where a message names another line ("that started at line 4").
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)")
# Text, then a comment on the same line: where YAML may have cut a value short.
_COMMENT_AFTER_TEXT = re.compile(r"\S[ \t]+#")
# A line that is neither blank nor a comment.
_LISTING_CONTENT = re.compile(r"^\s*[^\s#]")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_DATE = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A whole number as people write it. YAML also reads 0x1F, 0b11, 1_000 and 1:30 as numbers,
# and 010 as octal 8: nobody means those in a listing, so they are refused, not guessed at.
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
# Characters RFC 3986 never allows raw in a URL; refusing them keeps markup out of href="".
_NOT_IN_URL = re.compile(r"[\s<>\"{}|\\^`]")


@dataclass(frozen=True, slots=True)
class Catalog:
    """The validated listings, sorted by name, with the taxonomy that describes them."""

    taxonomy: Taxonomy
    groups: tuple[Group, ...]
    by_value: MappingABC[str, MappingABC[str, tuple[Group, ...]]]
    # What a filter on each value shows: the groups with the value or with one it includes.
    by_answer: MappingABC[str, MappingABC[str, tuple[Group, ...]]]

    def group(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    def groups_with(self, key: str, slug: str) -> tuple[Group, ...]:
        """Exactly the groups that have ``slug`` for facet ``key``, sorted by name."""
        return self.by_value[key][slug]

    def groups_matching(self, key: str, slug: str) -> tuple[Group, ...]:
        """The groups a filter on ``slug`` shows, sorted by name: those with the value and
        those with a value it includes (see Facet.accepted). The facet pages, their counts,
        the finder's data and the search index all answer a filter with this."""
        return self.by_answer[key][slug]

    def groups_matching_all(self, chosen: MappingABC[str, Iterable[str]]) -> tuple[Group, ...]:
        """The groups a view of the directory shows for ``chosen`` filters (facet key ->
        value slugs): any chosen value within a facet, every facet with a choice."""
        wanted: set[str] | None = None
        for key, slugs in chosen.items():
            if not slugs:
                continue  # nothing chosen there: no filter
            ids = {g.id for slug in slugs for g in self.groups_matching(key, slug)}
            wanted = ids if wanted is None else wanted & ids
        if wanted is None:
            return self.groups
        return tuple(group for group in self.groups if group.id in wanted)

    def counts(self) -> dict[str, dict[str, int]]:
        """For each facet key, how many groups a filter on each value shows."""
        return {
            key: {slug: len(groups) for slug, groups in values.items()}
            for key, values in self.by_answer.items()
        }


def latest_today() -> dt.date:
    """Today where it is latest on Earth (UTC+14): the last date that is not yet in the
    future anywhere. A contributor writes their own today's date, and the check may run in
    another time zone (CI runs in UTC), so dates are held to this one."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()


def load_catalog(
    groups_path: Path | str = DEFAULT_GROUPS,
    taxonomy_path: Path | str = DEFAULT_TAXONOMY,
    today: dt.date | None = None,
) -> Catalog:
    """Load both files. Raises CatalogError with every problem found, OSError on I/O."""
    taxonomy = load_taxonomy(taxonomy_path)
    with gc_paused():
        groups = validate_groups(Path(groups_path), taxonomy, today or latest_today())
        return build_catalog(taxonomy, groups)


def build_catalog(taxonomy: Taxonomy, groups: list[Group]) -> Catalog:
    ordered = tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.id)))
    by_value: dict[str, dict[str, list[Group]]] = {
        facet.key: {slug: [] for slug in facet.slugs} for facet in taxonomy.facets
    }
    for group in ordered:
        for key, slugs in group.facets.items():
            for slug in slugs:
                by_value[key][slug].append(group)
    frozen = {
        key: MappingProxyType({slug: tuple(found) for slug, found in values.items()})
        for key, values in by_value.items()
    }
    return Catalog(taxonomy, ordered, MappingProxyType(frozen), _answers(taxonomy, ordered, frozen))


def _answers(
    taxonomy: Taxonomy,
    ordered: tuple[Group, ...],
    by_value: dict[str, MappingABC[str, tuple[Group, ...]]],
) -> MappingABC[str, MappingABC[str, tuple[Group, ...]]]:
    """For each value, the groups holding any value it accepts, in catalog order."""
    position = {group.id: index for index, group in enumerate(ordered)}
    answers = {}
    for facet in taxonomy.facets:
        found = {}
        for slug in facet.slugs:
            accepted = facet.accepted(slug)
            if accepted == {slug}:
                found[slug] = by_value[facet.key][slug]
                continue
            groups = {g.id: g for other in accepted for g in by_value[facet.key][other]}
            found[slug] = tuple(sorted(groups.values(), key=lambda g: position[g.id]))
        answers[facet.key] = MappingProxyType(found)
    return MappingProxyType(answers)


def validate_groups(path: Path, taxonomy: Taxonomy, today: dt.date) -> list[Group]:
    """Read and check the listings file; raise CatalogError naming every problem."""
    return validate_text(read_text_file(path), str(path), taxonomy, today)


def validate_text(text: str, name: str, taxonomy: Taxonomy, today: dt.date) -> list[Group]:
    """Check the text of the listings file ``name``; raise CatalogError naming every problem."""
    checked: list[Problem] = []
    validator = ListingValidator(name, taxonomy, today, checked, text)
    groups: list[Group] = []

    def check(node: Node) -> None:  # each listing as soon as it is read
        group = validator.listing(node)
        if group is not None:
            groups.append(group)

    with gc_paused():
        root, problems = parse_yaml_text(text, name, on_item=check)
        if root is None and problems:  # unreadable from its syntax error on
            alone = _each_listing_alone(text, name, taxonomy, today)
            if alone is not None:
                raise CatalogError(alone)
            # The listings read whole before it were checked whole: their problems are real.
            raise CatalogError(sorted([*checked, *problems], key=lambda p: (p.line, p.col)))
        groups += validator.listings(root)  # the top level's shape (its items are checked)
    problems += checked
    if problems:
        raise CatalogError(problems)
    return groups


def split_listings(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text before the first listing, and each listing's first line and text."""
    starts = [match.start() for match in _LISTING_START.finditer(text)]
    if not starts:
        return text, []
    listings = []
    line = text.count("\n", 0, starts[0]) + 1
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        listings.append((line, chunk))
        line += chunk.count("\n")
    return text[: starts[0]], listings


def _each_listing_alone(
    text: str, name: str, taxonomy: Taxonomy, today: dt.date
) -> list[Problem] | None:
    """Every problem, reading each listing on its own: after a syntax error the parser reads
    no further, which would hide every later listing's mistakes, and a listing cut short by
    the error would look as if its fields were missing. A slip in one listing is then named
    in that listing alone. None when this cannot say more than the whole file's error: text
    other than comments before the first listing, or no listing failing on its own."""
    head, listings = split_listings(text)
    if not listings or any(_LISTING_CONTENT.match(line) for line in head.splitlines()):
        return None
    problems: list[Problem] = []
    validator = ListingValidator(name, taxonomy, today, problems, text)
    unreadable = False
    for line, chunk in listings:
        root, found = parse_yaml_text(chunk, name)
        problems += [_moved(problem, line - 1) for problem in found]
        if root is None:
            unreadable = True
        else:
            validator.listings(shifted(root, line - 1))
    return sorted(problems, key=lambda p: (p.line, p.col)) if unreadable else None


def _moved(problem: Problem, lines: int) -> Problem:
    """A problem found in a piece of the file read alone, at its place in the file (with any
    line its message names)."""
    message = _LINE_IN_MESSAGE.sub(lambda m: f"line {int(m.group(1)) + lines}", problem.message)
    return dataclasses.replace(problem, line=problem.line + lines, message=message)


def _did_you_mean(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _shown(text: str, limit: int = 20) -> str:
    """``text`` for a message, shortened: a value may be thousands of characters long."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


class _Source:
    """The text a listing was read from, looked at only where YAML may have cut a value short:
    in `name: Group #2` the ` #2` is a comment, and the name is "Group"."""

    def __init__(self, text: str):
        self.text = text
        # Most files have no ' #' after text at all; then no line is ever looked at.
        self.may_cut = bool(_COMMENT_AFTER_TEXT.search(text))
        self.starts: array | None = None

    def comment_after(self, node: Scalar) -> bool:
        """Whether a comment follows the plain (unquoted) value ``node`` on its own line."""
        if not self.may_cut or not node.value or "\n" in node.value:
            return False
        line = self.line(node.line)[node.col - 1 :]
        if not line.startswith(node.value):
            return False  # quoted, or a block: YAML read the whole of it
        rest = line[len(node.value) :]
        return rest[:1] in (" ", "\t") and rest.lstrip().startswith("#")

    def line(self, number: int) -> str:
        if self.starts is None:
            self.starts = array("L", [0])
            self.starts.extend(match.end() for match in re.finditer("\n", self.text))
        if number > len(self.starts):
            return ""
        start = self.starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]


class ListingValidator:
    """Checks listing nodes one field at a time, collecting every problem; shared by the
    file loader and `kindred new`, so both apply exactly the same rules."""

    def __init__(
        self,
        name: str,
        taxonomy: Taxonomy,
        today: dt.date,
        problems: list[Problem],
        text: str = "",
    ):
        self.name = name
        self.source = _Source(text)  # the file's text, to see what YAML left out of a value
        self.taxonomy = taxonomy
        self.today = today
        self.problems = problems
        self.facets_by_field = {facet.field: facet for facet in taxonomy.facets}
        self.specs = {spec.name: spec for spec in (*LEADING_FIELDS, *TRAILING_FIELDS)}
        self.checks = {
            name: getattr(self, f"check_{spec.kind}") for name, spec in self.specs.items()
        }
        self.known_fields = list(field_order(taxonomy))
        self.first_id: dict[str, int] = {}
        self.first_url: dict[str, int] = {}
        self.allow_local_urls = local_hosts_allowed()

    def error(self, node: Node, message: str) -> None:
        if already_reported(node):  # where the alias or character is; say nothing more
            return
        self.problems.append(Problem(self.name, node.line, node.col, message))

    def listings(self, root: Node | None) -> list[Group]:
        if root is None or (isinstance(root, Scalar) and root.value == ""):
            self.problems.append(
                Problem(self.name, 1, 1, "the file is empty; it must hold a list of listings")
            )
            return []
        if not isinstance(root, Sequence):
            self.error(
                root,
                f"the top level must be a list of listings (each starting with '- id:'), "
                f"not {describe(root)}",
            )
            return []
        groups = [self.listing(node) for node in root.items]
        return [group for group in groups if group is not None]

    def listing(self, node: Node) -> Group | None:
        if not isinstance(node, Mapping):
            self.error(node, f"each listing must be a set of fields, not {describe(node)}")
            return None
        count_before = len(self.problems)
        for key, _ in node.pairs.values():
            if key.value in self.known_fields:
                continue
            index = first_forbidden(key.value)
            if index is not None:
                self.error(
                    key, f"a field name contains {describe_char(key.value[index])}; delete it"
                )
            else:
                self.error(
                    key,
                    f"unknown field '{key.value}'{_did_you_mean(key.value, self.known_fields)}",
                )
        missing = [f for f in self.known_fields if f not in node.pairs and self.is_required(f)]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self.error(
                node,
                f"{self.listing_name(node)} is missing required field{plural}: "
                + ", ".join(missing),
            )
        values = {
            field_name: self.field(field_name, node.pairs[field_name][1])
            for field_name in self.known_fields
            if field_name in node.pairs
        }
        self.check_unique(node, values)
        self.check_age_range(node, values)
        if len(self.problems) > count_before:
            return None
        return self.make_group(node, values)

    def listing_name(self, node: Mapping) -> str:
        pair = node.pairs.get("id")
        if pair and isinstance(pair[1], Scalar) and pair[1].value:
            return f"listing '{pair[1].value}'"
        return "this listing"

    def is_required(self, field_name: str) -> bool:
        spec = self.specs.get(field_name)
        return spec.required if spec else True  # every facet is required

    def field(self, field_name: str, node: Node) -> object:
        facet = self.facets_by_field.get(field_name)
        if facet is not None:
            return self.facet_field(facet, node)
        return self.checks[field_name](self.specs[field_name], node)

    def check_text(self, spec: FieldSpec, node: Node) -> str | None:
        if not isinstance(node, Scalar) or node.kind != _STR:
            if isinstance(node, Scalar) and node.kind == _NULL:
                self.error(node, f"'{spec.name}' must not be empty")
            else:
                hint = "; put it in quotes" if isinstance(node, Scalar) else ""
                self.error(node, f"'{spec.name}' must be text, not {describe(node)}{hint}")
            return None
        if not self.visible(spec.name, node):
            return None
        text = node.value.strip()
        if self.source.comment_after(node):
            self.error(
                node,
                f"'{spec.name}' goes on after ' #', which YAML reads as the start of a comment "
                f"and leaves out; if the # is part of the {spec.name}, put the whole "
                f"{spec.name} in quotes, and if it is a comment, give it a line of its own",
            )
        if not text:
            self.error(node, f"'{spec.name}' must not be empty")
        elif spec.one_line and ("\n" in text or "\t" in text):
            what = "a line break" if "\n" in text else "a tab"
            self.error(node, f"'{spec.name}' must be one line of text; it holds {what}")
        elif spec.max_length and len(text) > spec.max_length:
            self.error(
                node,
                f"'{spec.name}' is {len(text)} characters long; the limit is {spec.max_length}",
            )
        return text

    def visible(self, field_name: str, node: Scalar) -> bool:
        """False, after saying so, when the value holds a control or invisible character.

        One typed into the file is reported where it stands when the file is read (see
        yamltree); one written as an escape such as "\\u202e" is found here, and reported
        where its value starts.
        """
        index = first_forbidden(node.value)
        if index is None:
            return True
        self.error(
            node,
            f"'{field_name}' contains {describe_char(node.value[index])}; delete it",
        )
        return False

    def check_id(self, spec: FieldSpec, node: Node) -> str | None:
        text = self.check_text(spec, node)
        if text and not SLUG.match(text):
            suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
            self.error(
                node,
                f"id '{text}' must be a lowercase slug: letters a-z, digits and single hyphens "
                f"(for example '{suggestion}')",
            )
        return text

    def check_url(self, spec: FieldSpec, node: Node) -> str | None:
        """The address, or None when it is not one a listing may have (so duplicates of
        it are not looked for)."""
        count_before = len(self.problems)
        text = self.check_text(spec, node)
        if not text or len(self.problems) > count_before:
            return None
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme not in ("http", "https") or not host:
            problem = f"must be an absolute http:// or https:// address, not '{_shown(text, 60)}'"
        elif _NOT_IN_URL.search(text):
            problem = (
                'contains spaces or characters such as < > " that are not allowed in a web '
                "address; percent-encode them"
            )
        elif parts.username or parts.password:
            problem = "must not contain a user name or password"
        else:
            problem = port_problem(parts) or host_problem(host, self.allow_local_urls)
        if problem:
            self.error(node, f"'{spec.name}' {problem}")
            return None
        return text

    def check_date(self, spec: FieldSpec, node: Node) -> dt.date | None:
        value = node.value if isinstance(node, Scalar) and node.kind in (_STR, _DATE) else None
        try:
            if value is None or not _ISO_DATE.match(value):
                raise ValueError
            date = dt.date.fromisoformat(value)
        except ValueError:
            shown = f"'{node.value}'" if isinstance(node, Scalar) else describe(node)
            self.error(node, f"'{spec.name}' must be a date written YYYY-MM-DD, not {shown}")
            return None
        if date > self.today:
            self.error(node, f"'{spec.name}' is {value}, which is in the future")
        return date

    def check_integer(self, spec: FieldSpec, node: Node) -> int | None:
        low, high = spec.minimum, spec.maximum
        assert low is not None and high is not None, "an integer field needs both bounds"
        allowed = f"a whole number from {low} to {high}"
        if not isinstance(node, Scalar):
            self.error(node, f"'{spec.name}' must be {allowed}, not {describe(node)}")
            return None
        value = node.value
        if node.kind == _NULL or not _DECIMAL.match(value):
            shown = describe(node) if node.kind == _NULL else f"'{_shown(value)}'"
            odd_digits = any(char.isdigit() and not char.isascii() for char in value)
            how = " written with the digits 0-9" if odd_digits else ""
            self.error(node, f"'{spec.name}' must be {allowed}{how}, not {shown}")
            return None
        digits = value.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0"):
            reading = "an octal number" if set(digits) <= set("01234567") else "text"
            self.error(
                node,
                f"'{spec.name}' must be {allowed} written without a leading zero (YAML "
                f"reads {_shown(value)} as {reading}); write {_shown(digits.lstrip('0') or '0')}",
            )
            return None
        if node.kind != _INT:
            self.error(node, f"'{spec.name}' must be {allowed}, not text; remove the quotes")
            return None
        # Compare lengths first: int() refuses strings of thousands of digits.
        number = int(value) if len(digits) <= 18 else None
        if number is None or not low <= number <= high:
            self.error(node, f"'{spec.name}' must be between {low} and {high}, not {_shown(value)}")
            return None
        return number

    def facet_field(self, facet: Facet, node: Node) -> tuple[str, ...] | None:
        allowed = ", ".join(facet.slugs)
        if not facet.multiple:
            if isinstance(node, Sequence):
                self.error(
                    node,
                    f"'{facet.field}' takes one value, not a list; choose one of: {allowed}",
                )
                return None
            return self.facet_value(facet, node)
        if not isinstance(node, Sequence):
            example = node.value if isinstance(node, Scalar) and node.value else facet.slugs[0]
            self.error(
                node,
                f"'{facet.field}' must be a list, for example [{example}]; allowed: {allowed}",
            )
            return None
        if not node.items:
            self.error(node, f"'{facet.field}' must list at least one value; allowed: {allowed}")
            return None
        slugs: list[str] = []
        for item in node.items:
            found = self.facet_value(facet, item)
            if found and found[0] in slugs:
                self.error(item, f"'{found[0]}' is listed twice in '{facet.field}'")
            elif found:
                slugs.extend(found)
        return tuple(slugs) if len(slugs) == len(node.items) else None

    def facet_value(self, facet: Facet, node: Node) -> tuple[str, ...] | None:
        if not isinstance(node, Scalar) or node.kind != _STR or not node.value:
            self.error(
                node,
                f"'{facet.field}' needs a value from the taxonomy, not {describe(node)}; "
                f"allowed: {', '.join(facet.slugs)}",
            )
            return None
        if node.value in facet.slugs:
            return (node.value,)
        if not self.visible(facet.field, node):
            return None
        self.error(
            node,
            f"'{node.value}' is not a known {facet.key}{self.suggest(facet, node.value)} "
            f"Allowed: {', '.join(facet.slugs)}",
        )
        return None

    def suggest(self, facet: Facet, word: str) -> str:
        term = normalise_term(word)
        for value in facet.values:  # the slug in other letters, the label or another name
            if term in {
                normalise_term(name) for name in (value.slug, value.label, *value.other_names)
            }:
                return f"; did you mean '{value.slug}'?"
        hint = _did_you_mean(word.lower(), list(facet.slugs))
        return hint or "."

    def check_age_range(self, node: Mapping, values: dict[str, object]) -> None:
        youngest, oldest = values.get("minimum_age"), values.get("maximum_age")
        if isinstance(youngest, int) and isinstance(oldest, int) and oldest < youngest:
            self.error(
                node.pairs["maximum_age"][1],
                f"'maximum_age' ({oldest}) is below 'minimum_age' ({youngest})",
            )

    def check_unique(self, node: Mapping, values: dict[str, object]) -> None:
        for field_name, seen, key_of in (
            ("id", self.first_id, str),
            ("url", self.first_url, url_key),
        ):
            value = values.get(field_name)
            if not value:
                continue
            key = key_of(value)
            value_node = node.pairs[field_name][1]
            if key in seen:
                self.error(
                    value_node,
                    f"duplicate {field_name} '{value}' (already used at line {seen[key]})",
                )
            else:
                seen[key] = value_node.line

    def make_group(self, node: Mapping, values: dict[str, object]) -> Group:
        facets = {facet.key: values[facet.field] for facet in self.taxonomy.facets}
        plain = {name: values.get(name) for name in self.specs}
        return Group(
            **plain,  # type: ignore[arg-type]
            facets=MappingProxyType(facets),  # type: ignore[arg-type]
            line=node.line,
            taxonomy=self.taxonomy,
        )
