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


def test_on_short_phones_every_group_page_shows_the_way_in_on_the_first_screen(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    """The hand-out's facts lead there (the others follow under "What to expect"), so the
    Visit button is whole on the first screen: on every page at 360 by 640, and on nearly
    every page at 320 by 568, where long names and summaries take more lines."""
    sizes = [(360, 640), (320, 568)]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    handout = {facet.label for facet in catalog.taxonomy.with_role("handout")}
    shown = dict.fromkeys(sizes, 0)
    for group in catalog.groups:
        page.goto(f"{site.url}/groups/{group.id}/")
        for width, height in sizes:  # the same page, laid out again at each size
            page.set_viewport_size({"width": width, "height": height})
            seen = page.evaluate(FIRST_SCREEN)
            shown[(width, height)] += seen["bottom"] <= height
            assert seen["facts"] and set(seen["facts"]) <= handout, (group.id, width)
    context.close()
    assert shown[(360, 640)] == len(catalog.groups)
    assert shown[(320, 568)] >= 0.8 * len(catalog.groups), shown
