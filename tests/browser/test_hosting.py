"""The site as a static host serves it, with the headers of the _headers file the build wrote
(tests/headers_file.py reads it as Netlify and Cloudflare Pages do): the privacy walk still
holds, and only the intranet the settings name may show the embedded finder in a frame."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kindred.site.server_files import header_policy
from tests.browser.conftest import Site
from tests.browser.test_directory import expected_ids, result_ids, show_all, wait_for_results
from tests.browser.test_privacy import privacy_walk
from tests.conftest import overlay_catalog


def test_the_privacy_walk_holds_under_the_hosts_headers(
    browser: Browser, overlay_site: Site, intranet: Site
) -> None:
    with urllib.request.urlopen(overlay_site.url + "/groups/") as response:
        assert response.headers["Content-Security-Policy"] == header_policy([intranet.origin])
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Permissions-Policy"]
    privacy_walk(browser, overlay_site)


def frame_page(intranet: Site, name: str, src: str) -> str:
    """An intranet page that shows ``src`` in a frame; its address."""
    Path(intranet.root, name).write_text(  # type: ignore[attr-defined]
        '<!doctype html><html lang="en"><title>Intranet</title>'
        f'<iframe src="{src}" title="Find a support group" width="800" height="900"></iframe>',
        encoding="utf-8",
    )
    return f"{intranet.url}/{name}"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Site]:
    """A site the settings do not name (another port: another origin)."""
    served = Site(tmp_path)
    served.root = tmp_path  # type: ignore[attr-defined]
    yield served
    served.stop()


def test_the_named_intranet_can_frame_the_finder_with_its_filters(
    page: Page, overlay_site: Site, intranet: Site
) -> None:
    catalog = overlay_catalog()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(frame_page(intranet, "wellbeing.html", f"{overlay_site.url}/embed/?cost=free"))
    frame = page.frame_locator("iframe")
    expect(frame.locator("#finder:not([hidden]):not([aria-busy])")).to_be_visible()
    expect(frame.locator("#f-cost-free")).to_be_checked()
    inner = page.frames[1]
    show_all(inner)
    assert result_ids(inner) == expected_ids(catalog, {"cost": ["free"]})
    expect(frame.locator("#finder-count")).to_contain_text(str(len(result_ids(inner))))
    # Words typed in the frame search, as on the full site.
    word = catalog.groups[0].name.split()[0]
    frame.locator("#finder-q").fill(word)
    inner.wait_for_url(f"**/embed/?q={word}&cost=free")
    wait_for_results(inner)
    expect(frame.locator("#finder-count")).to_contain_text(f"\u201c{word}\u201d")
    assert result_ids(inner) and errors == []
    frame.locator("#finder-q").fill("")
    inner.wait_for_url("**/embed/?cost=free")
    wait_for_results(inner)
    with page.expect_popup() as opened:
        frame.locator("#embed-full-site").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url == f"{overlay_site.url}/groups/?cost=free"
    wait_for_results(full)


def test_a_site_not_named_cannot_frame_it(page: Page, overlay_site: Site, elsewhere: Site) -> None:
    refused = []
    page.on("console", lambda m: "frame-ancestors" in m.text and refused.append(m.text))
    page.goto(frame_page(elsewhere, "copy.html", f"{overlay_site.url}/embed/"))
    page.wait_for_timeout(500)
    assert refused
    assert page.frame_locator("iframe").locator("#finder").count() == 0
