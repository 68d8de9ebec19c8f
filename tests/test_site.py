"""Real Pelican builds of the site, checked file by file."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from array import array
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pelican.settings import read_settings

from kindred.catalog import Catalog
from kindred.site import staging
from kindred.site.assets import minify_theme
from kindred.site.pagination import NAMES_PER_PAGE
from kindred.site.search_index import (
    MEMORY_FOLDER,
    SEARCH_PAGES_PREFIX,
    check_index,
    search_page,
)
from tests.conftest import ROOT
from tests.site_helpers import (
    SUBPATH_SITEURL,
    build_site,
    finder_cards,
    html_files,
    index_entries,
    links,
    local_target,
    read_page,
    single_cards,
)
from tests.test_catalog import VALID


def _allowed_extra_hosts() -> set[str]:
    """Hosts the settings allow besides the listings': references, helplines, the repository."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return {*settings["KINDRED_EXTERNAL_HOSTS"], urlsplit(settings["KINDRED_REPORT_URL"]).hostname}


@pytest.fixture(scope="module")
def subpath_site(published_site: Path) -> Path:
    return published_site


def test_every_group_has_its_page(relative_site: Path, catalog: Catalog) -> None:
    for group in catalog.groups:
        page = read_page(relative_site / "groups" / group.id / "index.html")
        assert group.name in "".join(page.text)
        visit = [a for a in page.attrs("a") if a.get("href") == group.url]
        assert visit, f"{group.id}: no link to {group.url}"
        assert all(a.get("rel") == "noopener noreferrer" for a in visit)
        assert "Report a problem" in "".join(page.text)


def list_ids(output: Path, first: Path) -> list[str]:
    """The group ids a paginated list shows, as cards or as names, following its "Next
    page" links."""
    ids, file = [], first
    while file:
        page = read_page(file)
        ids += page.group_ids()  # a card or a name, each marked with its group's id
        following = [a["href"] for a in page.attrs("a") if a.get("rel") == "next"]
        file = local_target(output, file, following[0], "") if following else None
    return ids


def named_ids(file: Path) -> list[str]:
    """The ids of the groups a page lists by name only (its list of names)."""
    html = file.read_text(encoding="utf-8")
    lists = re.findall(r'<ul class="name-list">(.*?)</ul>', html, flags=re.DOTALL)
    return [m for block in lists for m in re.findall(r'href="[^"]*groups/([^/"]+)/"', block)]


def test_directory_and_its_pages_list_every_group_once(
    relative_site: Path, catalog: Catalog
) -> None:
    """Without JavaScript, /groups/ and the numbered pages it links to list every group."""
    first = relative_site / "groups" / "index.html"
    assert list_ids(relative_site, first) == [group.id for group in catalog.groups]
    assert len(read_page(first).group_ids()) == 20  # a page a phone can load quickly
    assert named_ids(first) == []  # the directory's pages all show cards


def test_every_facet_value_page_lists_exactly_the_groups_its_filter_shows(
    relative_site: Path, catalog: Catalog
) -> None:
    """A value's page lists the groups with the value and with the values it includes (a
    country's page lists the groups open anywhere too): the first page as cards, the pages
    after it by name, together each group once, A to Z."""
    longer = 0
    for facet in catalog.taxonomy.facets:
        index = "".join(read_page(relative_site / facet.key / "index.html").text)
        for value in facet.values:
            answers = {value.slug, *value.includes}
            expected = [g.id for g in catalog.groups if answers & set(g.slugs(facet.key))]
            first = relative_site / facet.key / value.slug / "index.html"
            where = f"/{facet.key}/{value.slug}/"
            assert list_ids(relative_site, first) == expected, where
            assert read_page(first).group_ids() == expected[:20], where  # cards first
            assert named_ids(first) == [], where
            heading = "".join(read_page(first).text)
            count = (
                f"of {len(expected)}"
                if len(expected) > 20
                else f"{len(expected)} group{'' if len(expected) == 1 else 's'}"
            )
            assert count in heading, f"{where} lacks '{count}'"
            assert value.label in index
            into_directory = f"../../groups/?{facet.key}={value.slug}"  # pre-filtered finder
            assert into_directory in [a.get("href") for a in read_page(first).attrs("a")]
            if len(expected) > 20:
                longer += 1
                second = relative_site / facet.key / value.slug / "page" / "2" / "index.html"
                assert not [
                    a for a in read_page(second).attrs("li") if "card" in a.get("class", "")
                ]
                assert named_ids(second) == expected[20 : 20 + NAMES_PER_PAGE], where  # names
                assert read_page(second).group_ids() == named_ids(second), where
    assert longer  # the real catalog has values with more groups than fit on one page


def test_guidance_links_into_the_directory_pre_filtered(relative_site: Path) -> None:
    hrefs = [
        a.get("href", "")
        for file in (relative_site / "guidance").rglob("index.html")
        for a in read_page(file).attrs("a")
    ]
    filtered = [h for h in hrefs if h.startswith("../../groups/?")]
    assert len(filtered) >= 3
    assert not _broken_links(relative_site, "")


def test_the_search_index_holds_every_group_and_article(
    relative_site: Path, catalog: Catalog
) -> None:
    articles = list((ROOT / "content" / "guidance").glob("*.md"))
    check_index(relative_site / "pagefind", len(catalog.groups) + len(articles))
    entries = {entry["url"]: entry for entry in index_entries(relative_site)}
    cards = finder_cards(relative_site)
    filters = catalog.taxonomy.with_role("filter")
    for position, group in enumerate(catalog.groups):
        entry = entries[f"/groups/{group.id}/"]  # the group page's address, not the search page's
        assert entry["meta"]["title"] == group.name
        # The finder's card, as it is (Pagefind keeps runs of white space as one space).
        assert entry["meta"]["card"] == " ".join(cards[position].split())
        assert entry["filters"]["type"] == ["group"]
        for facet in filters:
            own = set(group.slugs(facet.key))  # and the values whose choice includes its own
            expected = sorted(own | set(facet.answered(own)))
            assert sorted(entry["filters"].get(facet.key, [])) == expected, group.id
        assert group.description in entry["content"]
    assert sum(url.startswith("/guidance/") for url in entries) == len(articles)
    assert not list(relative_site.rglob(SEARCH_PAGES_PREFIX + "*"))  # nor published


@pytest.mark.parametrize("build", ["relative", "published"])
def test_each_card_alone_is_the_same_card_as_in_its_chunk(
    relative_site: Path, published_site: Path, catalog: Catalog, build: str
) -> None:
    """A filtered view fetches cards one by one where it shows few of a chunk's: either way
    the finder shows the same card, at the same position, with the same links."""
    output = relative_site if build == "relative" else published_site
    alone = single_cards(output)
    assert alone == finder_cards(output)
    for card, group in zip(alone, catalog.groups, strict=True):
        assert f'data-group-id="{group.id}"' in card


@pytest.mark.skipif(not MEMORY_FOLDER.is_dir(), reason="no folder in memory on this system")
def test_a_build_removes_its_search_pages_and_those_a_dead_build_left(tmp_path: Path) -> None:
    abandoned = MEMORY_FOLDER / f"{SEARCH_PAGES_PREFIX}left-by-{os.getpid()}"
    (abandoned / "groups").mkdir(parents=True)
    long_ago = time.time() - 3600
    os.utime(abandoned, (long_ago, long_ago))
    before = set(MEMORY_FOLDER.glob(SEARCH_PAGES_PREFIX + "*"))
    groups = tmp_path / "groups.yaml"
    groups.write_text(VALID, encoding="utf-8")
    build_site(tmp_path / "output", groups=groups)
    after = set(MEMORY_FOLDER.glob(SEARCH_PAGES_PREFIX + "*"))
    assert abandoned not in after
    # This build's own search pages are gone too; any new folder is another build's, made
    # by a test running beside this one, and locked while that build runs.
    assert [folder for folder in after - before if not in_use_or_gone(folder)] == []


def in_use_or_gone(folder: Path) -> bool:
    return staging.in_use(folder) or not folder.exists()


def test_an_indexer_failure_fails_the_build_and_keeps_the_output(
    tmp_path: Path, relative_site: Path
) -> None:
    output = shutil.copytree(relative_site, tmp_path / "output")
    before = _snapshot(output)
    result = subprocess.run(
        [sys.executable, "-c", INDEXER_FAILS, str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Pagefind failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no staging left behind


def _broken_links(output: Path, site_url: str) -> list[str]:
    broken = []
    for file in html_files(output):
        for url in links(read_page(file)):
            target = local_target(output, file, url, site_url)
            if target is not None and not target.is_file():
                broken.append(f"{file.relative_to(output)} -> {url}")
    return broken


def test_internal_links_resolve_in_the_relative_build(relative_site: Path) -> None:
    assert len(html_files(relative_site)) > 100
    assert _broken_links(relative_site, "") == []


def test_internal_links_resolve_under_a_sub_path(subpath_site: Path) -> None:
    assert _broken_links(subpath_site, SUBPATH_SITEURL) == []
    home = read_page(subpath_site / "index.html")
    stylesheet = next(a["href"] for a in home.attrs("link") if a.get("rel") == "stylesheet")
    assert stylesheet == f"{SUBPATH_SITEURL}/theme/css/kindred.css"


def test_no_url_points_to_an_unexpected_host(subpath_site: Path, catalog: Catalog) -> None:
    listing_hosts = {urlsplit(group.url).hostname for group in catalog.groups}
    allowed = listing_hosts | _allowed_extra_hosts() | {urlsplit(SUBPATH_SITEURL).hostname}
    for file in html_files(subpath_site):
        page = read_page(file)
        for attrs in page.attrs():
            if "src" in attrs:  # nothing is ever loaded from another site
                assert not urlsplit(attrs["src"]).hostname or attrs["src"].startswith(
                    SUBPATH_SITEURL
                ), f"{file}: loads {attrs['src']}"
        for url in links(page):
            host = urlsplit(url).hostname
            assert host is None or host in allowed, f"{file}: links to {url}"


def test_external_links_never_send_a_referrer(relative_site: Path) -> None:
    for file in html_files(relative_site):
        for attrs in read_page(file).attrs("a"):
            if attrs.get("href", "").startswith(("http://", "https://")):
                assert attrs.get("rel") == "noopener noreferrer", f"{file}: {attrs}"


def test_every_page_carries_the_safety_headers(relative_site: Path) -> None:
    for file in html_files(relative_site):
        page = read_page(file)
        metas = {
            a.get("http-equiv") or a.get("name"): a.get("content", "") for a in page.attrs("meta")
        }
        csp = metas.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, file
        assert "unsafe-eval" not in csp.replace("wasm-unsafe-eval", ""), file
        assert metas.get("referrer") == "no-referrer", file
        for script in page.attrs("script"):
            assert "src" in script or script.get("type") == "application/ld+json", file
        assert not any("style" in attrs for attrs in page.attrs()), f"{file}: inline style"
        assert not list(page.attrs("style")), f"{file}: <style> element"
        assert any(a.get("href") == "tel:988" for a in page.attrs("a")), f"{file}: crisis line"
        assert any("quick-exit" in a.get("class", "") for a in page.attrs("a")), file


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]


def _hostile_catalog(path: Path) -> Path:
    listing = VALID + "  cost_note: X\n  anonymity_note: X\n"
    text_fields = [
        "name",
        "organization",
        "description",
        "how_to_join",
        "cost_note",
        "anonymity_note",
    ]
    lines = []
    for line in listing.splitlines():
        key = line.strip().split(":", 1)[0]
        if key in text_fields:
            indent = line[: len(line) - len(line.lstrip())]
            value = " ".join(HOSTILE) + f" {key}"
            line = f"{indent}{key}: {json.dumps(value)}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_catalog_text_comes_out_inert(tmp_path: Path) -> None:
    output = build_site(tmp_path / "output", groups=_hostile_catalog(tmp_path / "groups.yaml"))
    for file in [*html_files(output), output / "feeds" / "new-groups.atom.xml"]:
        raw = file.read_text(encoding="utf-8")
        assert "<script>alert" not in raw, file
        assert "<img src=x" not in raw, file
        assert "onerror=alert(1)>" not in raw, file  # escaped everywhere, attributes included
        page = read_page(file)
        assert not any("onerror" in attrs for attrs in page.attrs()), file
        # The only scripts are the site's own files and its JSON-LD data.
        scripts = list(page.attrs("script"))
        assert all("src" in a or a.get("type") == "application/ld+json" for a in scripts), file
    group_page = output / "groups" / "calm-harbour" / "index.html"
    page = read_page(group_page)
    assert "{{ 7*7 }}" in "".join(page.text)  # shown literally, never evaluated
    raw = group_page.read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(raw[start : raw.index("</script>", start)])
    assert data["name"] == " ".join(HOSTILE) + " name"


# Runs a real build whose indexer exits with an error: Pagefind is given an option it rejects.
INDEXER_FAILS = """
import sys
from pelican import Pelican
from pelican.settings import read_settings
import kindred.site.search_index as index
index.INDEXED_PAGES = "["  # an invalid glob: Pagefind refuses it and exits non-zero
settings = read_settings("pelicanconf.py", override={"OUTPUT_PATH": sys.argv[1]})
Pelican(settings).run()
"""


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_invalid_catalog_stops_the_build_and_keeps_the_last_good_output(
    tmp_path: Path, relative_site: Path
) -> None:
    output = shutil.copytree(relative_site, tmp_path / "output")
    before = _snapshot(output)
    bad = tmp_path / "groups.yaml"
    bad.write_text(VALID.replace("cost: free", "cost: gratis"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "-o",
            str(output),
            "-e",
            f"KINDRED_GROUPS={json.dumps(str(bad))}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{bad}:9:9: error: 'gratis' is not a known cost" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groups.yaml", "output"]


def test_plain_pelican_and_publishconf_build_everything(tmp_path: Path) -> None:
    env = {**os.environ, "SITEURL": SUBPATH_SITEURL}
    output = tmp_path / "public"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", "publishconf.py", "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    for path in [
        "index.html",
        "groups/index.html",
        "condition/depression/index.html",
        "guidance/benefits/index.html",
        "get-help/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feeds/new-groups.atom.xml",
    ]:
        assert (output / path).is_file(), path
    assert f"Sitemap: {SUBPATH_SITEURL}/sitemap.xml" in (output / "robots.txt").read_text()


def test_sitemap_and_feed_are_well_formed(subpath_site: Path, catalog: Catalog) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    locs = [e.text for e in ET.parse(subpath_site / "sitemap.xml").findall("s:url/s:loc", ns)]
    for group in catalog.groups:
        assert f"{SUBPATH_SITEURL}/groups/{group.id}/" in locs
    assert f"{SUBPATH_SITEURL}/guidance/benefits/" in locs
    entries = ET.parse(subpath_site / "feeds/new-groups.atom.xml").findall("a:entry", ns)
    assert 0 < len(entries) <= 50
    newest = max(group.added for group in catalog.groups)
    assert entries[0].find("a:updated", ns).text.startswith(newest.isoformat())


def test_an_employers_eap_contact_appears_on_every_page(tmp_path: Path) -> None:
    eap = {"name": "Acme Care Line", "phone": "0800 123 456", "url": "https://eap.example/"}
    output = build_site(tmp_path / "output", KINDRED_EAP=eap)
    for file in html_files(output):
        page = read_page(file)
        assert "Acme Care Line" in "".join(page.text), file
        hrefs = [a.get("href") for a in page.attrs("a")]
        assert "tel:0800123456" in hrefs and "https://eap.example/" in hrefs, file


def test_the_404_page_links_from_the_sites_root_in_a_relative_build(relative_site: Path) -> None:
    """It is served at whatever address was missing, so relative links would point nowhere."""
    page = read_page(relative_site / "404.html")
    stylesheet = next(a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet")
    assert stylesheet == "/theme/css/kindred.css"
    scripts = [a["src"] for a in page.attrs("script") if "src" in a]
    assert scripts and all(src.startswith("/theme/js/") for src in scripts)
    internal = [url for url in links(page) if not urlsplit(url).scheme and url != "#main"]
    assert internal and all(url.startswith("/") for url in internal), internal
    search = next(page.attrs("form"))
    assert search["action"] == "/groups/" and search["method"] == "get"


def test_the_404_page_under_a_sub_path_links_to_that_path(subpath_site: Path) -> None:
    page = read_page(subpath_site / "404.html")
    internal = [url for url in links(page) if url.startswith(SUBPATH_SITEURL)]
    assert f"{SUBPATH_SITEURL}/theme/css/kindred.css" in internal
    assert f"{SUBPATH_SITEURL}/groups/" in internal


def test_help_me_choose_asks_the_taxonomys_questions_in_a_plain_form(
    relative_site: Path, catalog: Catalog
) -> None:
    page = read_page(relative_site / "choose" / "index.html")
    text = " ".join(page.text)
    asked = catalog.taxonomy.with_role("choose")
    assert asked, "no facet has the choose role"
    positions = [text.index(facet.question) for facet in asked]
    assert positions == sorted(positions)  # in taxonomy order
    form = next(page.attrs("form"))
    assert form["action"] == "../groups/" and form["method"] == "get"
    boxes = [(a["name"], a["value"]) for a in page.attrs("input") if a.get("type") == "checkbox"]
    counts = catalog.counts()
    assert boxes == [
        (facet.key, value.slug)
        for facet in asked
        for value in facet.values
        if counts[facet.key][value.slug]
    ]
    assert any(a.get("type") == "submit" for a in page.attrs("button"))


def test_facet_value_pages_say_what_they_show(relative_site: Path, catalog: Catalog) -> None:
    facet = catalog.taxonomy.with_role("filter")[0]
    value = facet.values[0]
    n = len(catalog.groups_with(facet.key, value.slug))
    html = (relative_site / facet.key / value.slug / "index.html").read_text(encoding="utf-8")
    shown = f"{value.label} — {n} group{'' if n == 1 else 's'}"
    assert f"<title>{shown} \u2013 Kindred</title>" in html
    assert f"<h1>{shown}</h1>" in html


def test_the_finder_can_sort_by_date_from_compact_data(
    relative_site: Path, catalog: Catalog
) -> None:
    raw = gzip.decompress((relative_site / "search" / "dates.bin").read_bytes())
    days = array("H")
    days.frombytes(raw)
    if sys.byteorder == "big":
        days.byteswap()
    count = len(catalog.groups)
    assert len(days) == 2 * count  # two bytes a date
    epoch = dt.date(1970, 1, 1)
    for index, group in enumerate(catalog.groups):
        assert epoch + dt.timedelta(days=days[index]) == group.added
        verified = group.last_verified
        assert days[count + index] == ((verified - epoch).days if verified else 0)


def test_the_finder_knows_each_groups_age_limits_from_compact_data(
    relative_site: Path, catalog: Catalog
) -> None:
    raw = gzip.decompress((relative_site / "search" / "ages.bin").read_bytes())
    count = len(catalog.groups)
    assert len(raw) == 2 * count  # a byte an age
    assert list(raw[:count]) == [group.minimum_age or 0 for group in catalog.groups]
    assert list(raw[count:]) == [group.maximum_age or 0 for group in catalog.groups]
    assert any(raw)


def test_search_pages_give_pagefind_no_sort_keys(catalog: Catalog) -> None:
    """The finder sorts with its own data; Pagefind would add every page's sort keys to the
    metadata each search downloads before its first answer."""
    for group in catalog.groups:
        assert "data-pagefind-sort" not in search_page(group, catalog, "", "en")


def card_facts(output: Path) -> dict[str, dict[str, str]]:
    """Each group's card facts, as the finder shows them: label -> values."""
    facts: dict[str, dict[str, str]] = {}
    for chunk in sorted((output / "search").glob("cards-*.bin")):
        for html in json.loads(gzip.decompress(chunk.read_bytes())):
            page = _Cards()
            page.feed(html)
            facts.update(page.facts)
    return facts


class _Cards(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts: dict[str, dict[str, str]] = {}
        self.group, self.tag, self.label = "", "", ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.group = dict(attrs).get("data-group-id") or self.group
        self.tag = tag

    def handle_data(self, data: str) -> None:
        if self.tag == "dt":
            self.label = data.strip()
        elif self.tag == "dd" and data.strip():
            self.facts.setdefault(self.group, {})[self.label] = data.strip()


def test_cards_carry_the_decision_facts(relative_site: Path, catalog: Catalog) -> None:
    facts = card_facts(relative_site)
    site_language = read_settings(str(ROOT / "pelicanconf.py"))["DEFAULT_LANG"]
    taxonomy = catalog.taxonomy
    where = taxonomy.location()
    for group in catalog.groups:
        shown = facts[group.id]
        for facet in taxonomy.with_role("card"):
            labels = ", ".join(v.label for v in group.values(facet.key))
            own_language = facet.roles.language and group.slugs(facet.key) == (site_language,)
            assert shown.get(facet.label) == (None if own_language else labels), group.id
        # Where it is open: "Anywhere in the world", or the countries by name.
        assert shown[where.label] == ", ".join(v.label for v in group.values(where.key))
        if group.minimum_age is not None or group.maximum_age is not None:
            assert "Ages" in shown, group.id


def test_a_facets_note_reads_after_its_prefix_on_the_group_page(
    relative_site: Path, catalog: Catalog
) -> None:
    """A note reads "In practice: the groups meet by chat", never "In practice:the groups"."""
    shown = 0
    for facet in catalog.taxonomy.facets:
        field, prefix = facet.roles.note_field, facet.roles.note_prefix
        for group in catalog.groups:
            note = getattr(group, field) if field else None
            if not note:
                continue
            page = (relative_site / "groups" / group.id / "index.html").read_text("utf-8")
            text = " ".join(re.sub(r"<[^>]+>", " ", unescape(page)).split())
            assert " ".join(f"{prefix} {note}".split()) in text, (group.id, facet.key)
            shown += 1
    assert shown  # the real catalog has notes


def test_pages_without_template_indentation_read_exactly_as_with_it(
    relative_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build drops templates' indentation; wherever it separated words or tags, some
    white space must remain, so every page reads the same."""
    import kindred.site.plugin as plugin

    keep = lambda self, source, name, filename=None: source  # noqa: E731
    monkeypatch.setattr(plugin._NoIndentation, "preprocess", keep)
    indented = build_site(tmp_path / "indented")
    compared = 0
    for file in html_files(indented):
        relative = file.relative_to(indented)
        ours = (relative_site / relative).read_text(encoding="utf-8")
        theirs = file.read_text(encoding="utf-8")
        assert " ".join(ours.split()) == " ".join(theirs.split()), relative
        assert len(ours) <= len(theirs), relative
        compared += 1
    assert compared == len(html_files(relative_site))


# --- the theme's files as published --------------------------------------------------------------

THEME_STATIC = ROOT / "theme" / "static"


def test_the_themes_scripts_and_styles_are_published_minified(relative_site: Path) -> None:
    own = [path for path in sorted(THEME_STATIC.rglob("*")) if path.suffix in (".js", ".css")]
    assert own
    for source in own:
        published = relative_site / "theme" / source.relative_to(THEME_STATIC)
        text, source_text = published.read_text(encoding="utf-8"), source.read_text("utf-8")
        assert len(text) < 0.9 * len(source_text), published
        assert "/*" not in text.replace("/*!", ""), f"{published} keeps its comments"
        assert "\n  " not in text, f"{published} keeps its indentation"


def test_minifying_never_writes_through_a_hard_link(tmp_path: Path) -> None:
    source = tmp_path / "source.js"
    source.write_text("/* a comment */\nvar answer = 42;\n", encoding="utf-8")
    published = tmp_path / "theme" / "js" / "answer.js"
    published.parent.mkdir(parents=True)
    os.link(source, published)
    latin1 = tmp_path / "theme" / "css" / "old.css"  # not UTF-8: left as it is
    latin1.parent.mkdir()
    latin1.write_bytes("/* caf\xe9 */\nb { color: red; }\n".encode("latin-1"))
    minify_theme(tmp_path / "theme")
    assert published.read_text(encoding="utf-8") == "var answer=42;"
    assert latin1.read_bytes() == "/* caf\xe9 */\nb { color: red; }\n".encode("latin-1")
    assert source.read_text(encoding="utf-8") == "/* a comment */\nvar answer = 42;\n"


def test_who_can_join_reads_as_sentences(relative_site: Path, catalog: Catalog) -> None:
    """The age and the rest of who can join are two sentences, with a space between."""
    checked = 0
    for group in catalog.groups:
        if group.eligibility and (group.minimum_age is not None or group.maximum_age is not None):
            text = " ".join(read_page(relative_site / f"groups/{group.id}/index.html").text)
            text = " ".join(text.split())
            assert f". {' '.join(group.eligibility.split())}" in text, group.id
            checked += 1
    assert checked
