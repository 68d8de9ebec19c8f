"""A listing as a record of every field, and the taxonomy as plain data.

groups.json and groups.csv write listings as records: every field a listing may have, under
the name it has in data/groups.yaml, in the order the model documents them, so every record has
the same keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kindred.catalog import Catalog
from kindred.catalog.model import Group, field_order
from kindred.catalog.taxonomy import Taxonomy


def listing_record(group: Group, taxonomy: Taxonomy) -> dict[str, Any]:
    """Every field of the listing: absent ones are None, dates are YYYY-MM-DD, a facet that
    takes several values is a list of slugs (in the listing's own order), one value a slug."""
    record: dict[str, Any] = {}
    facets = {facet.field: facet for facet in taxonomy.facets}
    for name in field_order(taxonomy):
        facet = facets.get(name)
        if facet is not None:
            slugs = list(group.slugs(facet.key))
            record[name] = slugs if facet.multiple else (slugs[0] if slugs else None)
            continue
        value = getattr(group, name)
        record[name] = value.isoformat() if isinstance(value, dt.date) else value
    return record


def listing_records(catalog: Catalog) -> list[dict[str, Any]]:
    """Every listing's record, in the catalog's order (by name)."""
    return [listing_record(group, catalog.taxonomy) for group in catalog.groups]


def taxonomy_record(taxonomy: Taxonomy) -> dict[str, Any]:
    """Every facet and value with the same keys each time."""
    return {
        "facets": [
            {
                "key": facet.key,
                "field": facet.field,
                "label": facet.label,
                "question": facet.question,
                "multiple": facet.multiple,
                "values": [
                    {
                        "slug": value.slug,
                        "label": value.label,
                        "description": value.description,
                        "other_names": list(value.other_names),
                        "includes": list(value.includes),
                        "costs_nothing": value.costs_nothing,
                    }
                    for value in facet.values
                ],
            }
            for facet in taxonomy.facets
        ]
    }
