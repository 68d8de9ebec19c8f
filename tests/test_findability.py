"""What the build gives search and filters: the words people use on every group page, filters
that answer their facet's question everywhere alike, the finder's data, and no dead ends.

A real build of the real catalog; the browser tests (tests/browser/test_search.py) use the
same site in Chromium.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from array import array
from pathlib import Path

import pytest

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.taxonomy import normalise_term
from kindred.site.search_index import (
    IndexFailed,
    key_width,
    page_key,
    search_page,
    write_page_ids,
)
from tests.conftest import GROUPS, TAXONOMY
from tests.directory_query import groups_at
from tests.site_helpers import html_files, read_page

MIN_GROUPS = 3


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


@pytest.fixture(scope="module")
def site(relative_site: Path) -> Path:
    return relative_site


def gunzip_json(path: Path) -> object:
    return json.loads(gzip.decompress(path.read_bytes()))


def included_filters(catalog: Catalog, group_id: str) -> list[str]:
    """The Pagefind filters a group's search page carries beside its own values'."""
    html = search_page(catalog.group(group_id), catalog, "", "en")
    found = re.search(r"<div hidden>(.*?)</div>", html, re.S)
    assert found, f"{group_id}: no block of included filters"
    return re.findall(r'<span data-pagefind-filter="([^"]+)"></span>', found.group(1))


def page_text(path: Path) -> str:
    return " ".join(" ".join(read_page(path).text).split())


# --- words people use -------------------------------------------------------------------------


def test_search_pages_hold_a_groups_own_words_not_the_names_of_its_filter_values(
    catalog: Catalog,
) -> None:
    """The finder reads the names of filter values (search/terms.bin) and takes their groups
    from the filters' bitsets; the index, which would repeat them on thousands of pages,
    holds each group's own words and the values as filters alone."""
    for group in catalog.groups:
        html = search_page(group, catalog, "", "en")
        assert "data-pagefind-weight" not in html  # no block of other words
        for facet in catalog.taxonomy.with_role("filter"):
            for value in group.values(facet.key):
                # The value as its filter, with no words of its own.
                assert f'<li data-pagefind-filter="{facet.key}:{value.slug}"></li>' in html


def test_a_value_page_says_what_else_it_is_called(site: Path, catalog: Catalog) -> None:
    """Other names are shown; search terms (phrases, misspellings) never are."""
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            text = page_text(site / facet.key / value.slug / "index.html")
            shown = re.search(r"Also called: (.*?)\. ", text)
            assert shown, f"/{facet.key}/{value.slug}/"
            assert shown.group(1).split(", ") == list(value.other_names)


# --- filters that answer their question -------------------------------------------------------


def test_group_pages_carry_the_filter_of_every_value_that_includes_theirs(catalog: Catalog) -> None:
    """A donation-based group carries the filter for free groups too, so a text search with
    that filter (Pagefind's filters) agrees with the facet pages and the finder."""
    including = 0
    for group in catalog.groups:
        filters = included_filters(catalog, group.id)
        expected = []
        for facet in catalog.taxonomy.with_role("filter"):
            own = set(group.slugs(facet.key))
            for value in facet.values:
                if value.slug not in own and own & set(value.includes):
                    expected.append(f"{facet.key}:{value.slug}")
        assert filters == expected, group.id
        including += bool(expected)
    assert including >= 50  # donation-based groups, groups open anywhere


def test_a_value_page_says_which_values_it_also_lists(site: Path, catalog: Catalog) -> None:
    found = 0
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            text = page_text(site / facet.key / value.slug / "index.html")
            sentence = re.search(r"also finds groups marked (.*?), so they are listed", text)
            assert bool(sentence) == bool(value.includes), (facet.key, value.slug)
            for included in value.includes:
                assert f"“{facet.value(included).label}”" in sentence.group(1)
                found += 1
    assert found >= 2


def test_value_counts_are_the_groups_their_filter_shows(site: Path, catalog: Catalog) -> None:
    """The facet index pages, the finder's counts and its bitsets (each facet's, and each
    value's alone) all count includes."""
    facets = json.loads((site / "search" / "facets.json").read_text(encoding="utf-8"))
    words = (len(catalog.groups) + 31) // 32
    for facet in facets["facets"]:
        file = (site / "search" / f"membership-{facet['key']}.bin").read_bytes()
        assert facet["bytes"] == len(file)  # what the finder weighs against the pairs
        membership = gzip.decompress(file)
        assert len(membership) == len(facet["values"]) * words * 4
        offset = 0
        taxonomy_facet = catalog.taxonomy.facet(facet["key"])
        index = page_text(site / facet["key"] / "index.html")
        for value in facet["values"]:
            accepted = {value["slug"], *taxonomy_facet.value(value["slug"]).includes}
            expected = [
                i for i, g in enumerate(catalog.groups) if accepted & set(g.slugs(facet["key"]))
            ]
            bits = membership[offset * 4 : (offset + words) * 4]
            offset += words
            alone = site / "search" / "membership" / facet["key"] / f"{value['slug']}.bin"
            assert gzip.decompress(alone.read_bytes()) == bits  # the value's own file
            assert [
                i for i in range(len(catalog.groups)) if bits[i // 8] >> (i % 8) & 1
            ] == expected
            assert value["n"] == len(expected)
            n = len(expected)
            assert f"{value['label']} ({n} group{'s' if n != 1 else ''})" in index


# --- the finder's data --------------------------------------------------------------------------


def test_the_finder_can_read_every_name_as_its_value(site: Path, catalog: Catalog) -> None:
    terms = gunzip_json(site / "search" / "terms.bin")
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            names, more, *optional = terms[facet.key][value.slug]
            optional += [[]] * (4 - len(optional))  # the empty lists at the end are left out
            alike, included, capitals, query_words = optional
            # A name read only in capitals is apart: "bed" names nothing, "BED" a value.
            assert set(capitals) == {normalise_term(n) for n in value.capitals_only}
            own = {normalise_term(n) for n in (value.label, *value.other_names)}
            assert set(names) == own - set(capitals)
            assert set(more) == {normalise_term(n) for n in value.search_terms} - set(capitals)
            assert alike == [[normalise_term(n) for n in same] for same in value.alike]
            assert included == [other.slug for other in facet.included(value.slug)]
            assert set(query_words) == {normalise_term(w) for w in value.query_words}


def test_the_finder_knows_which_index_entry_is_which_group(site: Path, catalog: Catalog) -> None:
    """Each group's key is the start of its entry's hash that no other entry (article or
    group) starts with, so the finder reads each answer as the right group or as none."""
    text = gzip.decompress((site / "search" / "pagefind-ids.bin").read_bytes()).decode()
    first, keys = text.split("\n")
    width = int(first)
    assert len(keys) == width * len(catalog.groups)
    urls = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls[fragment.stem] = json.loads(data[len(b"pagefind_dcd") :])["url"]
    for position, group in enumerate(catalog.groups):
        key = keys[position * width : (position + 1) * width].rstrip("-")
        known_by = [page_id for page_id in urls if page_key(page_id, width) == key]
        assert [urls[page_id] for page_id in known_by] == [f"/groups/{group.id}/"]


def test_index_entries_are_told_apart_by_the_fewest_characters() -> None:
    assert key_width(["en_abc1234", "en_abd1234", "fr_b001234"]) == 3
    assert key_width(["en_abc12345", "en_abc12349", "en_f000000"]) == 8
    assert page_key("pt-br_abc1234", 3) == "abc"
    with pytest.raises(IndexFailed, match="share a hash"):
        key_width(["en_abc1234", "fr_abc1234"])


def test_an_index_without_a_group_page_is_refused(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    (copy / "pagefind").mkdir(parents=True)
    (copy / "pagefind" / "fragment").symlink_to(site / "pagefind" / "fragment")
    with pytest.raises(IndexFailed, match="no entry for groups/not-a-group/"):
        write_page_ids(copy, ["groups/not-a-group/"])
    assert not (copy / "search").exists()


def test_an_unreadable_index_entry_is_refused(tmp_path: Path) -> None:
    fragments = tmp_path / "pagefind" / "fragment"
    fragments.mkdir(parents=True)
    (fragments / "en_0000000.pf_fragment").write_bytes(gzip.compress(b"not an entry"))
    with pytest.raises(IndexFailed, match=r"en_0000000\.pf_fragment"):
        write_page_ids(tmp_path, [])


# --- no dead ends -------------------------------------------------------------------------------


def suggested_links(site: Path) -> list[tuple[str, str]]:
    """(page, target) for every link the site offers into the directory or a value's page,
    the target as a path from the site root."""
    found = []
    for file in html_files(site):
        page = "/" + file.relative_to(site).as_posix()
        for attrs in read_page(file).attrs("a"):
            href = attrs.get("href", "")
            if not href or "://" in href or href.startswith(("#", "mailto:", "tel:")):
                continue
            # Links written from the site root (the 404 page's, served at any depth) start
            # with "/"; the others are relative to the page.
            base = site if href.startswith("/") else file.parent
            target = Path(base, href.split("?")[0].lstrip("/")).resolve()
            query = href.partition("?")[2]
            path = target.relative_to(site.resolve()).as_posix() + "/"
            found.append((page, path + (f"?{query}" if query else "")))
    return found


def dead_ends(site: Path, catalog: Catalog) -> list[str]:
    """Every suggested link that leads to fewer than MIN_GROUPS groups, with its count."""
    short = []
    for page, target in suggested_links(site):
        groups = groups_at(target, catalog)
        if groups is not None and len(groups) < MIN_GROUPS:
            short.append(f"{page} -> /{target}: {len(groups)} groups")
    return sorted(set(short))


def test_every_link_the_site_suggests_leads_to_at_least_three_groups(
    site: Path, catalog: Catalog
) -> None:
    links = [target for _, target in suggested_links(site) if groups_at(target, catalog)]
    assert len({t for t in links if t.startswith("groups/?")}) >= 20  # guidance and home
    assert len({t for t in links if not t.startswith("groups/")}) >= 80  # value pages
    assert dead_ends(site, catalog) == []


def test_a_link_to_too_few_groups_is_found(catalog: Catalog, tmp_path: Path) -> None:
    rare = next(
        f"{a.key}={x.slug}&{b.key}={y.slug}"
        for a in catalog.taxonomy.facets
        for b in catalog.taxonomy.facets
        if a.key < b.key
        for x in a.values
        for y in b.values
        if 0 < len(catalog.groups_matching_all({a.key: [x.slug], b.key: [y.slug]})) < MIN_GROUPS
    )
    found = len(groups_at(f"groups/?{rare}", catalog) or ())
    (tmp_path / "groups").mkdir()
    links = f'<a href="groups/?{rare}">few</a> <a href="groups/">all</a>'
    (tmp_path / "index.html").write_text(links, encoding="utf-8")
    assert dead_ends(tmp_path, catalog) == [f"/index.html -> /groups/?{rare}: {found} groups"]


@pytest.mark.parametrize("number", range(3))
def test_each_starting_point_on_the_home_page_leads_to_at_least_three_groups(
    site: Path, catalog: Catalog, number: int
) -> None:
    start = catalog.taxonomy.starting_points[number]
    groups = groups_at(start.path, catalog)
    assert groups is not None and len(groups) >= MIN_GROUPS, f"{start.label}: {start.path}"
    hrefs = [a.get("href") for a in read_page(site / "index.html").attrs("a")]
    assert start.path in [h.removeprefix("./") for h in hrefs]


# --- without JavaScript -------------------------------------------------------------------------


def test_without_javascript_the_directory_says_filtering_needs_it(
    site: Path, catalog: Catalog
) -> None:
    html = (site / "groups" / "index.html").read_text(encoding="utf-8")
    notice = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert notice and "need JavaScript" in notice.group(1)
    for facet in catalog.taxonomy.with_role("filter"):
        assert f'href="../{facet.key}/"' in notice.group(1)


def test_a_guidance_link_to_one_value_goes_to_that_values_page(site: Path) -> None:
    """It works without JavaScript; views of several filters stay links into the finder."""
    hrefs = [
        a.get("href", "")
        for file in (site / "guidance").rglob("index.html")
        for a in read_page(file).attrs("a")
    ]
    into_finder = [h for h in hrefs if h.startswith("../../groups/?")]
    assert into_finder and all("&" in h or "," in h for h in into_finder)
    assert "../../audience/caregivers-family/" in hrefs  # was ?audience=caregivers-family


def test_each_need_knows_its_groups_that_are_also_for_another_kind(
    site: Path, catalog: Catalog
) -> None:
    """search/beyond/<facet>/<value>.bin, for each value of a facet saying what a group is for:
    the groups its filter shows that also have a value of another family (or, for a value
    without one, any other value): words naming it rank those after the others."""
    checked = 0
    for facet in catalog.taxonomy.with_role("similar"):
        if facet.roles.refines or not facet.roles.filter:
            continue
        family = {v.slug: v.family or v.slug for v in facet.values}
        for value in facet.values:
            bits = gzip.decompress(
                (site / "search" / "beyond" / facet.key / f"{value.slug}.bin").read_bytes()
            )
            found = [i for i in range(len(catalog.groups)) if bits[i // 8] >> (i % 8) & 1]
            expected = [
                i
                for i, g in enumerate(catalog.groups)
                if g in catalog.groups_matching(facet.key, value.slug)
                and any(family[s] != family[value.slug] for s in g.slugs(facet.key))
            ]
            assert found == expected, value.slug
            checked += len(expected)
    assert checked > 20  # groups for needs of two kinds: there is something to check


def test_pairs_count_the_groups_each_two_filters_both_show(site: Path, catalog: Catalog) -> None:
    """search/pairs.bin, which gives a facet's counts when one value chosen elsewhere narrows
    them, holds how many groups match both of each two values of different facets."""
    facets = json.loads((site / "search" / "facets.json").read_text(encoding="utf-8"))
    values = [(f["key"], v["slug"]) for f in facets["facets"] for v in f["values"]]
    file = (site / "search" / "pairs.bin").read_bytes()
    assert facets["pairs_bytes"] == len(file)
    pairs = array("I", gzip.decompress(file))
    if sys.byteorder == "big":
        pairs.byteswap()
    wanted = []
    for i, (key, slug) in enumerate(values):
        for other_key, other_slug in values[i + 1 :]:
            if other_key != key:
                both = {g.id for g in catalog.groups_matching(key, slug)}
                both &= {g.id for g in catalog.groups_matching(other_key, other_slug)}
                wanted.append(len(both))
    assert pairs.tolist() == wanted
    assert sum(n > 0 for n in wanted) > 100  # the values overlap: there is something to check
