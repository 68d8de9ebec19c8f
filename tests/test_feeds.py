"""The Atom feed of new listings: whatever the catalog holds, readers get it as plain text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote, urljoin

from kindred.catalog import load_catalog
from kindred.catalog.model import Group
from kindred.site.feeds import new_groups_feed, sitemap_files, value_feed_path, value_feeds
from tests.conftest import TAXONOMY
from tests.test_catalog import VALID, second

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://kindred.example/support"
# Markup, entities already escaped once, a CDATA end, quotes and a template expression.
HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> &amp; &lt;b&gt;bold&lt;/b&gt; "
    "]]> \"double\" 'single' {{ 7*7 }}"
)
# Every element an Atom feed of listings needs; anything else was injected.
ATOM_ELEMENTS = {
    "feed",
    "title",
    "subtitle",
    "link",
    "id",
    "updated",
    "published",
    "author",
    "name",
    "entry",
    "summary",
}
TEXT_CONSTRUCTS = {"title", "subtitle", "summary"}


def hostile_group(number: int) -> Group:
    return Group(
        id=f"g{number}{HOSTILE}",
        name=f"name {number} {HOSTILE}",
        organization=f"organization {number} {HOSTILE}",
        url=f"https://group.example/?a={number}&b=<{HOSTILE}>",
        description=f"description {number} {HOSTILE}",
        how_to_join=HOSTILE,
        facets={},
        added=dt.date(2026, 1, number),
    )


def local(element: ET.Element) -> str:
    assert element.tag.startswith(ATOM), f"{element.tag} is not an Atom element"
    return element.tag[len(ATOM) :]


def test_hostile_text_in_every_field_reaches_readers_as_text_never_markup() -> None:
    groups = [hostile_group(1), hostile_group(2)]
    feed = ET.fromstring(new_groups_feed(f"Kindred {HOSTILE}", SITE_URL, groups, "en"))

    for element in feed.iter():
        assert local(element) in ATOM_ELEMENTS, f"markup became an element: {element.tag}"
        if local(element) in TEXT_CONSTRUCTS:
            # Atom text constructs default to "text"; "html" would make readers render it.
            assert element.get("type", "text") == "text", f"{element.tag} is sent as HTML"
        assert not any(name.startswith("on") for name in element.attrib), element.attrib

    assert feed.findtext(f"{ATOM}title") == f"Kindred {HOSTILE}: newly added groups"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry, group in zip(entries, reversed(groups), strict=True):  # newest first
        assert entry.findtext(f"{ATOM}title") == group.name
        assert entry.findtext(f"{ATOM}summary") == group.description
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == group.organization
        page = f"{SITE_URL}/groups/{quote(group.id, safe='')}/"
        assert entry.find(f"{ATOM}link").get("href") == page
        assert entry.findtext(f"{ATOM}id") == page
        assert not set(page) & set("<>\"' {}")


def test_characters_xml_cannot_carry_still_give_a_well_formed_feed() -> None:
    group = hostile_group(3)
    broken = Group(
        **{
            **{name: getattr(group, name) for name in group.__slots__},
            "name": "tab\tbell\x07nul\x00end",
            "description": "vertical\x0btab and \ufffe",
        }
    )
    feed = ET.fromstring(new_groups_feed("Kindred", SITE_URL, [broken], "en"))
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "tab\tbell\ufffdnul\ufffdend"
    assert entry.findtext(f"{ATOM}summary") == "vertical\ufffdtab and \ufffd"


def test_an_empty_catalog_still_gives_a_valid_feed() -> None:
    feed = ET.fromstring(new_groups_feed("Kindred", SITE_URL, [], "en"))
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Kindred"  # Atom needs an author
    assert feed.findtext(f"{ATOM}updated")


def test_a_feed_for_each_condition_holds_only_its_own_new_groups(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    grief = second("grief-circle").replace("[depression, anxiety]", "[grief-loss]")
    path.write_text(VALID + "\n" + grief.replace("2026-01-15", "2026-03-01"), encoding="utf-8")
    catalog = load_catalog(path, TAXONOMY)
    feeds = dict(value_feeds(f"Kindred {HOSTILE}", SITE_URL, catalog, "en"))
    facet = catalog.taxonomy.with_role("feed")[0]
    assert len(feeds) == sum(len(f.values) for f in catalog.taxonomy.with_role("feed"))
    for slug, expected in (("grief-loss", ["grief-circle"]), ("anxiety", ["calm-harbour"])):
        feed = ET.fromstring(feeds[value_feed_path(facet, facet.value(slug))])
        ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
        assert ids == [f"{SITE_URL}/groups/{group_id}/" for group_id in expected]
        page = f"{SITE_URL}/{facet.key}/{slug}/"
        assert feed.findtext(f"{ATOM}id") == page
        assert feed.find(f"{ATOM}link").get("href") == page
        assert feed.findtext(f"{ATOM}title").startswith(f"Kindred {HOSTILE}: newly added")
        assert all(local(element) in ATOM_ELEMENTS for element in feed.iter())


def test_a_sitemap_holds_at_most_50000_addresses_and_larger_sites_get_an_index() -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    small = sitemap_files(SITE_URL, ["", "groups/"])
    assert list(small) == ["sitemap.xml"]
    assert [e.text for e in ET.fromstring(small["sitemap.xml"]).findall("s:url/s:loc", ns)] == [
        f"{SITE_URL}/",
        f"{SITE_URL}/groups/",
    ]
    paths = [f"groups/g{number}/" for number in range(120_001)]
    files = sitemap_files(SITE_URL, paths)
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    listed = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert listed == [f"{SITE_URL}/sitemap-{n}.xml" for n in (1, 2, 3)]
    found = []
    for number in (1, 2, 3):
        locs = ET.fromstring(files[f"sitemap-{number}.xml"]).findall("s:url/s:loc", ns)
        assert len(locs) <= 50_000
        found += [e.text for e in locs]
    assert found == [f"{SITE_URL}/{path}" for path in paths]


def test_a_relative_builds_feeds_link_to_its_pages_wherever_it_is_served(
    relative_site: Path,
) -> None:
    """Served from /support/kindred/, each link resolves, against the feed's own address,
    to a page of the site."""
    base = "https://intranet.example/support/kindred/"
    feeds = sorted((relative_site / "feeds").rglob("*.atom.xml"))
    assert len(feeds) > 1
    for feed in feeds:
        address = base + feed.relative_to(relative_site).as_posix()
        links = list(ET.parse(feed).getroot().iter(f"{ATOM}link"))
        assert links, feed.name
        for link in links:
            target = urljoin(address, link.get("href"))
            assert target.startswith(base), (feed.name, link.get("href"))
            local = relative_site / unquote(target.removeprefix(base))
            assert (local / "index.html" if target.endswith("/") else local).is_file(), target
