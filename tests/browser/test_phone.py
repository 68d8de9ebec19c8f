"""The site on a phone (375 by 812) and a desktop (1280 by 900): results above the fold from a
deep link, the filter sheet, getting back to the same results, sorting, headings that say
what is shown, search boxes, "Help me choose" and the 404 page at any depth."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.model import Group
from tests.browser.conftest import Site
from tests.browser.test_directory import expected_ids, result_ids, wait_for_results
from tests.conftest import GROUPS, TAXONOMY
from tests.site_helpers import build_site

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
DEEP_LINK = "/groups/?condition=depression&cost=free"
EAP = {"name": "Acme Care Line", "phone": "0800 123 456", "url": "https://eap.example/"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


@pytest.fixture(scope="module")
def eap_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The development build with an employer's EAP contact in the band on every page."""
    served = Site(build_site(tmp_path_factory.mktemp("eap") / "output", KINDRED_EAP=EAP))
    yield served
    served.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def top_of(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


def groups(n: int) -> str:
    return f"{n} group{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- results above the fold


@pytest.mark.parametrize("device", ["phone", "desktop"])
@pytest.mark.parametrize("with_eap", [False, True], ids=["no EAP", "EAP"])
def test_a_deep_link_shows_the_count_and_first_card_on_the_first_screen(
    browser: Browser,
    site: Site,
    eap_site: Site,
    catalog: Catalog,
    device: str,
    with_eap: bool,
) -> None:
    options = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto((eap_site if with_eap else site).url + DEEP_LINK)
    wait_for_results(page)
    height = options["viewport"]["height"]
    n = len(expected_ids(catalog, {"condition": ["depression"], "cost": ["free"]}))
    expect(page.locator("#finder-count")).to_have_text(f"{groups(n)} match.")
    assert 0 <= top_of(page, "#finder-count") < height
    assert 0 <= top_of(page, "#finder-list > li") < height - 40  # its title shows, not a sliver
    if with_eap:
        expect(page.locator(".eap")).to_contain_text(EAP["name"])
    context.close()


def test_the_crisis_band_is_one_line_and_more_helplines_on_a_phone(
    browser: Browser, site: Site
) -> None:
    for options, shown in ((PHONE, 2), (DESKTOP, None)):
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(site.url + "/")
        lines = page.locator(".crisis__lines li")
        visible = [line.is_visible() for line in lines.all()]
        assert visible[0] and visible[-1]  # the first line and "More helplines"
        expect(lines.last).to_have_text("More helplines")
        assert sum(visible) == (shown or lines.count())
        context.close()


def band_and_regions(site: Site, helplines) -> tuple[dict[str, str], str, str]:
    """Each band line's first region and number, a region with its own band line that is
    not the first, and one with helplines but no band line."""
    band = [(r.region, r.lines[0]) for r in helplines if r.in_band]
    numbers = {region: line.call_uri or line.text_uri for region, line in band}
    later = next(region for region, line in band[1:] if line.call_uri != band[0][1].call_uri)
    unbanded = next(r.region for r in helplines if not r.in_band and r.region != "anywhere")
    return numbers, later, unbanded


def test_your_regions_helplines_come_first_on_a_phone(browser: Browser, site: Site) -> None:
    """The band shows one line on a phone: the browser's own language settings ("en-GB")
    choose which, and for a region the band leaves out ("de-DE"), "More helplines" leads to
    its lines, beside the band's first line (a language is a weak sign of a country), and so
    does the finder's box for urgent needs. The get-help page puts that region first too,
    one tap from the top."""
    from kindred.catalog.helplines import load_helplines
    from tests.conftest import HELPLINES

    taxonomy = load_catalog(GROUPS, TAXONOMY).taxonomy
    helplines = load_helplines(HELPLINES, taxonomy)
    numbers, later, unbanded = band_and_regions(site, helplines)
    key, slug = next((f.key, v.slug) for f in taxonomy.facets for v in f.values if v.urgent)
    first = helplines[0].region
    for region, band_first, page_first in (
        (later, numbers[later], later),
        (unbanded, numbers[first], unbanded),
        ("", numbers[first], first),  # no region in the language: the site's own order
    ):
        locale = f"en-{region.upper()}" if region else "en"
        context = browser.new_context(**PHONE, locale=locale)
        page = context.new_page()
        page.goto(f"{site.url}/groups/?{key}={slug}")
        shown = page.locator(".crisis__lines li:visible a.tel")
        urgent = page.locator(".urgent__lines li:visible a")
        more = page.locator(".crisis__more a")
        expect(shown.first).to_have_attribute("href", band_first)
        expect(urgent.first).to_have_attribute("href", band_first)
        expect(more).to_be_visible()  # beside it
        to = f"#help-{region}" if region == unbanded else ""
        # The urgent box's way to more helplines leads where the band's does.
        assert urgent.last.get_attribute("href").endswith(f"/get-help/{to}"), locale
        assert more.get_attribute("href").endswith(f"/get-help/{to}"), locale
        says = "Helplines for your country" if region == unbanded else "More helplines"
        expect(more).to_have_text(says)
        page.goto(site.url + "/get-help/")
        jump = page.locator("[data-regions-list] a").first
        assert jump.get_attribute("href") == f"#help-{page_first}", locale
        assert jump.bounding_box()["y"] < 812  # one tap from the top of the page
        first_section = page.locator(".helplines section[data-regions]").first
        expect(first_section).to_have_attribute("id", f"help-{page_first}")
        jump.click()  # the region's lines at the top, below the exit bar that stays there
        assert 0 <= first_section.bounding_box()["y"] < 812 / 4
        context.close()


def test_the_escape_hint_shows_only_where_there_is_a_keyboard(browser: Browser, site: Site) -> None:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site.url + "/")
    expect(page.locator(".quick-exit-hint")).to_be_visible()
    context.close()

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site.url + "/")
    expect(page.locator(".quick-exit-hint")).to_be_hidden()
    page.keyboard.press("Tab")  # a keyboard attached to a tablet: now Esc can work
    expect(page.locator(".quick-exit-hint")).to_be_visible()
    context.close()


# ---------------------------------------------------------------- the filter sheet


def focus_is_in(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => document.querySelector(s).contains(document.activeElement)", selector
    )


# Words that a line break cuts in two: each word of the element's text on more than one line.
WORDS_CUT = """el => {
    const cut = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) cut.push(match[0]);
        }
    }
    return cut;
}"""


@pytest.mark.parametrize("size", [(188, 406), (160, 284)])  # 375 x 812 and 320 x 568 at 200 %
def test_zoomed_in_the_filter_sheet_keeps_its_way_out_and_its_words_whole(
    browser: Browser, site: Site, size: tuple[int, int]
) -> None:
    """A phone zoomed to 200 %: the sheet's "Exit this page" and "Show N groups" fit the
    screen with no word cut in two, and the way out stays in view at the end of the sheet."""
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(site.url + "/groups/?condition=depression")
    wait_for_results(page)
    page.click("#finder-open-sheet")
    way_out = page.locator("#finder-sheet a.sheet__exit")
    show = page.locator("#finder-sheet-show")
    for element in (way_out, show, page.locator("#finder-sheet-close")):
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        assert element.evaluate(WORDS_CUT) == []
    show.scroll_into_view_if_needed()  # the end of the sheet, however it scrolls
    box = way_out.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height + 1
    context.close()


def test_the_filter_sheet_shows_the_count_it_leads_to(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    page = phone.new_page()
    page.goto(site.url + "/groups/?condition=depression")
    wait_for_results(page)
    expect(page.locator("#finder-panel")).to_be_hidden()  # no side panel on a phone
    page.click("#finder-open-sheet")
    sheet = page.locator("#finder-sheet")
    expect(sheet).to_have_attribute("open", "")
    assert page.evaluate("document.querySelector('#finder-sheet').matches(':modal')")
    assert focus_is_in(page, "#finder-sheet")

    sheet.locator("details.facet[data-facet='cost'] summary").click()
    page.check("#f-cost-free")
    wait_for_results(page)
    n = len(expected_ids(catalog, {"condition": ["depression"], "cost": ["free"]}))
    show = page.locator("#finder-sheet-show")
    expect(show).to_have_text(f"Show {groups(n)}")
    box = show.bounding_box()
    assert box and box["y"] + box["height"] <= 812  # sticky: in reach without scrolling

    for _ in range(40):  # the keyboard stays in the sheet
        page.keyboard.press("Tab")
        assert focus_is_in(page, "#finder-sheet")

    show.click()
    expect(sheet).not_to_have_attribute("open", "")
    expect(page.locator("#finder-count")).to_have_text(f"{groups(n)} match.")
    assert len(result_ids(page)) == min(n, 12)
    assert page.evaluate("document.activeElement.id") == "finder-open-sheet"
    assert 0 <= top_of(page, "#finder-results") < 812 / 2  # the results, scrolled into view
    assert page.url.endswith("?condition=depression&cost=free")


def test_a_link_on_a_phone_works_out_the_counts_once_the_sheet_opens(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    """On a phone the filters wait in the closed sheet: a link to values in three facets
    fetches those values' bitsets for its groups, and a facet's file of every value's bitset
    (for its counts) only once the sheet opens. The counts it then shows are right."""
    page = phone.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: "/search/" in r.url and fetched.append(r.url.split("/search/")[1]))
    group = catalog.groups[len(catalog.groups) // 2]  # its values: a view with groups in it
    chosen = {}
    for facet in catalog.taxonomy.with_role("filter"):
        if group.slugs(facet.key) and len(chosen) < 3:
            chosen[facet.key] = [group.slugs(facet.key)[0]]
    assert len(chosen) == 3
    page.goto(site.url + "/groups/?" + "&".join(f"{k}={v[0]}" for k, v in chosen.items()))
    wait_for_results(page)
    expect(page.locator("#finder-count")).to_have_text(
        re.compile(rf"^{groups(len(expected_ids(catalog, chosen)))} match")
    )
    bitsets = sorted(name for name in fetched if name.startswith(("membership", "pairs")))
    assert bitsets == sorted(f"membership/{k}/{v[0]}.bin" for k, v in chosen.items())

    page.click("#finder-open-sheet")
    sheet = page.locator("#finder-sheet")
    for key in chosen:
        others = {k: v for k, v in chosen.items() if k != key}
        for value in catalog.taxonomy.facet(key).values:
            if not catalog.groups_matching(key, value.slug):
                continue  # a value with no groups at all is not offered
            want = len(expected_ids(catalog, {**others, key: [value.slug]}))
            expect(sheet.locator(f"label[for='f-{key}-{value.slug}'] .count")).to_have_text(
                f"({want})"
            )
    assert {f"membership-{key}.bin" for key in chosen} <= set(fetched)


def test_escape_closes_the_sheet_and_gives_focus_back(phone: BrowserContext, site: Site) -> None:
    page = phone.new_page()
    page.goto(site.url + "/groups/")
    wait_for_results(page)
    page.click("#finder-open-sheet")
    expect(page.locator("#finder-sheet")).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(page.locator("#finder-sheet")).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.id") == "finder-open-sheet"
    expect(page.locator("#finder-facets")).to_have_count(1)  # back in its panel, one copy
    assert page.evaluate(
        "document.getElementById('finder-panel').contains(document.getElementById('finder-facets'))"
    )


def open_sheet_and_tick(page: Page, key: str, slugs: list[str]) -> None:
    page.click("#finder-open-sheet")
    expect(page.locator("#finder-sheet")).to_have_attribute("open", "")
    page.locator(f"#finder-sheet details.facet[data-facet='{key}'] summary").click()
    for slug in slugs:
        page.check(f"#f-{key}-{slug}")
        wait_for_results(page)


def test_back_closes_the_sheet_and_keeps_what_was_chosen_in_it(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    """As with any full-screen panel on a phone, Back closes the sheet; the ticks made in it
    are kept and are one step back together."""
    start = {"condition": ["depression"]}
    facet = next(f for f in catalog.taxonomy.with_role("filter") if f.key not in start)
    slugs = [v.slug for v in facet.values if catalog.groups_matching(facet.key, v.slug)][:2]
    chosen = {**start, facet.key: slugs}
    page = phone.new_page()
    page.goto(site.url + "/groups/?condition=depression")
    wait_for_results(page)
    open_sheet_and_tick(page, facet.key, slugs)

    page.go_back()
    expect(page.locator("#finder-sheet")).not_to_have_attribute("open", "")
    expect(page).to_have_url(re.compile(rf"condition=depression&{facet.key}={','.join(slugs)}$"))
    wait_for_results(page)
    n = len(expected_ids(catalog, chosen))
    expect(page.locator("#finder-count")).to_have_text(f"{groups(n)} match.")
    assert page.evaluate(
        "document.getElementById('finder-panel').contains(document.getElementById('finder-facets'))"
    )

    page.go_back()  # the sheet's choices, undone in one step
    expect(page).to_have_url(re.compile(r"/groups/\?condition=depression$"))
    wait_for_results(page)
    n = len(expected_ids(catalog, start))
    expect(page.locator("#finder-count")).to_have_text(f"{groups(n)} match.")
    expect(page.locator(f"#f-{facet.key}-{slugs[0]}")).not_to_be_checked()


@pytest.mark.parametrize("close", ["Escape", "show", "nothing left chosen"])
def test_a_sheet_that_changed_nothing_leaves_no_step_for_back(
    phone: BrowserContext, site: Site, catalog: Catalog, close: str
) -> None:
    facet = catalog.taxonomy.with_role("filter")[0]
    slug = facet.values[0].slug
    page = phone.new_page()
    page.goto(site.url + "/about/")
    page.goto(site.url + "/groups/")
    wait_for_results(page)
    if close == "nothing left chosen":  # ticked, then unticked
        open_sheet_and_tick(page, facet.key, [slug])
        page.uncheck(f"#f-{facet.key}-{slug}")
        wait_for_results(page)
    else:
        page.click("#finder-open-sheet")
        expect(page.locator("#finder-sheet")).to_have_attribute("open", "")
    # The sheet takes back its own entry as it closes: Back is pressed once that is done, as
    # a person would (pressed at the same instant, the two steps back could merge into one).
    page.evaluate(
        "() => { window.sheetTookBack = new Promise(done => {"
        " addEventListener('popstate', () => done(true), { once: true });"
        " setTimeout(() => done(false), 5000); }); }"
    )
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        page.click("#finder-sheet-show")
    expect(page.locator("#finder-sheet")).not_to_have_attribute("open", "")
    assert page.evaluate("() => window.sheetTookBack"), "the sheet left its entry behind"
    page.go_back()
    expect(page).to_have_url(re.compile(r"/about/$"))


def test_desktop_keeps_the_side_panel(browser: Browser, site: Site) -> None:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site.url + "/groups/")
    wait_for_results(page)
    expect(page.locator("#finder-panel")).to_be_visible()
    expect(page.locator("#finder-open-sheet")).to_be_hidden()
    context.close()


def test_skip_to_results_takes_the_keyboard_past_the_filters(browser: Browser, site: Site) -> None:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site.url + "/groups/")
    wait_for_results(page)
    page.focus("#finder-q")
    page.keyboard.press("Shift+Tab")
    skip = page.locator("a.skip-results")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('finder-results').contains(document.activeElement)"
    )
    context.close()


# ---------------------------------------------------------------- back to the same results


def view_of(page: Page) -> dict:
    return {
        "count": page.text_content("#finder-count"),
        "cards": len(result_ids(page)),
        "scroll": page.evaluate("window.scrollY"),
    }


def open_a_card_far_down(page: Page, site: Site) -> dict:
    page.goto(site.url + "/groups/?cost=free")
    wait_for_results(page)
    for _ in range(2):
        page.click("#finder-more")
        wait_for_results(page)
    card = page.locator("#finder-list > li").nth(28)
    card.scroll_into_view_if_needed()
    page.mouse.wheel(0, 150)
    page.wait_for_timeout(200)
    before = view_of(page)
    assert before["cards"] == 36 and before["scroll"] > 2000
    card.locator("a").click()
    page.wait_for_url("**/groups/*/")
    return before


def test_back_from_a_group_page_returns_to_the_same_place(
    phone: BrowserContext, site: Site
) -> None:
    page = phone.new_page()
    before = open_a_card_far_down(page, site)
    page.go_back()
    wait_for_results(page)
    page.wait_for_timeout(200)
    after = view_of(page)
    assert after["count"] == before["count"] and after["cards"] == before["cards"]
    assert abs(after["scroll"] - before["scroll"]) <= 50


def test_the_back_to_results_link_returns_to_the_same_place(
    phone: BrowserContext, site: Site
) -> None:
    page = phone.new_page()
    before = open_a_card_far_down(page, site)
    link = page.locator("#back-to-results")
    expect(link).to_be_visible()
    assert "results=" not in page.url  # the group's own address, to share or bookmark
    assert link.get_attribute("href").endswith("/groups/?cost=free")
    link.click()
    page.wait_for_url("**/groups/?cost=free")
    wait_for_results(page)
    page.wait_for_timeout(200)
    after = view_of(page)
    assert after["count"] == before["count"] and after["cards"] == before["cards"]
    assert abs(after["scroll"] - before["scroll"]) <= 50


def test_a_reload_keeps_the_cards_shown_and_the_place(phone: BrowserContext, site: Site) -> None:
    page = phone.new_page()
    page.goto(site.url + "/groups/?cost=free")
    wait_for_results(page)
    page.click("#finder-more")
    wait_for_results(page)
    page.mouse.wheel(0, 1800)
    page.wait_for_timeout(200)
    before = view_of(page)
    page.reload()
    wait_for_results(page)
    page.wait_for_timeout(200)
    after = view_of(page)
    assert after["cards"] == before["cards"] == 24
    assert abs(after["scroll"] - before["scroll"]) <= 50


def test_a_group_page_opened_on_its_own_has_no_back_to_results(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    page = phone.new_page()
    page.goto(f"{site.url}/groups/{catalog.groups[0].id}/")
    expect(page.locator("#back-to-results")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_visible()


def test_a_group_page_leads_to_joining_on_the_first_screen(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    page = phone.new_page()
    group = next(g for g in catalog.groups if not g.safety_note)
    page.goto(f"{site.url}/groups/{group.id}/")
    visit = page.locator(".visit a.button")
    expect(visit).to_have_text("Visit the group\u2019s website")
    assert visit.get_attribute("href") == group.url
    box = visit.bounding_box()
    assert box and box["y"] + box["height"] <= 812
    assert top_of(page, ".group__join-title") < 812
    expect(page.locator(".group__facts")).to_be_visible()
    # Details and similar groups come after the way in.
    assert top_of(page, ".facts") > box["y"]
    if page.locator(".related").count():
        assert top_of(page, ".related") > box["y"]


def test_a_safety_note_follows_how_to_join_before_the_details(
    site: Site, phone: BrowserContext
) -> None:
    page = phone.new_page()
    group = next(g for g in load_catalog(GROUPS, TAXONOMY).groups if g.safety_note)
    page.goto(f"{site.url}/groups/{group.id}/")
    before = page.evaluate(
        "() => document.querySelector('.notice--safety').previousElementSibling.className"
    )
    assert before == "group__join"
    expect(page.locator(".notice--safety")).to_contain_text(group.safety_note)
    assert top_of(page, ".notice--safety") < top_of(page, ".facts")


# ---------------------------------------------------------------- what is shown, and its order


def test_the_heading_and_title_say_what_is_shown(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    page = browser.new_page()
    page.goto(site.url + "/groups/?condition=depression,anxiety&cost=free")
    wait_for_results(page)
    n = len(expected_ids(catalog, {"condition": ["depression", "anxiety"], "cost": ["free"]}))
    heading = f"Depression or Anxiety, Free — {groups(n)}"
    expect(page.locator("h1")).to_have_text(heading)
    assert page.title() == f"{heading} \u2013 Kindred"
    page.click("button.chip[data-slug='free']")  # live
    wait_for_results(page)
    n = len(expected_ids(catalog, {"condition": ["depression", "anxiety"]}))
    expect(page.locator("h1")).to_have_text(f"Depression or Anxiety — {groups(n)}")
    page.goto(site.url + "/condition/depression/")
    n = len(expected_ids(catalog, {"condition": ["depression"]}))
    expect(page.locator("h1")).to_have_text(f"Depression — {groups(n)}")
    assert page.title() == f"Depression — {groups(n)} \u2013 Kindred"
    page.close()


def latest_day(group: Group) -> dt.date:
    """When the listing was last added or checked: "newest" puts the latest first."""
    return max(group.added, group.last_verified or group.added)


def newest_first(catalog: Catalog, ids: list[str]) -> list[str]:
    position = {g.id: i for i, g in enumerate(catalog.groups)}
    by_id = {g.id: g for g in catalog.groups}
    return sorted(ids, key=lambda i: (-latest_day(by_id[i]).toordinal(), position[i]))


def test_sorting_by_name_and_newest(watched_page: Page, site: Site, catalog: Catalog) -> None:
    page = watched_page
    page.goto(site.url + "/groups/?cost=free")
    wait_for_results(page)
    expect(page.locator("#finder-sort")).to_have_value("name")
    expect(page.locator("#finder-sort option[value='relevance']")).to_be_disabled()
    page.select_option("#finder-sort", "recent")
    wait_for_results(page)
    assert page.url.endswith("?cost=free&sort=recent")
    free = expected_ids(catalog, {"cost": ["free"]})
    assert result_ids(page) == newest_first(catalog, free)[:12]

    page.goto(site.url + "/groups/?q=forum")  # words: best match first, by name on request
    wait_for_results(page)
    expect(page.locator("#finder-sort")).to_have_value("relevance")
    page.select_option("#finder-sort", "name")
    wait_for_results(page)
    assert page.url.endswith("?q=forum&sort=name")
    position = {g.id: i for i, g in enumerate(catalog.groups)}
    shown = [position[i] for i in result_ids(page)]
    assert shown == sorted(shown) and len(shown) == 12
    page.select_option("#finder-sort", "recent")
    wait_for_results(page)
    ids = result_ids(page)
    by_id = {g.id: g for g in catalog.groups}
    days = [latest_day(by_id[i]) for i in ids]
    assert days == sorted(days, reverse=True)


# ---------------------------------------------------------------- search where people start


@pytest.mark.parametrize("path", ["/", "/groups/no-such-group/"])
def test_a_search_box_opens_the_finder_with_the_words(site: Site, browser: Browser, path: str):
    page = browser.new_page()
    page.goto(site.url + path)
    page.fill("main input[name='q']", "grief")
    page.press("main input[name='q']", "Enter")
    page.wait_for_url("**/groups/?q=grief")
    wait_for_results(page)
    expect(page.locator("#finder-q")).to_have_value("grief")
    expect(page.locator("#finder-count")).to_contain_text("for \u201cgrief\u201d")
    page.close()


def test_without_javascript_the_search_box_still_reaches_the_list(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/")
    page.fill("main input[name='q']", "grief")
    page.click("main form[role=search] button")
    page.wait_for_url("**/groups/?q=grief")
    expect(page.locator("main .notice:visible").first).to_contain_text("need JavaScript")
    assert page.locator("#all-groups [data-group-id]").count() == 20
    context.close()


# ---------------------------------------------------------------- help me choose


def test_help_me_choose_one_question_at_a_time(
    phone: BrowserContext, site: Site, catalog: Catalog
) -> None:
    page = phone.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: "/search/membership-" in r.url and fetched.append(r.url))
    page.goto(site.url + "/choose/")
    steps = page.locator(".chooser__step")
    expect(steps.nth(0)).to_be_visible()
    expect(steps.nth(1)).to_be_hidden()
    total = len(catalog.groups)
    expect(page.locator("#chooser-count")).to_have_text(f"All {groups(total)} to start with.")
    asked = steps.evaluate_all("steps => steps.map(step => step.dataset.facet)")
    # the bitsets of the facets it asks about, and no others
    assert sorted(url.rsplit("/", 1)[1] for url in fetched) == sorted(
        f"membership-{key}.bin" for key in asked
    )

    page.click("label[for='c-condition-depression']")
    n = len(expected_ids(catalog, {"condition": ["depression"]}))
    expect(page.locator("#chooser-count")).to_have_text(f"{groups(n)} fit your answers so far.")
    answer = page.locator("label[for='c-condition-depression']").bounding_box()
    assert answer and answer["height"] >= 44  # a big target to tap
    page.click("#chooser [data-step=next]")
    expect(page.locator(".chooser__step:visible .chooser__question")).to_be_focused()
    page.click("#chooser [data-step=skip]")  # how to take part: skipped
    page.click("label[for='c-cost-free']")
    both = expected_ids(catalog, {"condition": ["depression"], "cost": ["free"]})
    expect(page.locator("#chooser-count")).to_have_text(
        f"{groups(len(both))} fit your answers so far."
    )
    asking = page.locator(".chooser__step:visible").get_attribute("data-facet")
    page.reload()  # as a phone does with a tab it set aside: the same question and answers
    expect(page.locator("#chooser-count")).to_have_text(
        f"{groups(len(both))} fit your answers so far."
    )
    expect(page.locator(".chooser__step:visible")).to_have_attribute("data-facet", asking)
    expect(page.locator("#c-condition-depression")).to_be_checked()
    expect(page.locator("#c-cost-free")).to_be_checked()
    page.click("#chooser [data-step=next]")
    expect(page.locator("#chooser [data-step=next]")).to_have_text(f"Show the {groups(len(both))}")
    page.click("#chooser [data-step=skip]")  # privacy: skipped, and done

    page.wait_for_url("**/groups/?condition=depression&cost=free")
    wait_for_results(page)
    expect(page.locator("#finder-count")).to_have_text(f"{groups(len(both))} match.")
    page.go_back()  # the questions are still there, answered
    expect(page.locator(".chooser__step").last).to_be_visible()


def test_help_me_choose_works_without_javascript(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/choose/")
    asked = catalog.taxonomy.with_role("choose")
    expect(page.locator(".chooser__step")).to_have_count(len(asked))
    for step in page.locator(".chooser__step").all():
        expect(step).to_be_visible()  # every question on one page
    expect(page.locator(".chooser__nav")).to_be_hidden()  # no dead controls
    # It says, before any question, that the answers cannot narrow the list here, and
    # leads to the pages that can.
    notice = page.locator("p.notice--no-js")
    expect(notice).to_contain_text("cannot narrow the list")
    for facet in asked:
        expect(notice.locator(f"a[href$='/{facet.key}/']")).to_have_count(1)
    page.check("#c-condition-depression")
    page.check("#c-cost-free")
    page.click(".chooser__submit button")
    page.wait_for_url("**/groups/?condition=depression&cost=free")
    address = page.url
    context.close()

    page = browser.new_page()  # the address it reached is the filtered view
    page.goto(address)
    wait_for_results(page)
    both = expected_ids(catalog, {"condition": ["depression"], "cost": ["free"]})
    expect(page.locator("#finder-count")).to_have_text(f"{groups(len(both))} match.")
    page.close()


def test_a_plain_forms_repeated_answers_become_the_finders_own_address(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    page = browser.new_page()
    page.goto(site.url + "/groups/?format=forum&format=chat&cost=free")
    wait_for_results(page)
    assert page.url.endswith("/groups/?format=forum,chat&cost=free")
    n = len(expected_ids(catalog, {"format": ["forum", "chat"], "cost": ["free"]}))
    expect(page.locator("#finder-count")).to_have_text(f"{groups(n)} match.")
    page.close()


# ---------------------------------------------------------------- the 404 page at any depth


@pytest.mark.parametrize("build", ["development", "publish"])
def test_the_404_page_works_at_any_depth(
    browser: Browser, site: Site, subpath_site: Site, build: str
) -> None:
    served = site if build == "development" else subpath_site
    context = browser.new_context(**PHONE)
    page = context.new_page()
    response = page.goto(served.url + "/groups/no-such-group/")
    assert response and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    # Styled: the stylesheet loaded and applies (the exit link is a red button).
    assert page.evaluate("document.styleSheets.length && document.styleSheets[0].cssRules.length")
    colour = page.locator("a.quick-exit").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(179, 38, 30)"
    expect(page.locator(".quick-exit-hint")).to_be_hidden()  # a phone; but the script ran:
    page.keyboard.press("Tab")
    expect(page.locator(".quick-exit-hint")).to_be_visible()
    page.click("main a:text('see all support groups')")
    page.wait_for_url(served.url + "/groups/")
    wait_for_results(page)
    context.close()


def test_pressing_search_puts_a_phones_keyboard_away_but_keeps_a_keyboards_focus(
    browser: Browser, site: Site
) -> None:
    """On a touch screen the on-screen keyboard would cover the results: pressing Search
    leaves the box (as a page load would). With a mouse and keyboard, focus stays there, to
    type on. The box holds no more than the search reads (200 characters)."""
    for device, stays in ((PHONE, False), (DESKTOP, True)):
        context = browser.new_context(**device)
        page = context.new_page()
        page.goto(site.url + "/groups/")
        wait_for_results(page)
        page.fill("#finder-q", "grief " * 50)
        assert len(page.input_value("#finder-q")) == 200
        page.press("#finder-q", "Enter")
        wait_for_results(page)
        expect(page.locator("#finder-count")).to_contain_text("grief")
        assert page.evaluate("document.activeElement.id === 'finder-q'") is stays, device
        context.close()
