"""The quick exit on every page: a click or Escape three times leaves for a neutral site,
and Back does not return to Kindred."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site

NEUTRAL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def exit_page(browser: Browser) -> Page:
    context = browser.new_context()
    page = context.new_page()
    # Stand in for the neutral site, so the test never leaves this machine.
    page.route("https://www.bbc.co.uk/**", lambda r: r.fulfill(body="<h1>Weather</h1>"))
    yield page
    context.close()


def test_escape_three_times_leaves_and_back_does_not_return(exit_page: Page, site: Site) -> None:
    page = exit_page
    page.goto(site.url + "/")  # where the reader came from
    page.goto(site.url + "/guidance/benefits/")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == site.url + "/"  # the article was replaced in the history


def test_two_escapes_do_nothing(exit_page: Page, site: Site) -> None:
    page = exit_page
    page.goto(site.url + "/groups/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == site.url + "/groups/"


def test_the_exit_button_leaves_at_once(exit_page: Page, site: Site) -> None:
    page = exit_page
    page.goto(site.url + "/")
    page.goto(site.url + "/groups/")
    page.click("a.quick-exit")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == site.url + "/"


def test_without_javascript_the_exit_is_still_a_link(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/get-help/")
    link = page.locator("a.quick-exit")
    assert link.get_attribute("href") == NEUTRAL
    assert link.get_attribute("rel") == "noopener noreferrer"
    context.close()
