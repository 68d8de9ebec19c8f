"""The catalog layer: reads data/taxonomy.yaml, data/groups.yaml and data/helplines.yaml with
every position remembered, validates them, and holds the result as an immutable Catalog.
It knows nothing of Pelican.

    yamltree     YAML read into nodes that know their line and column; unreadable files,
                 forbidden characters and absurd nesting refused before parsing
    characters   the one rule for control and invisible characters
    urls         which web addresses are public, and when two are the same
    problems     a problem at FILE:LINE:COL, and the error that carries them all
    taxonomy     facets, values, other names, display roles, starting points
    model        the fields of a listing and the Group type
    listings     the listings file validated into a Catalog
    reload       the listings file read again after an edit, only changed listings parsed
    helplines    crisis lines by region
    overlay      an organisation's own edition: its listings, hidden ids, brand and EAP
    staleness    when a listing is due for an editor's check
    related      similar groups
    schema       the JSON Schema editors use, generated from the model and the taxonomy
"""

from kindred.catalog.listings import (
    DEFAULT_GROUPS,
    DEFAULT_TAXONOMY,
    Catalog,
    ListingValidator,
    build_catalog,
    load_catalog,
    url_key,
)

__all__ = [
    "DEFAULT_GROUPS",
    "DEFAULT_TAXONOMY",
    "Catalog",
    "ListingValidator",
    "build_catalog",
    "load_catalog",
    "url_key",
]
