"""The quick exit on every page: a click or Escape three times leaves for a neutral site,
and Back does not return to Kindred."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site
from tests.browser.test_hosting import frame_page
from tests.browser.test_phone import PHONE

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


def test_the_filter_sheet_has_its_own_way_out(browser: Browser, site: Site) -> None:
    """The sheet covers the page and its exit bar: its exit must be one tap away too."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.route("https://www.bbc.co.uk/**", lambda r: r.fulfill(body="<h1>Weather</h1>"))
    page.goto(site.url + "/groups/")
    page.click("#finder-open-sheet")
    exit_link = page.locator("#finder-sheet a.sheet__exit")
    expect(exit_link).to_be_visible()
    box = exit_link.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 44  # on screen, a thumb's size
    page.set_viewport_size({"width": 320, "height": 568})  # the narrowest phones: all of it
    box = exit_link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    exit_link.tap()
    page.wait_for_url(NEUTRAL)
    context.close()


@pytest.mark.parametrize("size", [(320, 568), (390, 844), (812, 375), (640, 360), (568, 320)])
def test_the_exit_and_the_helplines_stay_one_tap_away_while_scrolling(
    browser: Browser, site: Site, size: tuple[int, int]
) -> None:
    """Far down a long page, on a phone upright or on its side, the crisis band has scrolled
    away; the bar that keeps the way out in view keeps the way to the helplines too, both
    within a thumb's reach, in one row."""
    width, height = size
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": height}})
    page = context.new_page()
    page.goto(site.url + "/guidance/benefits/")
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => window.scrollY > 1000")
    expect(page.locator(".crisis")).not_to_be_in_viewport()
    bar = page.get_by_role("region", name="Help and quick exit")
    help_link = bar.get_by_role("link", name="Get help", exact=True)
    boxes = [help_link.bounding_box(), bar.locator("a.quick-exit").bounding_box()]
    for box in boxes:
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height
        assert box["height"] >= 44 and box["width"] >= 44  # a target a thumb can hit
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < boxes[0]["height"]  # one row, no taller bar
    help_link.tap()
    page.wait_for_url("**/get-help/")
    expect(page.locator("h1")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_at_400_percent_zoom_the_bar_keeps_to_one_row_with_a_keyboard(
    browser: Browser, site: Site, width: int
) -> None:
    """A desktop zoomed to 400 % is as narrow as a phone but has a keyboard, which shows the
    Escape hint: the bar must not grow a second row over what the keyboard reaches."""
    context = browser.new_context(viewport={"width": width, "height": 256})
    page = context.new_page()
    page.goto(site.url + "/guidance/benefits/")
    page.keyboard.press("Tab")
    bar = page.locator(".exit-bar")
    boxes = [
        bar.locator(".exit-bar__help").bounding_box(),
        bar.locator("a.quick-exit").bounding_box(),
    ]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < boxes[0]["height"]
    bar_box = bar.bounding_box()
    assert bar_box and bar_box["height"] < 2 * boxes[1]["height"]
    context.close()


def test_the_framed_finder_leaves_the_whole_page(
    browser: Browser, overlay_site: Site, intranet: Site
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("https://www.bbc.co.uk/**", lambda r: r.fulfill(body="<h1>Weather</h1>"))
    page.goto(frame_page(intranet, "exit.html", f"{overlay_site.url}/embed/"))
    page.frame_locator("iframe").locator("a.quick-exit").click()
    page.wait_for_url(NEUTRAL)  # the intranet page itself, not only the frame
    context.close()
