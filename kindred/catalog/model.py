"""What a listing is: its fields (defined once, here and in the taxonomy) and the Group type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from kindred.catalog.taxonomy import FacetValue, Taxonomy


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a listing that is not a facet. Facet fields come from the taxonomy."""

    name: str
    kind: str  # "id", "text", "url", "date" or "integer"
    required: bool
    help: str
    max_length: int | None = None
    minimum: int | None = None  # for integers: the smallest and largest allowed
    maximum: int | None = None
    one_line: bool = False  # for text: a line break or tab in it is a mistake


# The order here is the order fields are documented and written in data/groups.yaml.
LEADING_FIELDS = (
    FieldSpec("id", "id", True, "Stable lowercase slug, unique; used in the page URL.", 64),
    FieldSpec("name", "text", True, "The group's name as it presents itself.", 120, one_line=True),
    FieldSpec("organization", "text", True, "Who runs the group.", 120, one_line=True),
    FieldSpec("url", "url", True, "The group's official web address (http or https).", 500),
    FieldSpec("description", "text", True, "What it is and who it suits, in your own words.", 500),
    FieldSpec("how_to_join", "text", True, "Practical steps to take part.", 500),
)
TRAILING_FIELDS = (
    FieldSpec("cost_note", "text", False, "Anything to know about cost.", 300),
    FieldSpec("anonymity_note", "text", False, "What anonymity means in practice here.", 300),
    FieldSpec(
        "funding_note",
        "text",
        False,
        "How it is paid for when members do not pay, in the group's own words (ads, "
        "de-identified data, partnerships, public funding).",
        300,
    ),
    FieldSpec(
        "eligibility",
        "text",
        False,
        "Who can join, when not everyone can: funded areas, a country, membership, referral.",
        300,
    ),
    FieldSpec(
        "minimum_age",
        "integer",
        False,
        "Youngest age allowed, if the group sets one.",
        minimum=1,
        maximum=99,
    ),
    FieldSpec(
        "maximum_age",
        "integer",
        False,
        "Oldest age allowed, if the group sets one.",
        minimum=1,
        maximum=120,
    ),
    FieldSpec(
        "safety_note",
        "text",
        False,
        "What to know for your safety before joining (shown beside the join button).",
        300,
    ),
    FieldSpec("added", "date", True, "When the listing was added (YYYY-MM-DD)."),
    FieldSpec(
        "last_verified", "date", False, "When an editor last checked it (YYYY-MM-DD), if ever."
    ),
)


def field_order(taxonomy: Taxonomy) -> tuple[str, ...]:
    """Every field name a listing may have, in documentation order."""
    return (
        *(spec.name for spec in LEADING_FIELDS),
        *(facet.field for facet in taxonomy.facets),
        *(spec.name for spec in TRAILING_FIELDS),
    )


@dataclass(frozen=True, slots=True)
class Group:
    """One validated listing. ``facets`` maps a facet key to the value slugs it has."""

    id: str
    name: str
    organization: str
    url: str
    description: str
    how_to_join: str
    facets: Mapping[str, tuple[str, ...]]
    added: dt.date
    cost_note: str | None = None
    anonymity_note: str | None = None
    funding_note: str | None = None
    eligibility: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    safety_note: str | None = None
    last_verified: dt.date | None = None
    # The organisation whose own edition added this listing (see kindred.catalog.overlay).
    added_by: str | None = None
    line: int = 0
    taxonomy: Taxonomy | None = field(default=None, repr=False, compare=False)

    def slugs(self, key: str) -> tuple[str, ...]:
        return self.facets.get(key, ())

    def values(self, key: str) -> tuple[FacetValue, ...]:
        """The group's values for one facet, with labels, in taxonomy order."""
        assert self.taxonomy is not None
        return self.taxonomy.facet(key).values_of(self.slugs(key))

    def value(self, key: str) -> FacetValue:
        """The single value of a one-value facet such as cost."""
        assert self.taxonomy is not None
        return self.taxonomy.facet(key).value(self.slugs(key)[0])
