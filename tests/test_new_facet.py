"""A facet added to the taxonomy alone reaches every place facets appear: the validator and
the schema, cards with and without JavaScript, the finder's filters and the facet pages.
Nothing in the code names a facet, so nothing else needs to change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kindred.catalog import load_catalog
from kindred.catalog.schema import build_schema
from kindred.catalog.taxonomy import load_taxonomy
from tests.site_helpers import index_entries, read_page, with_new_facet


def test_the_validator_and_the_schema_know_the_new_facet(tmp_path: Path) -> None:
    taxonomy, groups = with_new_facet(tmp_path)
    catalog = load_catalog(groups, taxonomy)
    short = catalog.groups_with("meeting-length", "short-sessions")
    assert 0 < len(short) < len(catalog.groups)
    schema = build_schema(load_taxonomy(taxonomy))
    field = schema["$defs"]["listing"]["properties"]["meeting_length"]
    assert [choice["const"] for choice in field["oneOf"]] == ["short-sessions", "long-sessions"]
    broken = groups.read_text().replace("meeting_length: long-sessions", "meeting_length: x", 1)
    groups.write_text(broken)
    with pytest.raises(Exception, match="'x' is not a known meeting-length"):
        load_catalog(groups, taxonomy)


def test_cards_facet_pages_and_filters_show_the_new_facet(
    new_facet_site: tuple[Path, Path, Path],
) -> None:
    output, taxonomy, groups = new_facet_site
    catalog = load_catalog(groups, taxonomy)
    first = catalog.groups[0]
    label = load_taxonomy(taxonomy).facet("meeting-length").value(first.slugs("meeting-length")[0])
    # On the card without JavaScript, and in the finder's card data, which is the same HTML.
    card = next(c for c in _static_cards(output) if f'data-group-id="{first.id}"' in c)
    assert "Meeting length" in card and label.label in card
    assert card in [c.strip() for c in json.loads(_gunzip(output / "search" / "cards-0.bin"))]
    # As a filter in the finder, with a page per value listing exactly its groups.
    facets = json.loads((output / "search" / "facets.json").read_text())
    assert "meeting-length" in [facet["key"] for facet in facets["facets"]]
    value_page = read_page(output / "meeting-length" / "short-sessions" / "index.html")
    shown = value_page.group_ids()
    expected = [g.id for g in catalog.groups_with("meeting-length", "short-sessions")]
    assert shown == expected[: len(shown)] and shown
    assert (output / "meeting-length" / "index.html").is_file()
    # Group pages show it as a fact, and the search index filters by it.
    group_page = (output / "groups" / first.id / "index.html").read_text()
    assert "<dt>Meeting length</dt>" in group_page and label.label in group_page
    entry = next(e for e in index_entries(output) if e["url"] == f"/groups/{first.id}/")
    assert entry["filters"]["meeting-length"] == list(first.slugs("meeting-length"))


def _static_cards(output: Path) -> list[str]:
    html = (output / "groups" / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<li class="card".*?</li>', html, flags=re.S)


def _gunzip(path: Path) -> str:
    import gzip

    return gzip.decompress(path.read_bytes()).decode("utf-8")
