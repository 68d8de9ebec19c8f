"""The facets listings are described by, loaded from ``data/taxonomy.yaml``.

This is the one definition of every facet and value: validation, the JSON Schema, the site's
pages and filters all read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kindred.characters import describe_char, first_forbidden
from kindred.problems import CatalogError, Problem
from kindred.yamltree import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    already_reported,
    describe,
    read_yaml,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_NAME = re.compile(r"^[a-z]+(?:_[a-z]+)*$")


@dataclass(frozen=True, slots=True)
class FacetValue:
    slug: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class Facet:
    key: str
    field: str
    label: str
    question: str
    multiple: bool
    values: tuple[FacetValue, ...]
    slugs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slugs", tuple(value.slug for value in self.values))

    def value(self, slug: str) -> FacetValue:
        for value in self.values:
            if value.slug == slug:
                return value
        raise KeyError(f"{self.key} has no value {slug!r}")


@dataclass(frozen=True, slots=True)
class Taxonomy:
    facets: tuple[Facet, ...]
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


_FACET_FIELDS = ("key", "field", "label", "question", "multiple", "values")
_VALUE_FIELDS = ("slug", "label", "description")


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
        facets_node = root.pairs["facets"][1]
        if not isinstance(facets_node, Sequence):
            self.error(facets_node, f"'facets' must be a list, not {describe(facets_node)}")
            return None
        facets = [self.facet(node) for node in facets_node.items]
        self.check_unique(facets_node.items, "key", "facet key")
        self.check_unique(facets_node.items, "field", "facet field")
        return Taxonomy(tuple(f for f in facets if f is not None))

    def check_unique(self, nodes: list[Node], field: str, what: str) -> None:
        seen: set[str] = set()
        for node in nodes:
            if isinstance(node, Mapping) and field in node.pairs:
                value = node.pairs[field][1]
                if isinstance(value, Scalar) and value.value in seen:
                    self.error(value, f"duplicate {what} '{value.value}'")
                seen.add(getattr(value, "value", ""))

    def fields(self, node: Node, names: tuple[str, ...], what: str) -> dict[str, Node] | None:
        if not isinstance(node, Mapping):
            self.error(node, f"each {what} must be a set of fields, not {describe(node)}")
            return None
        for key, _ in node.pairs.values():
            if key.value not in names:
                self.error(key, f"unknown {what} field '{key.value}'; expected {', '.join(names)}")
        missing = [name for name in names if name not in node.pairs]
        for name in missing:
            self.error(node, f"{what} is missing '{name}'")
        return None if missing else {name: node.pairs[name][1] for name in names}

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
        fields = self.fields(node, _FACET_FIELDS, "facet")
        if fields is None:
            return None
        multiple = fields["multiple"]
        if not (isinstance(multiple, Scalar) and multiple.kind == "tag:yaml.org,2002:bool"):
            self.error(multiple, "'multiple' must be true or false")
        values_node = fields["values"]
        if not isinstance(values_node, Sequence) or not values_node.items:
            self.error(values_node, "'values' must be a non-empty list")
            return None
        values = [self.value(item) for item in values_node.items]
        self.check_unique(values_node.items, "slug", "value slug")
        return Facet(
            key=self.slug(fields["key"], "key"),
            field=self.field_name(fields["field"]),
            label=self.text(fields["label"], "label"),
            question=self.text(fields["question"], "question"),
            multiple=getattr(multiple, "value", "").lower() == "true",
            values=tuple(v for v in values if v is not None),
        )

    def value(self, node: Node) -> FacetValue | None:
        fields = self.fields(node, _VALUE_FIELDS, "value")
        if fields is None:
            return None
        return FacetValue(
            slug=self.slug(fields["slug"], "slug"),
            label=self.text(fields["label"], "label"),
            description=self.text(fields["description"], "description"),
        )
