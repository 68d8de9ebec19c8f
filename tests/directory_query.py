"""Which groups a link into the directory shows: a view of the finder
(``/groups/?condition=a,b&cost=free``) or a value's own page (``/condition/a/``).

The link is read as the site reads it, and answered with the catalog's one reading of a view,
Catalog.groups_matching_all (OR within a facet, AND across facets, each value's includes
counted in): the reading the facet pages, the finder's data and the search index are built
from, so a test that resolves a link checks what a reader will see.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from kindred.catalog import Catalog
from kindred.catalog.model import Group


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


def matching_groups(query: str, catalog: Catalog) -> tuple[Group, ...]:
    """The groups the directory shows for ``query`` (the part after ``?``)."""
    return catalog.groups_matching_all(parse_query(query, catalog))


def groups_at(path: str, catalog: Catalog) -> tuple[Group, ...] | None:
    """The groups the page at ``path`` (from the site root, with any query) lists when it is a
    view of the directory or a value's page; None for any other page."""
    page, _, query = path.partition("?")
    parts = [part for part in page.removesuffix("index.html").split("/") if part]
    if parts == ["groups"]:
        return matching_groups(query, catalog)
    if len(parts) == 2 and parts[0] in catalog.taxonomy.keys:
        facet = catalog.taxonomy.facet(parts[0])
        if facet.roles.filter and parts[1] in facet.slugs:
            return catalog.groups_matching(facet.key, parts[1])
    return None
