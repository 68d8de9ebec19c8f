"""Every open data file at once, for the site build and for `kindred export`."""

from __future__ import annotations

from collections.abc import Iterator

from kindred.catalog import Catalog
from kindred.opendata.hsds_files import HSDS_FOLDER, hsds_files
from kindred.opendata.listings_csv import CSV_PATH, groups_csv
from kindred.opendata.listings_json import (
    JSON_PATH,
    SCHEMA_PATH,
    export_schema_json,
    groups_json,
)
from kindred.opendata.records import listing_records
from kindred.opendata.source import Source

FORMATS = ("json", "csv", "hsds")
# The files the "Use this data" page links to, from the site root.
DOWNLOADS = (
    JSON_PATH,
    SCHEMA_PATH,
    CSV_PATH,
    *(
        f"{HSDS_FOLDER}/{name}"
        for name in (
            "index.json",
            "services.json",
            "organizations.json",
            "taxonomies.json",
            "taxonomy_terms.json",
            "tabular/datapackage.json",
        )
    ),
)


def export_files(
    catalog: Catalog, source: Source, formats: tuple[str, ...] = FORMATS
) -> Iterator[tuple[str, bytes]]:
    """Each file of the chosen formats as (path from the site root, content)."""
    records = listing_records(catalog) if {"json", "csv"} & set(formats) else []
    if "json" in formats:
        yield JSON_PATH, groups_json(catalog, source, records)
        yield SCHEMA_PATH, export_schema_json(catalog.taxonomy).encode("utf-8")
    if "csv" in formats:
        yield CSV_PATH, groups_csv(catalog, records)
    if "hsds" in formats:
        for path, data in hsds_files(catalog, source):
            yield f"{HSDS_FOLDER}/{path}", data
