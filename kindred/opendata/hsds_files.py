"""The HSDS files, laid out as the HSDS API answers, so a static server is the API.

Paths are relative to the HSDS folder (hsds/ on the site); each API path gains ".json":

    index.json                   GET /                  the HSDS version
    services.json                GET /services          a page holding every service, nested
    services/<id>.json           GET /services/{id}     one fully nested service
    organizations.json           GET /organizations     a page of every organization
    organizations/<id>.json      GET /organizations/{id}  an organization and its services
    taxonomies.json              GET /taxonomies        a page with the one taxonomy
    taxonomies/<id>.json         GET /taxonomies/{id}
    taxonomy_terms.json          GET /taxonomy_terms    a page of every term
    taxonomy_terms/<id>.json     GET /taxonomy_terms/{id}
    tabular/datapackage.json     the HSDS tabular form: a data package of CSV files
    tabular/<table>.csv

A page holds every item (one page in all): a static file cannot answer ``?page=2``, and one
file is what a client that copies the whole directory wants. In services.json, attributes name
their taxonomy term by id only (the terms are in taxonomy_terms.json), which keeps the page a
third the size of all the service files together; otherwise each service is the same there as
in its own file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kindred.catalog import Catalog
from kindred.catalog.taxonomy import HSDS_LANGUAGES
from kindred.opendata.hsds import HSDS_VERSION, HsdsCatalog, dumps
from kindred.opendata.licence import licence_record
from kindred.opendata.source import Source

HSDS_FOLDER = "hsds"
TABULAR = "tabular"
# Each table of the tabular form and its columns, in HSDS's order. Services and their
# organizations are the parents; the rest are rows nested in services.
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "description", "legal_status"),
    "services": (
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "status",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
    ),
    "attributes": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"),
    "taxonomies": ("id", "name", "description", "uri"),
    "taxonomy_terms": (
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "taxonomy_id",
        "language",
        "term_uri",
    ),
    HSDS_LANGUAGES: ("id", "service_id", "name", "code"),
    "cost_options": ("id", "service_id", "option", "amount", "amount_description"),
    "service_areas": ("id", "service_id", "name", "description"),
    "schedules": ("id", "service_id", "description"),
    "funding": ("id", "service_id", "source"),
    "metadata": (
        "id",
        "resource_id",
        "resource_type",
        "last_action_date",
        "last_action_type",
        "field_name",
        "previous_value",
        "replacement_value",
        "updated_by",
    ),
}
_NESTED_IN_SERVICES = (
    "attributes",
    HSDS_LANGUAGES,
    "cost_options",
    "service_areas",
    "schedules",
    "funding",
    "metadata",
)
_NUMBERS = {"minimum_age", "maximum_age", "amount"}
_DATES = {"assured_date", "last_action_date"}
_URIS = {"url", "uri", "term_uri"}
# Columns that point at a row of another table.
_REFERENCES = {
    "organization_id": "organizations",
    "service_id": "services",
    "link_id": "services",
    "resource_id": "services",
    "taxonomy_term_id": "taxonomy_terms",
    "taxonomy_id": "taxonomies",
    "parent_id": "taxonomy_terms",
}


def hsds_files(catalog: Catalog, source: Source) -> Iterator[tuple[str, bytes]]:
    """Every HSDS file as (path in the HSDS folder, content)."""
    hsds = HsdsCatalog(catalog, source)
    yield "index.json", _json({"version": HSDS_VERSION})
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    services = []
    for group in catalog.groups:
        service = hsds.service(group)
        text = dumps(service)
        services.append(text)
        yield f"services/{service['id']}.json", (hsds.with_terms(text) + "\n").encode("utf-8")
        rows["services"].append(service)
        for table in _NESTED_IN_SERVICES:
            rows[table] += service.get(table, ())
    yield "services.json", _page(services)
    organizations = hsds.organizations()
    yield from _one_each("organizations", organizations)
    basic = [{k: v for k, v in o.items() if k != "services"} for o in organizations]
    yield "organizations.json", _page(dumps(organization) for organization in basic)
    taxonomies, terms = [hsds.taxonomy()], list(hsds.terms.values())
    for table, items in (("taxonomies", taxonomies), ("taxonomy_terms", terms)):
        yield from _one_each(table, items)
        yield f"{table}.json", _page(dumps(item) for item in items)
    rows.update(organizations=basic, taxonomies=taxonomies, taxonomy_terms=terms)
    yield from tabular_files(rows, source)


def _one_each(table: str, items: list[dict[str, Any]]) -> Iterator[tuple[str, bytes]]:
    for item in items:
        yield f"{table}/{item['id']}.json", _json(item)


def _json(data: Any) -> bytes:
    return (dumps(data) + "\n").encode("utf-8")


def _page(items: Iterable[str]) -> bytes:
    """The HSDS API's page of results, holding every item."""
    contents = list(items)
    count = len(contents)
    head = {
        "total_items": count,
        "total_pages": 1,
        "page_number": 1,
        "size": count,
        "first_page": True,
        "last_page": True,
        "empty": count == 0,
    }
    text = dumps(head)[:-1] + ',"contents":[' + ",".join(contents) + "]}\n"
    return text.encode("utf-8")


def tabular_files(
    rows: dict[str, list[dict[str, Any]]], source: Source
) -> Iterator[tuple[str, bytes]]:
    """The HSDS tabular form: a CSV file per table that has rows, and datapackage.json."""
    written = [table for table in TABLES if rows[table]]
    for table in written:
        yield f"{TABULAR}/{table}.csv", _csv(TABLES[table], rows[table])
    resources = [_resource(table, written) for table in written]
    package = {
        "name": "kindred-hsds",
        "title": f"{source.name}: online support groups (Open Referral HSDS {HSDS_VERSION})",
        "profile": "tabular-data-package",
        "licenses": [licence_record()],
        "resources": resources,
    }
    yield f"{TABULAR}/datapackage.json", (json.dumps(package, indent=1) + "\n").encode("utf-8")


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(map(row.get, columns) for row in rows)  # csv writes None as ""
    return out.getvalue().encode("utf-8")


def _resource(table: str, written: list[str]) -> dict[str, Any]:
    fields = [_field(column) for column in TABLES[table]]
    keys = [
        {"fields": column, "reference": {"resource": _REFERENCES[column], "fields": "id"}}
        for column in TABLES[table]
        if _REFERENCES.get(column) in written
    ]
    return dict(
        name=table,
        path=f"{table}.csv",
        profile="tabular-data-resource",
        format="csv",
        mediatype="text/csv",
        encoding="utf-8",
        schema={"fields": fields, "primaryKey": "id", "foreignKeys": keys},
    )


def _field(column: str) -> dict[str, str]:
    if column == "id" or column.endswith("_id"):
        return dict(name=column, type="string", format="uuid")
    if column in _URIS:
        return dict(name=column, type="string", format="uri")
    if column in _NUMBERS:
        return {"name": column, "type": "number"}
    if column in _DATES:
        return {"name": column, "type": "date"}
    return {"name": column, "type": "string"}
