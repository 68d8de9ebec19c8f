"""Privacy and safety in the browser: nothing leaves 127.0.0.1, nothing is stored, and
hostile catalog text never runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site
from tests.browser.test_directory import tick, wait_for_results
from tests.site_helpers import build_site
from tests.test_site import HOSTILE, _hostile_catalog


def privacy_walk(browser: Browser, site: Site) -> None:
    """Home, the directory, a filter, a search, a group page and an article: nothing is
    requested from anywhere but the site, nothing goes wrong, nothing is kept."""
    context = browser.new_context()
    page = context.new_page()
    foreign, errors = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: r.url.startswith(site.origin) or foreign.append(r.url))

    page.goto(site.url + "/")  # home
    page.click("a[href$='groups/'] >> nth=0")  # to the directory
    wait_for_results(page)
    tick(page, "cost", "free")  # filter
    page.fill("#finder-q", "support")  # search
    page.wait_for_url("**q=support**")
    wait_for_results(page)
    page.click("#finder-list a >> nth=0")  # a group page
    page.wait_for_url("**/groups/*/")
    page.goto(site.url + "/guidance/benefits/")  # an article

    assert foreign == []
    assert errors == []
    assert context.cookies() == []
    storage = page.evaluate(
        "async () => [localStorage.length, sessionStorage.length,"
        " (await indexedDB.databases()).length, (await caches.keys()).length]"
    )
    assert storage == [0, 0, 0, 0]
    context.close()


def test_a_visit_makes_no_outside_request_and_stores_nothing(browser: Browser, site: Site) -> None:
    privacy_walk(browser, site)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("hostile")
    output = build_site(folder / "output", groups=_hostile_catalog(folder / "groups.yaml"))
    served = Site(output)
    yield served
    served.stop()


def _nothing_ran(page: Page) -> None:
    injected = page.evaluate(
        "() => [...document.querySelectorAll('img[src=x], [onerror], script:not([src])')]"
        ".filter(e => e.type !== 'application/ld+json').length"
    )
    assert injected == 0


def test_hostile_catalog_text_never_executes(browser: Browser, hostile_site: Site) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/groups/calm-harbour/", "/groups/", "/condition/depression/"):
        page.goto(hostile_site.url + path)
        if path == "/groups/":
            wait_for_results(page)
        _nothing_ran(page)
        assert HOSTILE[0] in page.inner_text("main")  # shown as text
    page.goto(hostile_site.url + "/groups/?q=harbour")
    wait_for_results(page)
    _nothing_ran(page)
    assert "{{ 7*7 }}" in page.inner_text("#finder-list")
    assert dialogs == []
    context.close()


def test_the_content_security_policy_is_enforced(watched_page: Page, site: Site) -> None:
    """An injected inline script is refused by the page's own CSP."""
    page = watched_page
    page.goto(site.url + "/")
    ran = page.evaluate(
        """() => new Promise(resolve => {
            window.__ran = false;
            document.addEventListener('securitypolicyviolation', () => resolve('blocked'));
            const s = document.createElement('script');
            s.textContent = 'window.__ran = true';
            document.body.appendChild(s);
            setTimeout(() => resolve(window.__ran ? 'ran' : 'blocked'), 500);
        })"""
    )
    assert ran == "blocked"
    page.console_errors.clear()  # the refusal itself is reported as a console error
