"""Which groups a pre-filtered directory link (``/groups/?condition=a,b&cost=free``) shows.

An independent reading of the directory's rules, so that tests can check what a link in the
guidance promises: values within one facet are combined with OR, facets with AND. Two choices
are wider than their slug: choosing a cost of "free" also finds donation-based groups (they
cost nothing to join), and choosing a country also finds groups open anywhere in the world.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from kindred.catalog import Catalog
from kindred.catalog.model import Group

# (facet key, chosen slug) -> further slugs a listing may hold and still match.
WIDER_CHOICES = {("cost", "free"): frozenset({"donation"})}
# A listing open anywhere matches any country chosen in this facet.
WORLDWIDE = ("region", "global")


class BadDirectoryLink(ValueError):
    """A link names a filter or value the taxonomy does not have."""


def parse_query(query: str, catalog: Catalog) -> dict[str, frozenset[str]]:
    """The filters a query string asks for, checked against the taxonomy."""
    chosen: dict[str, frozenset[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)):
        if key not in catalog.taxonomy.keys:
            raise BadDirectoryLink(f"unknown filter {key!r} in ?{query}")
        slugs = frozenset(value.split(","))
        unknown = slugs - set(catalog.taxonomy.facet(key).slugs)
        if unknown:
            raise BadDirectoryLink(f"{key} has no value {', '.join(sorted(unknown))} (?{query})")
        chosen[key] = chosen.get(key, frozenset()) | slugs
    return chosen


def accepted_slugs(key: str, chosen: frozenset[str]) -> frozenset[str]:
    """Every slug a listing may hold for ``key`` to match the values chosen there."""
    accepted = set(chosen)
    for slug in chosen:
        accepted |= WIDER_CHOICES.get((key, slug), frozenset())
    worldwide_key, worldwide = WORLDWIDE
    if key == worldwide_key and chosen - {worldwide}:
        accepted.add(worldwide)
    return frozenset(accepted)


def matching_groups(query: str, catalog: Catalog) -> list[Group]:
    """The groups the directory shows for ``query`` (the part after ``?``)."""
    wanted = {
        key: accepted_slugs(key, chosen) for key, chosen in parse_query(query, catalog).items()
    }
    return [
        group
        for group in catalog.groups
        if all(wanted[key] & set(group.slugs(key)) for key in wanted)
    ]
