"""Short phone screens (360 by 640, 320 by 568): every group page shows the way in on its
first screen. Apart from test_phone.py, which works at 375 by 812, as a file of its own: it
opens every group page, and the suite runs a file per worker."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from kindred.catalog import Catalog, load_catalog
from tests.browser.conftest import Site
from tests.browser.test_phone import PHONE
from tests.conftest import GROUPS, TAXONOMY


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


FIRST_SCREEN = """() => {
    const box = document.querySelector(".visit a.button").getBoundingClientRect();
    const facts = [...document.querySelectorAll(".group__facts > div")]
        .filter((fact) => fact.checkVisibility())
        .map((fact) => fact.querySelector("dt").textContent);
    return {bottom: box.bottom, facts};
}"""

# The next group page in the same document: its body, laid out with the same style sheet, and
# its scripts run again as a load runs them. A page load costs ten times as much, and the
# test lays out every group page.
NEXT_PAGE = """async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const scripts = [...next.querySelectorAll("script[src]")]; // the body's too, before it moves
    history.replaceState(null, "", url);
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    await Promise.all(scripts.map((old) => new Promise(
        (loaded, failed) => {
            const script = document.createElement("script");
            script.src = old.src;
            script.onload = loaded;
            script.onerror = () => failed(new Error(old.src));
            document.head.append(script);
        })));
}"""

SIZES = [(360, 640), (320, 568)]


def test_on_short_phones_every_group_page_shows_the_way_in_on_the_first_screen(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    """The hand-out's facts lead there (the others follow under "What to expect"), so the
    Visit button is whole on the first screen: on every page at 360 by 640, and on nearly
    every page at 320 by 568 (19 in 20), where the longest names and organisations take
    more lines than the screen has."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    handout = {facet.label for facet in catalog.taxonomy.with_role("handout")}
    shown = dict.fromkeys(SIZES, 0)
    urls = [f"{site.url}/groups/{group.id}/" for group in catalog.groups]
    page.goto(urls[0])
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for group, url in zip(catalog.groups, urls, strict=True):
            if url != page.url:
                page.evaluate(NEXT_PAGE, url)
            seen = page.evaluate(FIRST_SCREEN)
            shown[(width, height)] += seen["bottom"] <= height
            assert seen["facts"] and set(seen["facts"]) <= handout, (group.id, width)
        # The last page, loaded afresh, lays out as it did in the same document.
        page.goto(urls[-1])
        assert page.evaluate(FIRST_SCREEN) == seen, width
    context.close()
    assert shown[(360, 640)] == len(catalog.groups)
    assert shown[(320, 568)] >= 0.95 * len(catalog.groups), shown
