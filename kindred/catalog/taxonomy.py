"""The facets listings are described by, loaded from ``data/taxonomy.yaml``.

This is the one definition of every facet and value: validation, the JSON Schema, the site's
pages and filters all read it from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kindred.catalog.characters import describe_char, first_forbidden
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.yamltree import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    already_reported,
    describe,
    read_yaml,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc]")
_CANNOT = re.compile(r"(?<!\S)can ?not(?!\S)")


def normalise_term(text: str) -> str:
    """A name as searched for: case folded, accents kept, apostrophes dropped ("Parkinson's"
    is "parkinsons", as people type it), other punctuation and spacing folded ("12-step",
    "12 step" and "12 Step" are one term), and "cannot" and "can not" written as "can't" is
    ("cant": "i cannot cope" is "i can't cope"). The finder (words.js) folds a query the same
    way."""
    words = " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).split())
    return _CANNOT.sub("cant", words)


_CAPITALS = re.compile(r"[A-Z][A-Z0-9]+")
FIELD_NAME = re.compile(r"^[a-z]+(?:_[a-z]+)*$")


@dataclass(frozen=True, slots=True)
class FacetValue:
    slug: str
    label: str
    description: str
    # Other names people give it (lay words, spellings, abbreviations): shown on its page and
    # indexed, so a search in a person's own words finds its groups.
    other_names: tuple[str, ...] = ()
    # More words a search should understand as this value (phrases, symptoms, common
    # misspellings): indexed and matched like other names, but not shown.
    search_terms: tuple[str, ...] = ()
    # Sets of its names and search terms that mean one narrower thing ("weed", "cannabis",
    # "marijuana"): a search for one of them also looks for the others in groups' own words,
    # so the groups about that thing come first among the value's groups.
    alike: tuple[tuple[str, ...], ...] = ()
    # Its names in capitals that are also everyday words ("BED", "ME"): a search reads them as
    # this value only when they are typed in capitals, so "out of bed" is not about eating.
    capitals_only: tuple[str, ...] = ()
    # For a value of the language facet: words that show a query is written in it (its small
    # words, its words for support, help and groups, its names of needs). A query holding more
    # of one language's words than of any other's ranks the groups in it first.
    query_words: tuple[str, ...] = ()
    # Choosing this value in a filter also matches these values of the same facet: "free"
    # includes donation-based groups, a country includes groups open to anyone anywhere.
    includes: tuple[str, ...] = ()
    # True when a group with this value costs nothing to join (the facet that says so marks
    # every value true or false; the exports and schema.org read it).
    costs_nothing: bool | None = None
    # A broader family of needs ("addiction"), so coverage can be kept in balance.
    family: str = ""
    # A need that can be an emergency (suicidal thoughts): a search or filter naming it shows
    # the crisis lines above the groups, since no support group is a crisis service.
    urgent: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Everything a search understands as this value: its label, other names and search
        terms."""
        return (self.label, *self.other_names, *self.search_terms)


@dataclass(frozen=True, slots=True)
class Roles:
    """Where a facet appears and what it means. Code and templates read these; none of them
    names a facet."""

    filter: bool = True  # a filter in the finder, with a page per value
    card: bool = False  # shown on every result card, with and without JavaScript
    handout: bool = False  # shown on the compact cards of a printed hand-out
    group_page: str = "facts"  # "tags": a list near the top of a group page; "facts": a fact
    heading: str = ""  # how a group page names it (default: the facet's label)
    similar: bool = False  # groups that share a value are "similar groups"
    start: bool = False  # offered on the home page as a way in
    choose: bool = False  # asked by "Help me choose", one question at a time
    note_field: str = ""  # the listing's free-text note about this facet
    note_prefix: str = ""  # said before the note ("In practice: ")
    suggestion_required: bool = False  # the "Suggest a group" form requires it
    schema_org: str = ""  # the schema.org property its values go to
    schema_org_value: str = "label"  # "label" or "slug" (language codes)
    location: bool = False  # where a group is open; its values are the helplines' regions
    language: bool = False  # its values are language codes; cards leave out the site's own
    feed: bool = False  # each value has its own feed of newly added groups
    refines: bool = False  # a value named inside another's longer name ranks its groups first
    hsds: str = ""  # the HSDS field its values also fill (see HSDS_PLACES)
    hsds_note: str = ""  # the HSDS field its note (note_field) goes to (see HSDS_NOTE_PLACES)


@dataclass(frozen=True, slots=True)
class Facet:
    key: str
    field: str
    label: str
    question: str
    multiple: bool
    values: tuple[FacetValue, ...]
    roles: Roles = Roles()
    slugs: tuple[str, ...] = field(init=False)
    accepts: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    # Each value's place in taxonomy order, by slug: pages ask for values by slug all the time.
    positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slugs", tuple(value.slug for value in self.values))
        object.__setattr__(self, "accepts", _accepted_slugs(self.values))
        object.__setattr__(self, "positions", {slug: i for i, slug in enumerate(self.slugs)})

    def value(self, slug: str) -> FacetValue:
        try:
            return self.values[self.positions[slug]]
        except KeyError:
            raise KeyError(f"{self.key} has no value {slug!r}") from None

    def values_of(self, slugs: Iterable[str]) -> tuple[FacetValue, ...]:
        """The values named by ``slugs`` (each once; unknown slugs left out), in taxonomy
        order."""
        places = {self.positions[slug] for slug in slugs if slug in self.positions}
        return tuple(self.values[place] for place in sorted(places))

    def accepted(self, slug: str) -> frozenset[str]:
        """The values a listing may hold to match a filter on ``slug``: the value itself and
        every value it includes ("free" accepts donation-based groups)."""
        return self.accepts[slug]

    def answered(self, slugs: tuple[str, ...]) -> tuple[str, ...]:
        """The values whose filter a listing holding ``slugs`` matches, in taxonomy order: its
        own values and every value that includes one of them."""
        held = set(slugs)
        return tuple(slug for slug in self.slugs if self.accepts[slug] & held)

    def included(self, slug: str) -> tuple[FacetValue, ...]:
        """The other values a filter on ``slug`` also matches, in taxonomy order."""
        return tuple(v for v in self.values if v.slug != slug and v.slug in self.accepts[slug])


def _accepted_slugs(values: tuple[FacetValue, ...]) -> dict[str, frozenset[str]]:
    """Each value with everything it includes, directly or through another value."""
    includes = {value.slug: set(value.includes) for value in values}
    accepted = {}
    for slug in includes:
        found, todo = {slug}, list(includes[slug])
        while todo:
            other = todo.pop()
            if other in includes and other not in found:
                found.add(other)
                todo += includes[other]
        accepted[slug] = frozenset(found)
    return accepted


@dataclass(frozen=True, slots=True)
class StartingPoint:
    """A view of the directory the home page offers as a way in."""

    label: str
    hint: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (facet key, value slugs), in order

    @property
    def path(self) -> str:
        """Its address from the site root: a value's own page when it names one value."""
        if len(self.filters) == 1 and len(self.filters[0][1]) == 1:
            key, (slug,) = self.filters[0]
            return f"{key}/{slug}/"
        query = "&".join(f"{key}={','.join(slugs)}" for key, slugs in self.filters)
        return f"groups/?{query}" if query else "groups/"


@dataclass(frozen=True, slots=True)
class Taxonomy:
    facets: tuple[Facet, ...]
    starting_points: tuple[StartingPoint, ...] = ()
    # Words that on their own ask for help now ("someone to talk to"): a search holding one
    # shows the crisis lines above the groups, as a value marked urgent does.
    urgent_terms: tuple[str, ...] = ()
    by_key: dict[str, Facet] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {facet.key: facet for facet in self.facets})

    def facet(self, key: str) -> Facet:
        try:
            return self.by_key[key]
        except KeyError:
            raise KeyError(f"no facet {key!r}") from None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(facet.key for facet in self.facets)

    def with_role(self, role: str) -> tuple[Facet, ...]:
        """The facets whose ``role`` is set (true or non-empty), in taxonomy order."""
        return tuple(facet for facet in self.facets if getattr(facet.roles, role))

    def location(self) -> Facet:
        """The facet that says where groups are open (the one with the location role)."""
        found = self.with_role("location")
        if len(found) != 1:
            raise KeyError("the taxonomy needs exactly one facet with the location role")
        return found[0]

    def on_group_page(self, place: str) -> tuple[Facet, ...]:
        """The facets a group page shows as ``place`` ("tags" or "facts")."""
        return tuple(facet for facet in self.facets if facet.roles.group_page == place)


_FACET_FIELDS = ("key", "field", "label", "question", "multiple", "values")
_FACET_OPTIONAL = ("roles",)
_VALUE_FIELDS = ("slug", "label", "description")
_VALUE_OPTIONAL = (
    "other_names",
    "search_terms",
    "alike",
    "capitals_only",
    "query_words",
    "includes",
    "costs_nothing",
    "family",
    "urgent",
)
_TOP_LEVEL = ("facets", "starting_points", "urgent_terms")
_ROLE_KINDS = {name: type(getattr(Roles(), name)) for name in Roles.__dataclass_fields__}
_GROUP_PAGE_PLACES = ("tags", "facts")
# Where Open Referral HSDS carries a facet besides the attribute every value becomes: its
# values as a service's languages (codes), cost options, service areas or schedules, or as its
# organization's legal status; its note as the service's fees description or funding source.
HSDS_LANGUAGES = "languages"  # the HSDS field (which happens to share a facet field's name)
HSDS_PLACES = (HSDS_LANGUAGES, "cost_options", "service_areas", "schedules", "legal_status")
HSDS_NOTE_PLACES = ("fees_description", "funding")


def load_taxonomy(path: Path | str) -> Taxonomy:
    """Load and check the taxonomy. Raises CatalogError listing every problem, OSError on I/O."""
    path = Path(path)
    root, problems = read_yaml(path)
    reader = _TaxonomyReader(str(path), problems)
    taxonomy = reader.read(root) if root is not None else None
    if problems or taxonomy is None:
        if not problems:
            problems.append(Problem(str(path), 1, 1, "the taxonomy file is empty"))
        raise CatalogError(problems)
    return taxonomy


def _names_of(value: Mapping) -> list[Node]:
    """A value's label, other names and search terms, as nodes (to report where a clash is)."""
    names = [value.pairs["label"][1]] if "label" in value.pairs else []
    for field_name in ("other_names", "search_terms"):
        found = value.pairs.get(field_name)
        names += found[1].items if found and isinstance(found[1], Sequence) else []
    return names


class _TaxonomyReader:
    def __init__(self, name: str, problems: list[Problem]):
        self.name = name
        self.problems = problems

    def error(self, node: Node, message: str) -> None:
        if not already_reported(node):
            self.problems.append(Problem(self.name, node.line, node.col, message))

    def read(self, root: Node) -> Taxonomy | None:
        if not isinstance(root, Mapping) or "facets" not in root.pairs:
            self.error(root, "the taxonomy must be a mapping with a 'facets' list")
            return None
        for key, _ in root.pairs.values():
            if key.value not in _TOP_LEVEL:
                self.error(key, f"unknown field '{key.value}'; expected {', '.join(_TOP_LEVEL)}")
        facets_node = root.pairs["facets"][1]
        if not isinstance(facets_node, Sequence):
            self.error(facets_node, f"'facets' must be a list, not {describe(facets_node)}")
            return None
        facets = [self.facet(node) for node in facets_node.items]
        self.check_unique(facets_node.items, "key", "facet key")
        self.check_unique(facets_node.items, "field", "facet field")
        self.check_names(facets_node.items)
        self.check_hsds(facets_node.items, facets)
        found = tuple(f for f in facets if f is not None)
        starts_node = root.pairs.get("starting_points")
        starts = self.starting_points(starts_node[1], found) if starts_node else ()
        urgent_node = root.pairs.get("urgent_terms")
        urgent = self.texts(urgent_node[1], "urgent_terms") if urgent_node else ()
        for text, node in zip(urgent, urgent_node[1].items if urgent else (), strict=False):
            if text and not normalise_term(text):
                self.error(node, f"'{text}' has no letters or digits to search for")
        return Taxonomy(found, starts, urgent)

    def starting_points(self, node: Node, facets: tuple[Facet, ...]) -> tuple[StartingPoint, ...]:
        if not isinstance(node, Sequence):
            self.error(node, f"'starting_points' must be a list, not {describe(node)}")
            return ()
        by_key = {facet.key: facet for facet in facets}
        found = []
        for item in node.items:
            fields = self.fields(item, ("label", "hint", "filters"), "starting point")
            if fields is None:
                continue
            filters = fields["filters"]
            if not isinstance(filters, Mapping):
                self.error(filters, "'filters' must map facet keys to lists of values")
                continue
            chosen = [self.chosen(key, value, by_key) for key, value in filters.pairs.values()]
            found.append(
                StartingPoint(
                    self.text(fields["label"], "label"),
                    self.text(fields["hint"], "hint"),
                    tuple(choice for choice in chosen if choice),
                )
            )
        return tuple(found)

    def chosen(
        self, key: Scalar, values: Node, by_key: dict[str, Facet]
    ) -> tuple[str, tuple[str, ...]] | None:
        facet = by_key.get(key.value)
        if facet is None or not facet.roles.filter:
            self.error(key, f"'{key.value}' is not a facet offered as a filter")
            return None
        slugs = self.texts(values, key.value)
        for item, slug in zip(getattr(values, "items", []), slugs, strict=False):
            if slug not in facet.slugs:
                self.error(item, f"'{slug}' is not a value of {facet.key}")
        return (facet.key, slugs)

    def check_names(self, facet_nodes: list[Node]) -> None:
        """Every label and other name leads to one value only, across the whole taxonomy:
        a search for it, or a filter suggested from it, must not be ambiguous. Names are
        compared as a search compares them (normalise_term), so "12-step" and "12 Step" are
        one name."""
        seen: dict[str, str] = {}
        for facet_node in facet_nodes:
            if not isinstance(facet_node, Mapping):
                continue
            key = getattr(facet_node.pairs.get("key", (None, None))[1], "value", "")
            values = facet_node.pairs.get("values")
            for value in values[1].items if values and isinstance(values[1], Sequence) else []:
                if not isinstance(value, Mapping) or "slug" not in value.pairs:
                    continue
                owner = f"'{getattr(value.pairs['slug'][1], 'value', '')}' in {key}"
                for name in _names_of(value):
                    self.check_name(name, owner, seen)

    def check_name(self, name: Node, owner: str, seen: dict[str, str]) -> None:
        text = getattr(name, "value", "")
        if not isinstance(text, str) or not text:
            return  # reported where the value is read
        term = normalise_term(text)
        if not term:
            self.error(name, f"'{text}' has no letters or digits to search for")
        elif seen.setdefault(term, owner) != owner:
            self.error(
                name,
                f"'{text}' already names {seen[term]}; a name may lead to one value only "
                "(names are compared ignoring case and punctuation)",
            )

    def check_hsds(self, nodes: list[Node], facets: list[Facet | None]) -> None:
        """An HSDS place takes one facet; a note goes somewhere only when there is one; and
        only language codes can be HSDS languages."""
        taken: dict[str, str] = {}
        for node, facet in zip(nodes, facets, strict=True):
            if facet is None:
                continue
            roles = node.pairs["roles"][1] if "roles" in node.pairs else node
            place = facet.roles.hsds
            if place and place in taken:
                self.error(roles, f"'hsds: {place}' is already the role of {taken[place]}")
            taken.setdefault(place, facet.key)
            if place == HSDS_LANGUAGES and not facet.roles.language:
                self.error(roles, "'hsds: languages' needs 'language: true' (codes as slugs)")
            if facet.roles.hsds_note and not facet.roles.note_field:
                self.error(roles, "'hsds_note' needs a 'note_field' to take the note from")

    def check_unique(self, nodes: list[Node], field: str, what: str) -> None:
        seen: set[str] = set()
        for node in nodes:
            if isinstance(node, Mapping) and field in node.pairs:
                value = node.pairs[field][1]
                if isinstance(value, Scalar) and value.value in seen:
                    self.error(value, f"duplicate {what} '{value.value}'")
                seen.add(getattr(value, "value", ""))

    def fields(
        self, node: Node, names: tuple[str, ...], what: str, optional: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        if not isinstance(node, Mapping):
            self.error(node, f"each {what} must be a set of fields, not {describe(node)}")
            return None
        for key, _ in node.pairs.values():
            if key.value not in names + optional:
                expected = ", ".join(names + optional)
                self.error(key, f"unknown {what} field '{key.value}'; expected {expected}")
        missing = [name for name in names if name not in node.pairs]
        for name in missing:
            self.error(node, f"{what} is missing '{name}'")
        if missing:
            return None
        return {name: node.pairs[name][1] for name in names + optional if name in node.pairs}

    def flag(self, node: Node, field: str) -> bool:
        if not (isinstance(node, Scalar) and node.kind == "tag:yaml.org,2002:bool"):
            self.error(node, f"'{field}' must be true or false")
            return False
        return node.value.lower() == "true"

    def texts(self, node: Node | None, field: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self.error(node, f"'{field}' must be a list, not {describe(node)}")
            return ()
        return tuple(self.text(item, field) for item in node.items)

    def alike(self, node: Node | None, names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """Sets of two or more of the value's own names and search terms."""
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self.error(node, f"'alike' must be a list of lists, not {describe(node)}")
            return ()
        known = {normalise_term(name) for name in names}
        found = []
        for item in node.items:
            if not isinstance(item, Sequence) or len(item.items) < 2:
                self.error(item, "each set in 'alike' must be a list of two or more names")
                continue
            words = self.texts(item, "alike")
            for word, word_node in zip(words, item.items, strict=True):
                if word and normalise_term(word) not in known:
                    self.error(
                        word_node,
                        f"'{word}' is not a name or search term of this value; add it to "
                        "'search_terms' first",
                    )
            found.append(words)
        return tuple(found)

    def capitals(self, node: Node | None, names: tuple[str, ...]) -> tuple[str, ...]:
        """Other names or search terms of the value, each as written there in capitals."""
        found = self.texts(node, "capitals_only")
        items = node.items if isinstance(node, Sequence) else []
        for name, name_node in zip(found, items, strict=True):
            if not name:  # not text: reported already
                continue
            if not _CAPITALS.fullmatch(name):
                self.error(name_node, f"'{name}' in 'capitals_only' must be written in capitals")
            elif name not in names:
                self.error(
                    name_node,
                    f"'{name}' is not an other name or search term of this value; add it to "
                    "'other_names' first",
                )
        return found

    def query_words(self, node: Node | None) -> tuple[str, ...]:
        """Words a query is read in, each a single word as a search reads it."""
        found = self.texts(node, "query_words")
        items = node.items if isinstance(node, Sequence) else []
        for word, word_node in zip(found, items, strict=True):
            if word and (normalise_term(word) != word.casefold() or " " in word):
                self.error(word_node, f"'{word}' in 'query_words' must be one word")
        return found

    def roles(self, node: Node | None) -> Roles:
        if node is None:
            return Roles()
        if not isinstance(node, Mapping):
            self.error(node, f"'roles' must be a set of fields, not {describe(node)}")
            return Roles()
        found: dict[str, object] = {}
        for key, value in node.pairs.values():
            kind = _ROLE_KINDS.get(key.value)
            if kind is None:
                expected = ", ".join(_ROLE_KINDS)
                self.error(key, f"unknown role '{key.value}'; expected one of {expected}")
            elif kind is bool:
                found[key.value] = self.flag(value, key.value)
            else:
                found[key.value] = self.text(value, key.value)
        if found.get("feed") and found.get("filter") is False:
            self.error(node.pairs["feed"][1], "'feed' needs the facet's pages ('filter: true')")
        if found.get("refines") and found.get("filter") is False:
            self.error(
                node.pairs["refines"][1], "'refines' needs the facet's filter ('filter: true')"
            )
        for role, allowed in (
            ("group_page", _GROUP_PAGE_PLACES),
            ("hsds", HSDS_PLACES),
            ("hsds_note", HSDS_NOTE_PLACES),
        ):
            place = found.get(role)
            if place and place not in allowed:
                self.error(
                    node.pairs[role][1],
                    f"'{role}' must be one of {', '.join(allowed)}, not '{place}'",
                )
        if found.get("choose") and not found.get("filter", True):
            self.error(node.pairs["choose"][1], "'choose' needs a facet offered as a filter")
        return Roles(**found)  # type: ignore[arg-type]

    def text(self, node: Node, field: str) -> str:
        if not isinstance(node, Scalar) or node.kind != "tag:yaml.org,2002:str" or not node.value:
            self.error(node, f"'{field}' must be non-empty text")
            return ""
        index = first_forbidden(node.value)
        if index is not None:  # written as an escape; typed ones are reported by yamltree
            self.error(node, f"'{field}' contains {describe_char(node.value[index])}; delete it")
            return ""
        return node.value.strip()

    def slug(self, node: Node, field: str) -> str:
        value = self.text(node, field)
        if value and not SLUG.match(value):
            self.error(
                node, f"'{field}' must be a lowercase slug like 'chronic-pain', not '{value}'"
            )
        return value

    def field_name(self, node: Node) -> str:
        value = self.text(node, "field")
        if value and not FIELD_NAME.match(value):
            self.error(node, f"'field' must be lowercase words joined by '_', not '{value}'")
        return value

    def facet(self, node: Node) -> Facet | None:
        fields = self.fields(node, _FACET_FIELDS, "facet", _FACET_OPTIONAL)
        if fields is None:
            return None
        multiple = self.flag(fields["multiple"], "multiple")
        values_node = fields["values"]
        if not isinstance(values_node, Sequence) or not values_node.items:
            self.error(values_node, "'values' must be a non-empty list")
            return None
        values = [self.value(item) for item in values_node.items]
        self.check_unique(values_node.items, "slug", "value slug")
        self.check_includes(values_node.items, {v.slug for v in values if v is not None})
        roles = self.roles(fields.get("roles"))
        if not roles.language:
            self.check_no_query_words(values_node.items)
        return Facet(
            key=self.slug(fields["key"], "key"),
            field=self.field_name(fields["field"]),
            label=self.text(fields["label"], "label"),
            question=self.text(fields["question"], "question"),
            multiple=multiple,
            values=tuple(v for v in values if v is not None),
            roles=roles,
        )

    def check_no_query_words(self, value_nodes: list[Node]) -> None:
        for node in value_nodes:
            found = node.pairs.get("query_words") if isinstance(node, Mapping) else None
            if found:
                self.error(found[0], "'query_words' belong to values of the language facet only")

    def check_includes(self, value_nodes: list[Node], slugs: set[str]) -> None:
        for node in value_nodes:
            included = node.pairs.get("includes") if isinstance(node, Mapping) else None
            for item in included[1].items if included and isinstance(included[1], Sequence) else []:
                if getattr(item, "value", None) not in slugs:
                    self.error(item, f"'includes' names '{item.value}', not a value of this facet")

    def value(self, node: Node) -> FacetValue | None:
        fields = self.fields(node, _VALUE_FIELDS, "value", _VALUE_OPTIONAL)
        if fields is None:
            return None
        costs_nothing = fields.get("costs_nothing")
        label = self.text(fields["label"], "label")
        other_names = self.texts(fields.get("other_names"), "other_names")
        search_terms = self.texts(fields.get("search_terms"), "search_terms")
        return FacetValue(
            slug=self.slug(fields["slug"], "slug"),
            label=label,
            description=self.text(fields["description"], "description"),
            other_names=other_names,
            search_terms=search_terms,
            alike=self.alike(fields.get("alike"), (label, *other_names, *search_terms)),
            capitals_only=self.capitals(fields.get("capitals_only"), (*other_names, *search_terms)),
            query_words=self.query_words(fields.get("query_words")),
            includes=self.texts(fields.get("includes"), "includes"),
            family=self.slug(fields["family"], "family") if "family" in fields else "",
            urgent=self.flag(fields["urgent"], "urgent") if "urgent" in fields else False,
            costs_nothing=None
            if costs_nothing is None
            else self.flag(costs_nothing, "costs_nothing"),
        )
