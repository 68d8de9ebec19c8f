"""The open data downloads: groups.json, groups.csv and Open Referral HSDS 3, as a real build
publishes them, checked against their own schema and the official HSDS schemas."""

from __future__ import annotations

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.model import LEADING_FIELDS, TRAILING_FIELDS, field_order
from kindred.opendata.files import DOWNLOADS, export_files
from kindred.opendata.hsds import (
    ADDED_FIELD,
    ATTRIBUTE_FIELDS,
    NAMESPACE,
    ORGANIZATION_FIELD,
    SERVICE_FIELDS,
    value_code,
)
from kindred.opendata.hsds_files import TABLES
from kindred.opendata.licence import LICENCE_URL
from kindred.opendata.listings_json import export_schema
from kindred.opendata.source import Source
from kindred.site.feeds import value_feed_path
from tests.conftest import GROUPS, ROOT, TAXONOMY
from tests.hsds_schemas import errors, table_fields
from tests.site_helpers import SUBPATH_SITEURL, read_page
from tests.test_catalog import VALID, second
from tests.test_cli import kindred

SOURCE = Source("Kindred", SUBPATH_SITEURL, "en")
HSDS_OBJECTS = {  # folder of one-per-item files: the official schema each must pass
    "services": "service",
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


@pytest.fixture(scope="module")
def site(published_site: Path) -> Path:
    return published_site


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def uuid5(*names: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(names)))


# --- What the build publishes ------------------------------------------------------------


def test_the_build_publishes_the_same_files_as_the_export(site: Path, catalog: Catalog) -> None:
    expected = dict(export_files(catalog, SOURCE))
    published = {
        str(path.relative_to(site)): path.read_bytes()
        for folder in ("data", "hsds")
        for path in (site / folder).rglob("*")
        if path.is_file()
    }
    assert published.keys() == expected.keys()
    assert [path for path in expected if published[path] != expected[path]] == []
    assert set(DOWNLOADS) <= published.keys()
    assert len(list((site / "hsds" / "services").glob("*.json"))) == len(catalog.groups)


def test_the_exports_are_the_same_bytes_in_every_build(tmp_path: Path, catalog: Catalog) -> None:
    first = dict(export_files(catalog, SOURCE))
    assert dict(export_files(load_catalog(GROUPS, TAXONOMY), SOURCE)) == first
    # A new listing changes the pages, but no file of another service.
    grown = tmp_path / "groups.yaml"
    grown.write_text(GROUPS.read_text(encoding="utf-8") + "\n" + VALID, encoding="utf-8")
    after = dict(export_files(load_catalog(grown, TAXONOMY), SOURCE))
    services = [p for p in first if p.startswith("hsds/services/")]
    assert [p for p in services if after[p] != first[p]] == []
    assert len([p for p in after if p.startswith("hsds/services/")]) == len(services) + 1


# --- HSDS against the official schemas ----------------------------------------------------


def test_every_hsds_file_validates_against_the_official_schemas(
    site: Path, catalog: Catalog
) -> None:
    hsds = site / "hsds"
    found = {}
    checked = 0
    for folder, schema in HSDS_OBJECTS.items():
        files = sorted((hsds / folder).glob("*.json"))
        assert files, folder
        for file in files:
            found[str(file.relative_to(hsds))] = errors(read_json(file), schema)
        page = read_json(hsds / f"{folder}.json")
        assert page["total_items"] == page["size"] == len(page["contents"]) == len(files)
        assert (page["page_number"], page["total_pages"], page["empty"]) == (1, 1, False)
        for number, item in enumerate(page["contents"]):
            found[f"{folder}.json: item {number}"] = errors(item, schema)
        checked += len(files)
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert read_json(hsds / "index.json") == {"version": "3.0"}
    organizations = {group.organization for group in catalog.groups}
    terms = sum(len(facet.values) + 1 for facet in catalog.taxonomy.facets) + 3  # and fields
    assert checked == len(catalog.groups) + len(organizations) + 1 + terms


def test_the_official_schemas_catch_a_broken_service(site: Path) -> None:
    service = read_json(next((site / "hsds" / "services").glob("*.json")))
    assert errors(service, "service") == []
    broken = {**service, "status": "open", "colour": "red", "id": "calm-harbour"}
    broken["attributes"] = [{**service["attributes"][0], "taxonomy_term_id": "depression"}]
    messages = " ".join(errors(broken, "service"))
    for mistake in ("'open' is not one of", "'colour' was unexpected", "'calm-harbour' is not"):
        assert mistake in messages
    assert "'depression' is not a 'uuid'" in messages


def test_ids_are_derived_from_what_they_stand_for_and_every_reference_resolves(
    site: Path, catalog: Catalog
) -> None:
    hsds = site / "hsds"
    services = {read_json(p)["id"]: read_json(p) for p in (hsds / "services").glob("*.json")}
    assert set(services) == {uuid5("service", g.id) for g in catalog.groups}
    organizations = {read_json(p)["id"] for p in (hsds / "organizations").glob("*.json")}
    assert organizations == {uuid5("organization", g.organization) for g in catalog.groups}
    terms = {read_json(p)["id"]: read_json(p) for p in (hsds / "taxonomy_terms").glob("*.json")}
    nested_ids = []
    for service in services.values():
        assert service["organization_id"] in organizations
        assert service["organization"]["id"] == service["organization_id"]
        for attribute in service["attributes"]:
            assert attribute["link_id"] == service["id"]
            assert attribute["taxonomy_term"] == terms[attribute["taxonomy_term_id"]]
        for key in ("attributes", "languages", "cost_options", "service_areas", "schedules"):
            nested_ids += [item["id"] for item in service.get(key, [])]
    assert len(nested_ids) == len(set(nested_ids)), "an id is used twice"
    assert all(term.get("parent_id") in (None, *terms) for term in terms.values())


def test_every_value_is_an_attribute_and_each_role_fills_its_hsds_field(
    site: Path, catalog: Catalog
) -> None:
    taxonomy = catalog.taxonomy
    for group in catalog.groups:
        service = read_json(site / "hsds" / "services" / f"{uuid5('service', group.id)}.json")
        codes = [a["taxonomy_term"]["code"] for a in service["attributes"]]
        wanted = [
            value_code(facet, facet.value(slug))
            for facet in taxonomy.facets
            for slug in group.slugs(facet.key)
        ]
        assert codes[: len(wanted)] == wanted
        for facet in taxonomy.facets:
            place = facet.roles.hsds
            if place and place != "legal_status":
                entries = service[place]
                labels = [facet.value(slug).label for slug in group.slugs(facet.key)]
                shown = [e.get("name") or e.get("option") or e["description"] for e in entries]
                assert [any(label in text for label in labels) for text in shown] == [True] * len(
                    labels
                )
            if facet.roles.language and place:
                assert [e["code"] for e in service[place]] == list(group.slugs(facet.key))
        for name, place in SERVICE_FIELDS.items():
            value = getattr(group, name)
            assert service.get(place) == (value.isoformat() if hasattr(value, "year") else value)
        assert service["organization"]["name"] == group.organization


def test_every_listing_field_has_a_place_in_hsds(taxonomy) -> None:
    notes = {facet.roles.note_field for facet in taxonomy.facets if facet.roles.note_field}
    placed = {*SERVICE_FIELDS, *ATTRIBUTE_FIELDS, ORGANIZATION_FIELD, ADDED_FIELD, *notes}
    fields = {spec.name for spec in (*LEADING_FIELDS, *TRAILING_FIELDS)}
    assert fields - placed == set(), "say in kindred/opendata/hsds.py where the field goes"


def test_the_tabular_form_matches_the_official_tables(site: Path, catalog: Catalog) -> None:
    folder = site / "hsds" / "tabular"
    package = read_json(folder / "datapackage.json")
    assert package["licenses"][0]["path"] == LICENCE_URL
    rows_by_table = {}
    for resource in package["resources"]:
        table = resource["name"]
        text = (folder / resource["path"]).read_bytes().decode("utf-8")
        assert "\r\n" in text and not text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        columns = [field["name"] for field in resource["schema"]["fields"]]
        assert rows[0] == columns == list(TABLES[table])
        official = table_fields(_object_name(table))
        for field in resource["schema"]["fields"]:
            assert field["name"] in official, f"{table}.{field['name']} is not an HSDS field"
            assert field["type"] in (official[field["name"]]["type"], "date"), field
            assert field.get("format") == official[field["name"]].get("format"), field
        rows_by_table[table] = [dict(zip(columns, row, strict=True)) for row in rows[1:]]
    assert len(rows_by_table["services"]) == len(catalog.groups)
    ids = {table: {row["id"] for row in rows} for table, rows in rows_by_table.items()}
    for resource in package["resources"]:
        for key in resource["schema"]["foreignKeys"]:
            target = ids[key["reference"]["resource"]]
            for row in rows_by_table[resource["name"]]:
                assert row[key["fields"]] in target | {""}, (resource["name"], key)


def _object_name(table: str) -> str:
    """The HSDS object a table holds rows of: services.csv holds services."""
    special = {"taxonomies": "taxonomy", "funding": "funding", "metadata": "metadata"}
    return special.get(table, table.removesuffix("s"))


# --- groups.json and groups.csv ------------------------------------------------------------


def test_groups_json_has_every_listing_and_field_and_passes_its_schema(
    site: Path, catalog: Catalog
) -> None:
    data = read_json(site / "data" / "groups.json")
    schema = read_json(site / "data" / "groups-json.schema.json")
    assert schema == read_json(ROOT / "schema" / "groups-json.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(data)) == []
    names = list(field_order(catalog.taxonomy))
    assert [list(listing) for listing in data["groups"]] == [names] * len(catalog.groups)
    assert [listing["id"] for listing in data["groups"]] == [g.id for g in catalog.groups]
    facets = [facet["key"] for facet in data["taxonomy"]["facets"]]
    assert facets == list(catalog.taxonomy.keys)
    assert data["licence"]["path"] == LICENCE_URL
    broken = {**data, "groups": [{**data["groups"][0], "cost": "gratis", "colour": "red"}]}
    messages = " ".join(error.message for error in validator.iter_errors(broken))
    assert "gratis" in messages and "colour" in messages


def test_the_committed_export_schema_is_up_to_date(taxonomy) -> None:
    result = kindred("schema", "--export", "--check", "-o", "schema/groups-json.schema.json")
    assert result.returncode == 0, result.stdout + " Run: make schema"
    assert read_json(ROOT / "schema" / "groups-json.schema.json") == export_schema(taxonomy)


SPREADSHEET = VALID.replace("name: Calm Harbour", 'name: "Café Ünïcode, \\"quoted\\" — español"')
SPREADSHEET += '  cost_note: =HYPERLINK("https://evil.example/")\n'
SPREADSHEET += "  eligibility: |-\n    Two lines,\n    with a comma.\n"


def test_groups_csv_opens_cleanly_in_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(SPREADSHEET + "\n" + second(), encoding="utf-8")
    catalog = load_catalog(path, TAXONOMY)
    data = dict(export_files(catalog, SOURCE, ("csv",)))["data/groups.csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n") - 1  # CRLF rows; one LF inside a cell
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(field_order(catalog.taxonomy))
    assert len(rows) == 1 + len(catalog.groups)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    first = by_id["calm-harbour"]
    assert first["name"] == 'Café Ünïcode, "quoted" — español'
    assert first["conditions"] == "depression; anxiety"
    assert first["eligibility"] == "Two lines,\nwith a comma."
    assert first["cost_note"] == '\'=HYPERLINK("https://evil.example/")'
    assert first["last_verified"] == "" and first["added"] == "2026-01-15"


# --- Feeds and the page -------------------------------------------------------------------


def test_each_condition_has_a_feed_linked_from_its_page(site: Path, catalog: Catalog) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    facets = catalog.taxonomy.with_role("feed")
    assert facets
    for facet in facets:
        for value in facet.values:
            path = value_feed_path(facet, value)
            feed = ET.parse(site / path).getroot()
            newest = sorted(
                catalog.groups_with(facet.key, value.slug),
                key=lambda g: (g.added, g.id),
                reverse=True,
            )[:50]
            entries = [e.findtext(f"{atom}id") for e in feed.findall(f"{atom}entry")]
            assert entries == [f"{SUBPATH_SITEURL}/groups/{g.id}/" for g in newest]
            page = read_page(site / facet.key / value.slug / "index.html")
            href = f"{SUBPATH_SITEURL}/{path}"
            alternate = [a for a in page.attrs("link") if a.get("rel") == "alternate"]
            assert href in [a.get("href") for a in alternate]
            assert href in [a.get("href") for a in page.attrs("a")]
    others = [f for f in catalog.taxonomy.facets if not f.roles.feed]
    assert not (site / "feeds" / others[0].key).exists()


def test_the_use_this_data_page_links_every_download_and_names_the_licence(site: Path) -> None:
    page = read_page(site / "use-this-data" / "index.html")
    hrefs = [a.get("href") for a in page.attrs("a")]
    for path in DOWNLOADS:
        assert f"{SUBPATH_SITEURL}/{path}" in hrefs, path
    assert LICENCE_URL in hrefs
    footer = read_page(site / "index.html")
    assert f"{SUBPATH_SITEURL}/use-this-data/" in [a.get("href") for a in footer.attrs("a")]
