"""Accessibility in a real browser: axe-core on every page type, keyboard, motion, zoom."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site
from tests.browser.pages import DIRECTORY_VIEWS, page_types
from tests.browser.test_directory import wait_for_results
from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = page_types()


@pytest.fixture(scope="module")
def axe_source() -> str:
    return read_axe()


def read_axe() -> str:
    """axe-core's script; skips the test locally when it is not installed, fails in CI."""
    if not AXE.is_file():
        message = f"{AXE} is missing: run `npm ci` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def open_page(page: Page, site: Site, path: str) -> None:
    page.goto(site.url + path)
    if path in DIRECTORY_VIEWS.values():
        wait_for_results(page)


# The rules a colour scheme can change: the dark scheme sets colours alone (see
# test_the_dark_scheme_changes_colours_alone), so everything else reads as in the light one.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page: Page, axe_source: str, rules: list[str] | None = None) -> list[str]:
    """Every violation of the WCAG and best-practice rules (or of ``rules`` alone)."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    # audit runs against the site exactly as served.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    found = page.evaluate(
        "only => axe.run(document, {runOnly: only})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))",
        only,
    )
    return found


def audit_both_schemes(page: Page, axe_source: str, name: str) -> dict[str, list[str]]:
    """Every rule in the light scheme, the colour rules again in the dark one: the page's
    violations by "name, scheme". The page is left in the light scheme."""
    failures = {}
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        page.emulate_media(color_scheme=scheme)
        violations = axe_violations(page, axe_source, rules)
        if violations:
            failures[f"{name}, {scheme}"] = violations
    page.emulate_media(color_scheme="light")
    return failures


# Text at twice its size: what scrolls sideways or is clipped.
TEXT_AT_200_PERCENT = """() => {
    document.documentElement.style.fontSize = '200%';
    const out = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
        out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
    for (const el of document.querySelectorAll('body *')) {
        const s = getComputedStyle(el);
        const cut = v => v === 'hidden' || v === 'clip';
        const clips = cut(s.overflowX) || cut(s.overflowY);
        const over = el.scrollWidth > el.clientWidth + 1
            || el.scrollHeight > el.clientHeight + 1;
        const shown = el.offsetParent !== null
            && !el.classList.contains('visually-hidden');
        if (clips && shown && over)
            out.push('clipped: ' + el.tagName + '.' + el.className);
    }
    return out;
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_type_has_no_axe_violations_and_its_text_resizes_to_200_percent(
    browser: Browser, site: Site, axe_source: str, width: int
) -> None:
    """Two checks on each page as loaded once, every failure of either reported: axe, every
    rule in the light scheme and the colour rules again in the dark one; then the text at
    200 %, which loses nothing (no sideways scrolling, nothing clipped)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
    page = context.new_page()
    failures = {}
    for name, path in PAGES.items():
        open_page(page, site, path)
        failures.update(audit_both_schemes(page, axe_source, name))
        lost = page.evaluate(TEXT_AT_200_PERCENT)  # last: it changes the page
        if lost:
            failures[f"{name}, text at 200 %"] = lost
    context.close()
    assert failures == {}


def test_the_dark_scheme_changes_colours_alone() -> None:
    """What lets the dark scheme's audit keep to the colour rules: the style sheet's dark
    scheme sets custom properties and nothing else."""
    css = (ROOT / "theme" / "static" / "css" / "kindred.css").read_text(encoding="utf-8")
    blocks = re.findall(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", css, re.DOTALL)
    assert blocks
    for block in blocks:
        rules = re.findall(r"([^{}]+)\{([^{}]*)\}", block)
        assert [selector.strip() for selector, _ in rules] == [":root"]
        declarations = [d.strip() for d in rules[0][1].split(";") if d.strip()]
        assert declarations and all(d.startswith("--") for d in declarations), declarations


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {
            id: el.id, tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40),
            facet: (el.closest('[data-facet]') || {dataset: {}}).dataset.facet || '',
            group: (el.closest('[data-group-id]') || {dataset: {}}).dataset.groupId || '',
            visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'
                     || style.backgroundColor === 'rgb(255, 221, 0)',
        };
    }"""
    )


def test_keyboard_alone_reaches_and_operates_the_filters_and_results(
    watched_page: Page, site: Site
) -> None:
    page = watched_page
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, site, "/groups/")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stop = focused(page)
        assert stop["visible"], f"no visible focus on {stop}"
        stops.append(stop)
        if stop["group"]:
            break
    ids = [s["id"] for s in stops]
    # A logical order: search first, then the filter panel, then results.
    search, panel = ids.index("finder-q"), ids.index("finder-filters-title")
    first_facet = next(i for i, s in enumerate(stops) if s["facet"])
    first_result = next(i for i, s in enumerate(stops) if s["group"])
    assert stops[0]["text"] == "Skip to main content"
    assert search < panel < first_facet < first_result

    # Operate a filter with the keyboard: open the facet, tick a value with Space.
    page.focus("details.facet[data-facet='cost'] summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "f-cost-free"
    page.keyboard.press("Space")
    wait_for_results(page)
    assert page.url.endswith("?cost=free")
    # Remove it again from its chip with Enter; the choice and the URL follow.
    page.focus("button.chip[data-slug='free']")
    page.keyboard.press("Enter")
    wait_for_results(page)
    assert page.url.endswith("/groups/")
    expect(page.locator("#f-cost-free")).not_to_be_checked()


def test_reduced_motion_is_respected(browser: Browser, site: Site) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    for path in ("/", "/groups/", "/guidance/benefits/"):
        open_page(page, site, path)
        moving = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(el => {
                const s = getComputedStyle(el);
                const long = v => v.split(',').some(t => parseFloat(t) > 0.01);
                return long(s.transitionDuration) || long(s.animationDuration);
            }).map(el => el.tagName + '.' + el.className)"""
        )
        assert moving == [], path
        assert (
            page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") != "smooth"
        )
    context.close()


def _states(page: Page, site: Site) -> Iterator[str]:
    """Puts the page in each state that only exists after a tap or a click, and names it."""
    page.goto(site.url + "/groups/?condition=depression")
    wait_for_results(page)
    if page.locator("#finder-open-sheet").is_visible():
        page.click("#finder-open-sheet")
        page.locator("#finder-sheet details.facet").first.locator("summary").click()
        yield "filter sheet open"
        page.keyboard.press("Escape")
    page.click("#finder-list a >> nth=0")
    page.wait_for_url("**/groups/*/")
    yield "group page with back to results"
    page.goto(site.url + "/choose/")
    page.locator(".chooser__step input").first.check()
    page.click("#chooser [data-step=next]")
    yield "help me choose, second question"


@pytest.mark.parametrize("width", [375, 1280])
def test_no_axe_violations_in_states_reached_by_tapping(
    browser: Browser, site: Site, axe_source: str, width: int
) -> None:
    """Every rule in the light scheme; the colour rules again in the dark scheme."""
    context = browser.new_context(viewport={"width": width, "height": 812}, color_scheme="light")
    page = context.new_page()
    failures = {}
    for state in _states(page, site):
        failures.update(audit_both_schemes(page, axe_source, state))
    context.close()
    assert failures == {}
