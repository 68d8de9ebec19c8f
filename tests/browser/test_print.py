"""Printed lists show each group's own web address, in short; screen chrome is left out."""

from __future__ import annotations

from playwright.sync_api import Browser

from kindred.catalog import load_catalog
from kindred.site.handout import short_address
from tests.browser.conftest import Site
from tests.browser.test_directory import wait_for_results
from tests.conftest import GROUPS, TAXONOMY


def test_printed_lists_show_each_groups_web_address(browser: Browser, site: Site) -> None:
    urls = {g.id: g.url for g in load_catalog(GROUPS, TAXONOMY).groups}
    page = browser.new_page()
    for path in ("/audience/caregivers-family/", "/groups/?cost=free", "/groups/?q=forum"):
        page.goto(site.url + path)
        if path.startswith("/groups/"):
            wait_for_results(page)
        page.emulate_media(media="print")
        cards = page.locator("main [data-group-id]:visible")
        assert cards.count() > 0, path
        for card in cards.all():
            website = card.locator(".card__website")
            assert website.is_visible()
            address = short_address(urls[card.get_attribute("data-group-id")])
            assert website.text_content() == f"Website: {address}"
        for chrome in (".exit-bar", ".site-nav", ".site-footer", "#finder-facets"):
            assert not page.locator(chrome).first.is_visible(), f"{chrome} printed on {path}"
        page.emulate_media(media="screen")
        assert not page.locator(".card__website").first.is_visible()
    page.close()
