"""One card: every group looks the same in the finder (filters or words) as in the lists that
work without JavaScript — same name, summary, facts and link."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

from kindred.catalog import Catalog, load_catalog
from tests.browser.conftest import Site
from tests.browser.test_directory import open_directory, show_all

# Each card as the reader meets it: the link's target resolved against the page.
READ_CARDS = """cards => cards.map(card => ({
    id: card.dataset.groupId,
    name: card.querySelector('.card__title').textContent.trim(),
    link: card.querySelector('.card__title a').href,
    organization: card.querySelector('.card__org').textContent.trim(),
    summary: card.querySelector('.card__desc').textContent.trim(),
    facts: [...card.querySelectorAll('.card__facts > div')].map(
        row => row.textContent.replace(/\\s+/g, ' ').trim()),
}))"""


def static_cards(page: Page, site: Site) -> dict[str, dict]:
    """Every card of /groups/ without JavaScript, following the numbered pages."""
    cards: dict[str, dict] = {}
    url = f"{site.url}/groups/"
    while url:
        page.goto(url)
        for card in page.locator("#all-groups [data-group-id]").evaluate_all(READ_CARDS):
            cards[card["id"]] = card
        following = page.locator("a[rel=next]")
        url = following.evaluate("a => a.href") if following.count() else ""
    return cards


def finder_cards(page: Page) -> list[dict]:
    show_all(page)
    return page.locator("#finder-list [data-group-id]").evaluate_all(READ_CARDS)


def test_the_finder_shows_every_group_as_the_static_list_does(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    no_js = browser.new_context(java_script_enabled=False)
    expected = static_cards(no_js.new_page(), site)
    no_js.close()
    assert sorted(expected) == sorted(group.id for group in catalog.groups)

    page = browser.new_page()
    open_directory(page, site)
    shown = finder_cards(page)
    assert [card["id"] for card in shown] == [group.id for group in catalog.groups]
    assert [card for card in shown if card != expected[card["id"]]] == []

    # Text search answers come from Pagefind, which carries the same card.
    open_directory(page, site, "?q=support")
    found = finder_cards(page)
    assert len(found) > 20
    assert [card for card in found if card != expected[card["id"]]] == []
    page.close()


def test_a_new_facet_is_a_filter_and_a_card_fact_with_javascript(
    browser: Browser, new_facet_site: tuple[Path, Path, Path]
) -> None:
    output, taxonomy, groups = new_facet_site
    expected = load_catalog(groups, taxonomy).groups_with("meeting-length", "short-sessions")
    served = Site(output)
    try:
        page = browser.new_page()
        open_directory(page, served, "?meeting-length=short-sessions")
        assert page.locator("details.facet[data-facet='meeting-length']").count() == 1
        assert page.locator("#f-meeting-length-short-sessions").is_checked()
        shown = finder_cards(page)
        assert [card["id"] for card in shown] == [group.id for group in expected]
        assert all("Meeting lengthUnder an hour" in card["facts"] for card in shown)
        page.close()
    finally:
        served.stop()
