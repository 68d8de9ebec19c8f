"""The directory finder in a real browser: search, filters, counts, URLs, history, no-JS."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from kindred.catalog import Catalog
from kindred.catalog.taxonomy import normalise_term
from kindred.site.search_data import CHUNK
from tests.browser.conftest import Site
from tests.conftest import ROOT


def expected_ids(catalog: Catalog, filters: dict[str, list[str]]) -> list[str]:
    """Groups matching: any chosen value within a facet (or a value it includes), every facet
    with a choice: the catalog's one reading of a view."""
    return [g.id for g in catalog.groups_matching_all(filters)]


def result_ids(page: Page) -> list[str]:
    return page.locator("#finder-list [data-group-id]").evaluate_all(
        "cards => cards.map(c => c.dataset.groupId)"
    )


def show_all(page: Page) -> None:
    while page.locator("#finder-more").is_visible():
        page.click("#finder-more")
        wait_for_results(page)


def wait_for_results(page: Page) -> None:
    # Selectors, not wait_for_function: the site's CSP (rightly) forbids evaluating strings.
    page.wait_for_selector("#finder:not([hidden]):not([aria-busy])")
    expect(page.locator("#finder-count")).not_to_be_empty()


def tick(page: Page, key: str, slug: str) -> None:
    """Open the facet's section if it is closed, tick the value, wait for the answer."""
    section = page.locator(f"details.facet[data-facet='{key}']")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    page.check(f"#f-{key}-{slug}")
    wait_for_results(page)


def open_directory(page: Page, site: Site, query: str = "") -> None:
    page.goto(f"{site.url}/groups/{query}")
    wait_for_results(page)


def test_two_values_of_one_facet_and_one_of_another(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    open_directory(page, site)
    tick(page, "condition", "depression")
    tick(page, "condition", "anxiety")
    tick(page, "cost", "free")
    show_all(page)
    expected = expected_ids(catalog, {"condition": ["depression", "anxiety"], "cost": ["free"]})
    assert expected and result_ids(page) == expected  # sorted by name, exactly this set
    assert page.url.endswith("/groups/?condition=depression,anxiety&cost=free")
    expect(page.locator("#finder-count")).to_have_text(f"{len(expected)} groups match.")


def test_counts_follow_or_within_and_across_facets(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    chosen = {"condition": ["depression", "anxiety"], "cost": ["free"]}
    open_directory(page, site, "?condition=depression,anxiety&cost=free")
    for facet in catalog.taxonomy.with_role("filter"):
        section = page.locator(f"details.facet[data-facet='{facet.key}']")
        if section.get_attribute("open") is None:  # its counts come once it is opened
            section.locator("summary").click()
        others = {k: v for k, v in chosen.items() if k != facet.key}
        for value in facet.values:
            want = len(expected_ids(catalog, {**others, facet.key: [value.slug]}))
            if not want and not catalog.groups_matching(facet.key, value.slug):
                continue  # a value with no groups at all is not offered
            label = page.locator(f"label[for='f-{facet.key}-{value.slug}'] .count")
            expect(label).to_have_text(f"({want})")


@pytest.fixture(params=["facet files cost less", "pairs cost less"])
def counted_site(
    request: pytest.FixtureRequest, site: Site, relative_site: Path, tmp_path: Path
) -> Iterator[tuple[Site, bool]]:
    """The site, and whether the pairs cost less than a facet's file there. At a few hundred
    groups a facet's file is the smaller; a copy whose facets.json says otherwise stands for
    a catalog of many thousands, where the pairs are (see bench/bench_transfer.py)."""
    if request.param == "facet files cost less":
        yield site, False
        return
    copy = tmp_path / "site"
    shutil.copytree(relative_site, copy)
    meta = json.loads((copy / "search" / "facets.json").read_text(encoding="utf-8"))
    meta["pairs_bytes"] = 0
    (copy / "search" / "facets.json").write_text(json.dumps(meta), encoding="utf-8")
    served = Site(copy)
    yield served, True
    served.stop()


def test_a_filtered_view_fetches_the_bitsets_it_needs_alone(
    watched_page: Page, counted_site: tuple[Site, bool], catalog: Catalog
) -> None:
    """A link to filters fetches the chosen values' bitsets alone. A facet's counts need no
    bitset of it while at most one value chosen elsewhere narrows the groups: they are the
    catalog's own, or how many groups each two values share (search/pairs.bin), where that
    costs less than the facet's file of every value's bitset. The file comes once more
    narrows them. A phone opening a link downloads the few files it needs, not all of them,
    and every count shown is right."""
    site, pairs_cost_less = counted_site
    page = watched_page
    fetched = []
    page.on("request", lambda r: "/search/" in r.url and fetched.append(_file(r.url)))
    facets = [facet.key for facet in catalog.taxonomy.with_role("filter")]
    chosen, closed = facets[-1], facets[0]
    values = [
        v.slug
        for v in catalog.taxonomy.facet(chosen).values
        if catalog.groups_matching(chosen, v.slug)
    ]
    first = catalog.taxonomy.facet(closed).values[0].slug
    second = next(v.slug for v in catalog.taxonomy.facet(facets[1]).values if v.slug)

    def counts_are(facet: str, filters: dict[str, list[str]]) -> None:
        for value in catalog.taxonomy.facet(facet).values:
            want = len(expected_ids(catalog, {**filters, facet: [value.slug]}))
            if not catalog.groups_matching(facet, value.slug):
                continue  # a value with no groups at all is not offered
            label = page.locator(f"label[for='f-{facet}-{value.slug}'] .count")
            expect(label).to_have_text(f"({want})")

    def bitsets_fetched() -> list[str]:
        return sorted(name for name in fetched if name.startswith(("membership", "pairs")))

    # Each answer shown comes with the counts of the facets it opens: none left blank, even
    # for a moment.
    page.add_init_script(BLANK_COUNTS_AT_EACH_ANSWER)
    open_directory(page, site, f"?{chosen}={values[0]}&{facets[1]}={second}")
    assert page.evaluate("window.blankCounts") == [0]
    fetched.clear()
    open_directory(page, site, f"?{chosen}={values[0]}")
    counts_are(chosen, {})  # the catalog's own
    assert bitsets_fetched() == [f"membership/{chosen}/{values[0]}.bin"]
    page.locator(f"details.facet[data-facet='{closed}'] summary").click()
    counts_are(closed, {chosen: values[:1]})  # one value narrows them
    narrowed_by_one = "pairs.bin" if pairs_cost_less else f"membership-{closed}.bin"
    assert bitsets_fetched() == sorted([f"membership/{chosen}/{values[0]}.bin", narrowed_by_one])
    fetched.clear()
    page.locator(f"label[for='f-{chosen}-{values[1]}']").click()
    counts_are(closed, {chosen: values[:2]})  # two values: worked out from the facet's file
    counts_are(chosen, {})
    closed_file = [f"membership-{closed}.bin"] if pairs_cost_less else []  # if not yet there
    assert bitsets_fetched() == sorted([*closed_file, f"membership/{chosen}/{values[1]}.bin"])
    fetched.clear()
    page.locator(f"label[for='f-{closed}-{first}']").click()
    counts_are(chosen, {closed: [first]})
    counts_are(closed, {chosen: values[:2]})
    # The value's bitset came with its facet's file; the chosen facet's counts come from the
    # pairs already there, or its own file.
    assert bitsets_fetched() == ([] if pairs_cost_less else [f"membership-{chosen}.bin"])


# Records, each time the count of groups is written, how many counts of open facets are blank.
BLANK_COUNTS_AT_EACH_ANSWER = """
window.blankCounts = [];
document.addEventListener("DOMContentLoaded", () => {
    const counts = () => [...document.querySelectorAll("details.facet[open] .count")];
    const record = () => window.blankCounts.push(counts().filter(c => !c.textContent).length);
    const written = {childList: true, characterData: true, subtree: true};
    new MutationObserver(record).observe(document.getElementById("finder-count"), written);
});
"""


def _file(url: str) -> str:
    """A bitset file's name under search/."""
    return url.split("/search/", 1)[1]


# The fewest cards shown from a chunk that fetch it whole, as directory.js says.
CHUNK_WORTH = int(
    re.search(
        r"var CHUNK_WORTH = (\d+);",
        (ROOT / "theme" / "static" / "js" / "directory.js").read_text(encoding="utf-8"),
    ).group(1)
)


def test_a_view_fetches_a_chunk_of_cards_for_many_shown_and_cards_alone_for_a_few(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """The whole directory shows the first groups by name, all in one chunk: it fetches
    that chunk. A filter shows a few groups of each chunk: it fetches just their cards."""
    page = watched_page
    fetched: list[str] = []
    page.on("request", lambda r: "/search/card" in r.url and fetched.append(r.url))
    position = {group.id: n for n, group in enumerate(catalog.groups)}
    facet = catalog.taxonomy.with_role("filter")[0]
    sparse = next(
        v.slug for v in facet.values if 12 < len(catalog.groups_with(facet.key, v.slug)) < 60
    )
    for query in ("", f"?{facet.key}={sparse}"):
        fetched.clear()
        open_directory(page, site, query)
        shown = [position[group_id] for group_id in result_ids(page)]
        per_chunk = Counter(p // CHUNK for p in shown)
        whole = {n for n, count in per_chunk.items() if count >= CHUNK_WORTH}
        alone = {p for p in shown if p // CHUNK not in whole}
        names = sorted(url.split("/search/", 1)[1] for url in fetched)
        assert names == sorted(
            [f"cards-{n}.bin" for n in whole] + [f"card/{p}.bin" for p in alone]
        ), query
        assert whole if not query else alone, query
        expect(page.locator("#finder-list .card__title")).to_have_count(len(shown))
    # More groups: their cards come too, and none that came already.
    page.click("#finder-more")
    wait_for_results(page)
    expect(page.locator("#finder-list .card__title")).to_have_count(len(result_ids(page)))
    assert len(result_ids(page)) > len(shown)
    assert len(fetched) == len(set(fetched)), fetched

    # Every match at once, as a printed hand-out gathers them: in chunks, not card by card,
    # even where a chunk holds only a few of them.
    def chunks_held(key: str, slug: str) -> Counter:
        return Counter(position[g.id] // CHUNK for g in catalog.groups_matching(key, slug))

    key, slug = max(
        (
            (other.key, value.slug)
            for other in catalog.taxonomy.with_role("filter")
            for value in other.values
            if min(chunks_held(other.key, value.slug).values(), default=CHUNK) < CHUNK_WORTH
        ),
        key=lambda view: sum(chunks_held(*view).values()),
    )
    open_directory(page, site, f"?{key}={slug}")
    fetched.clear()
    every = page.evaluate("window.kindredFinder.allCards().then((cards) => cards.length)")
    assert every == sum(chunks_held(key, slug).values()) > 3 * len(shown)
    assert fetched and all("/search/cards-" in url for url in fetched), fetched


def words_of_names(catalog: Catalog) -> set[str]:
    """Every word of every name and search term of the taxonomy, as a search reads it."""
    return {
        word
        for facet in catalog.taxonomy.facets
        for value in facet.values
        for name in value.names
        for word in normalise_term(name).split()
    }


def distinctive_name_word(catalog: Catalog) -> str:
    """A long word that appears in exactly one group's name, and in no name of a value."""
    names = [g.name.lower() for g in catalog.groups]
    taxonomy_words = words_of_names(catalog)
    for name in names:
        for word in name.split():
            if word in taxonomy_words or not (len(word) >= 7 and word.isalpha()):
                continue
            if sum(word in n for n in names) == 1:
                return word
    raise AssertionError("no distinctive word in the catalog's names")


def test_words_fetch_the_bitsets_of_the_values_they_name_alone(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """Words that name no filter value, and are in no value's name, need no bitset but that of
    the reader's language (its groups come first); words naming a value fetch that value's
    too, whose button offers it with a count; and a word of a value's name of several words
    fetches the bitset of that value, whose groups it finds."""
    page = watched_page
    fetched: list[str] = []
    page.on("request", lambda r: "/search/membership" in r.url and fetched.append(r.url))
    language = [f"membership/{f.key}/en.bin" for f in catalog.taxonomy.with_role("language")]
    open_directory(page, site, f"?q={distinctive_name_word(catalog)}")
    assert sorted(_file(url) for url in fetched) == sorted(language)
    facet = catalog.taxonomy.with_role("filter")[0]
    value = max(facet.values, key=lambda v: len(catalog.groups_matching(facet.key, v.slug)))
    fetched.clear()
    open_directory(page, site, f"?q={value.label}")
    named = [f"membership/{facet.key}/{value.slug}.bin"]
    assert sorted(_file(url) for url in fetched) == sorted(language + named)
    word, holders = word_of_names_alone(catalog)
    fetched.clear()
    open_directory(page, site, f"?q={word}")
    bitsets = [f"membership/{key}/{slug}.bin" for key, slug in holders]
    assert sorted(_file(url) for url in fetched) == sorted(language + bitsets)
    show_all(page)
    members = {g.id for key, slug in holders for g in catalog.groups_with(key, slug)}
    assert members <= set(result_ids(page))


def word_of_names_alone(catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """A word that is in names of values but is itself no name or search term of any value,
    and the (facet, value) pairs whose names hold it: "shopping" in "shopping addiction"."""
    whole = {normalise_term(t) for f in catalog.taxonomy.facets for v in f.values for t in v.names}
    holders: dict[str, list[tuple[str, str]]] = {}
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            capitals = {normalise_term(n) for n in value.capitals_only}
            names = {normalise_term(n) for n in (value.label, *value.other_names)} - capitals
            for word in sorted({w for name in names for w in name.split()}):
                if len(word) >= 6 and word not in whole:
                    holders.setdefault(word, []).append((facet.key, value.slug))
    word = min(holders, key=lambda w: (len(holders[w]), w))
    return word, holders[word]


def test_a_query_finds_the_expected_groups(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    word = distinctive_name_word(catalog)
    named = [g.id for g in catalog.groups if word.lower() in g.name.lower()]
    open_directory(page, site)
    page.fill("#finder-q", word)
    page.wait_for_url(f"**/groups/?q={word}")
    wait_for_results(page)
    show_all(page)
    found = result_ids(page)
    assert set(named) <= set(found)
    assert set(found) <= {g.id for g in catalog.groups}
    expect(page.locator("#finder-count")).to_contain_text(f"for \u201c{word}\u201d")


def test_a_failed_fetch_is_tried_again_when_next_needed(
    page: Page, browser: Browser, site: Site, catalog: Catalog
) -> None:
    """A phone loses its signal for a moment: the finder says searching is not working, and
    asking again fetches again what failed (the finder's data, its scripts, Pagefind's start
    and fragments), rather than failing for good until the page is reloaded."""
    failed: list[str] = []

    def first_try_fails(route) -> None:  # every file of the search fails once
        url = route.request.url.split("?")[0]  # Pagefind asks for its entry with a new ?ts=
        # Not the finder's start, nor Pagefind's index and filter chunks: Pagefind takes a chunk
        # it could not fetch for an empty one (it says so in the console) and tells no one.
        silent = "/pagefind/index/" in url or "/pagefind/filter/" in url
        if url.endswith("/search/facets.json") or silent or url in failed:
            route.continue_()
        else:
            failed.append(url)
            route.abort()

    for files in ("**/search/**", "**/pagefind/**", "**/theme/js/words.js"):
        page.route(files, first_try_fails)
    open_directory(page, site)
    sorry = "searching is not working right now"
    expect(page.locator("#finder-count")).to_contain_text(sorry)
    word = distinctive_name_word(catalog)
    tries = 0
    while tries < 10 and (tries == 0 or sorry in page.inner_text("#finder-count")):
        tries += 1
        page.fill("#finder-q", "")  # the same words asked again, as a person would
        page.wait_for_url("**/groups/")
        wait_for_results(page)
        page.fill("#finder-q", word)
        page.wait_for_url(f"**/groups/?q={quote(word)}")
        wait_for_results(page)
    expect(page.locator("#finder-count")).not_to_contain_text(sorry)
    fresh = browser.new_page()
    open_directory(fresh, site, f"?q={quote(word)}")
    assert result_ids(page) == result_ids(fresh) != []
    fresh.close()
    names = {url.rsplit("/", 1)[1] for url in failed}
    assert {"terms.bin", "pagefind-ids.bin", "pagefind.js", "words.js"} <= names
    assert any(url.rsplit("/", 2)[1] == "fragment" for url in failed), "a Pagefind fragment"
    assert tries > 1


def test_reload_and_back_forward_restore_the_view(watched_page: Page, site: Site) -> None:
    page = watched_page
    open_directory(page, site)
    tick(page, "format", "video")
    video = result_ids(page)
    tick(page, "cost", "free")
    both = result_ids(page)
    assert both != video

    page.reload()
    wait_for_results(page)
    assert result_ids(page) == both
    expect(page.locator("#f-format-video")).to_be_checked()
    expect(page.locator("#f-cost-free")).to_be_checked()

    page.go_back()
    wait_for_results(page)
    assert page.url.endswith("?format=video")
    assert result_ids(page) == video
    expect(page.locator("#f-cost-free")).not_to_be_checked()

    page.go_forward()
    wait_for_results(page)
    assert result_ids(page) == both


def test_a_pasted_url_opens_the_same_view(browser: Browser, site: Site) -> None:
    first = browser.new_page()
    open_directory(first, site, "?q=support&audience=caregivers-family")
    shown = result_ids(first)
    pasted = browser.new_page()
    pasted.goto(first.url)
    wait_for_results(pasted)
    assert result_ids(pasted) == shown
    assert pasted.input_value("#finder-q") == "support"
    expect(pasted.locator("#f-audience-caregivers-family")).to_be_checked()
    first.close()
    pasted.close()


def test_unknown_values_are_named_and_unknown_parameters_ignored(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    open_directory(page, site, "?condition=depression,not-a-value&colour=blue&cost=")
    show_all(page)
    assert result_ids(page) == expected_ids(catalog, {"condition": ["depression"]})
    expect(page.locator("#finder-notice")).to_have_text(
        "\u201cnot-a-value\u201d is not one of the choices for Condition, so it is left out."
    )
    assert page.url.endswith("/groups/?condition=depression")


def test_chips_remove_one_filter_and_clear_all_removes_every_one(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    open_directory(page, site, "?condition=depression&cost=free")
    page.click("button.chip[data-slug='free']")
    wait_for_results(page)
    assert page.url.endswith("?condition=depression")
    page.click("#finder-clear")
    wait_for_results(page)
    show_all(page)
    assert result_ids(page) == [g.id for g in catalog.groups]
    expect(page.locator("#finder-selected")).to_be_hidden()


def test_copy_link_copies_the_current_view(browser: Browser, site: Site) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_directory(page, site, "?cost=free")
    page.click("#finder-copy")
    expect(page.locator("#finder-copied")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site.url}/groups/?cost=free"
    context.close()


def ids_across_pages(page: Page, cards: str) -> list[str]:
    """Group ids on this page and the numbered pages after it, shown as cards or listed by
    name (each marked with its group's id, and linking to its page), following "Next page"."""
    ids = []
    while True:
        ids += page.locator(cards).evaluate_all("cards => cards.map(c => c.dataset.groupId)")
        named = page.locator(".name-list a").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname.split('/').at(-2))"
        )
        assert named == ids[len(ids) - len(named) :]  # each name links to its own group
        following = page.locator("a[rel=next]")
        if not following.count():
            return ids
        with page.expect_navigation():  # read the next page only once it has loaded
            following.click()


def test_without_javascript_the_directory_lists_every_group(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/groups/?condition=depression")
    expect(page.locator("#finder")).to_be_hidden()  # no dead controls
    assert ids_across_pages(page, "#all-groups [data-group-id]") == [g.id for g in catalog.groups]
    page.goto(f"{site.url}/language/en/")  # a facet value page: cards, then pages of names
    assert ids_across_pages(page, "[data-group-id]") == expected_ids(catalog, {"language": ["en"]})
    context.close()


def test_without_javascript_no_page_offers_a_filter_it_cannot_apply(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    """Only the finder's script filters: without JavaScript the links offering a filtered
    directory (the home page's starting points, a value page's "Narrow these down") are not
    shown, since the directory would list every group; the static pages stay. With it, they
    are there. (A search box stays: it says what it finds, and leads to the whole list.)"""
    value = catalog.taxonomy.facets[0].values[0]
    paths = ["/", f"/{catalog.taxonomy.facets[0].key}/{value.slug}/"]
    offers = "main a[href*='/groups/?']:visible"
    for scripts in (True, False):
        context = browser.new_context(java_script_enabled=scripts)
        page = context.new_page()
        for path in paths:
            page.goto(site.url + path)
            if scripts:
                assert page.locator(offers).count() > 0, path
            else:
                expect(page.locator(offers)).to_have_count(0)
                assert page.locator("a[href$='/groups/']:visible").count() > 0, path
        # A starting point that is a value's own page works without JavaScript: it stays.
        page.goto(site.url + "/")
        for start in catalog.taxonomy.starting_points:
            if "?" not in start.path:
                expect(page.locator(f"main a[href$='{start.path}']")).to_be_visible()
        context.close()


def test_finder_works_under_a_sub_path(
    watched_page: Page, subpath_site: Site, catalog: Catalog
) -> None:
    page = watched_page
    open_directory(page, subpath_site, "?q=forum&format=forum")
    assert result_ids(page)
    page.click("#finder-list a >> nth=0")
    page.wait_for_url(f"{subpath_site.url}/groups/**")
    open_directory(page, subpath_site, "?anonymity=anonymous")
    show_all(page)
    assert result_ids(page) == expected_ids(catalog, {"anonymity": ["anonymous"]})


def test_results_do_not_collapse_while_updating(watched_page: Page, site: Site) -> None:
    page = watched_page
    open_directory(page, site, "?q=forum")

    def slow(route):
        time.sleep(0.15)  # a slow network: new results take a moment to arrive
        route.fallback()

    page.route("**/pagefind/fragment/**", slow)
    page.evaluate(
        """() => {
        window.heights = [];
        const list = document.getElementById('finder-list');
        const watch = () => {
            window.heights.push(list.offsetHeight);
            if (window.heights.length < 600) requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
    }"""
    )
    page.fill("#finder-q", "family")
    page.wait_for_url("**q=family")
    wait_for_results(page)
    heights = page.evaluate("window.heights")
    final = page.locator("#finder-list").evaluate("list => list.offsetHeight")
    assert len(heights) > 20
    assert min(heights) >= min(heights[0], final) - 1


def test_words_typed_in_quotation_marks_are_quoted_once(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    word = distinctive_name_word(catalog)
    open_directory(page, site, f"?q=\u201c{word}\u201d")
    expect(page.locator("#directory-title")).to_contain_text(f"\u201c{word}\u201d \u2014 ")


def test_the_page_title_never_holds_the_words_searched_for(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """Browsers keep titles in their history after the page is left, even by the quick exit:
    the heading says the words, the title only that it is a search."""
    page = watched_page
    word = distinctive_name_word(catalog)
    open_directory(page, site, f"?q={word}&cost=free")
    expect(page.locator("#directory-title")).to_contain_text(f"\u201c{word}\u201d, Free \u2014 ")
    assert page.title().startswith("Search results, Free \u2014 "), page.title()
    assert word.casefold() not in page.title().casefold()
    page.fill("#finder-q", f"{word} forum")
    page.wait_for_url(f"**q={word}*forum*")
    wait_for_results(page)
    assert word.casefold() not in page.title().casefold()
