"""The example organisation's edition in the browser: its brand and colours as drawn, zero axe
violations on every page type it changes, and the share kit on the page for employers."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from kindred.site.plugin import OVERLAY_OUTPUT
from tests.browser.conftest import Site
from tests.browser.test_accessibility import audit_both_schemes, read_axe
from tests.browser.test_directory import wait_for_results
from tests.conftest import overlay_catalog
from tests.test_overlay import example


def kit_path() -> str:
    return "/guidance/for-employers/"


def overlay_pages() -> dict[str, str]:
    own = next(group for group in overlay_catalog().groups if group.added_by)
    return {
        "home": "/",
        "directory filtered": "/groups/?condition=depression&cost=free",
        "own listing": f"/groups/{own.id}/",
        "facet value page": "/cost/free/",
        "embedded finder": "/embed/?format=video",
        "share kit": kit_path(),
        "404": "/404.html",
    }


@pytest.fixture(scope="module")
def axe_source() -> str:
    return read_axe()


def open_page(page: Page, site: Site, path: str) -> None:
    page.goto(site.url + path)
    if path.startswith(("/groups/?", "/embed/")):
        wait_for_results(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_no_axe_violations_in_the_example_edition(
    browser: Browser, overlay_site: Site, axe_source: str, width: int
) -> None:
    """Every rule in the light scheme, the colour rules again in the dark one: the edition's
    stylesheet, like the theme's dark scheme, sets colours (custom properties) alone."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
    page = context.new_page()
    response = page.request.get(f"{overlay_site.url}/{OVERLAY_OUTPUT}colours.css")
    assert response.ok
    css = response.text()
    declarations = re.findall(r"([^{};]+):[^{};]+[;}]", re.sub(r"/\*.*?\*/", "", css))
    assert declarations and all(d.strip().startswith("--") for d in declarations), css
    failures = {}
    for name, path in overlay_pages().items():
        open_page(page, overlay_site, path)
        failures.update(audit_both_schemes(page, axe_source, name))
    # The share kit with its result shown, as an HR person sees it.
    view = quote(f"{overlay_site.url}/groups/?cost=free", safe="")
    page.goto(f"{overlay_site.url}{kit_path()}?view={view}")
    expect(page.locator("#share-kit-result")).to_be_visible()
    failures.update(audit_both_schemes(page, axe_source, "share kit, made"))
    context.close()
    assert failures == {}


def rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_the_header_shows_the_organisation_and_its_colours(page: Page, overlay_site: Site) -> None:
    settings = example()
    page.goto(overlay_site.url + "/")
    expect(page.locator(".brand__org")).to_have_text(settings["name"])
    logo = page.locator(".brand__logo")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    band = page.locator(".crisis").evaluate("e => getComputedStyle(e).backgroundColor")
    assert band == rgb(settings["colours"]["band"])
    link = page.locator("main a").first.evaluate("e => getComputedStyle(e).color")
    assert link == rgb(settings["colours"]["link"])
    expect(page.locator(".welcome")).to_contain_text("Larkspur & Vale colleagues")
    expect(page.locator(".crisis .eap")).to_contain_text(settings["eap"]["name"])


def qr_text(page: Page, selector: str) -> list[str]:
    picture = Image.open(io.BytesIO(page.locator(selector).screenshot()))
    return [result.text for result in zxingcpp.read_barcodes(picture)]


def test_the_share_kit_makes_a_link_a_qr_code_and_a_paragraph(
    page: Page, overlay_site: Site
) -> None:
    view = f"{overlay_site.url}/groups/?condition=depression&cost=free"
    page.goto(f"{overlay_site.url}/groups/?condition=depression&cost=free")
    wait_for_results(page)
    page.click("#share-kit-link")  # from the directory: "Share this view with staff"
    expect(page.locator("#share-kit-result")).to_be_visible()
    assert page.input_value("#share-kit-link-out") == view
    assert qr_text(page, "#share-kit-qr") == [view]
    text = page.input_value("#share-kit-text")
    assert "Online support groups for Condition: Depression; Cost: Free: " + view in text
    eap = example()["eap"]
    assert f"contact {eap['name']} on {eap['phone']}" in text

    page.fill("#share-kit-url", "https://elsewhere.example/groups/")
    page.click("#share-kit-make")
    expect(page.locator("#share-kit-error")).to_contain_text("not a link to")
    expect(page.locator("#share-kit-result")).to_be_hidden()

    page.fill("#share-kit-url", f"{overlay_site.url}/cost/free/")  # a facet page works too
    page.keyboard.press("Enter")
    expect(page.locator("#share-kit-describe")).to_contain_text("Cost: Free")
    assert qr_text(page, "#share-kit-qr") == [f"{overlay_site.url}/cost/free/"]


def test_the_share_kit_reads_a_link_as_the_directory_does(page: Page, overlay_site: Site) -> None:
    """Values in another case or by another name are read, and the kit gives the tidy link;
    what the directory would leave out is named, never passed on silently."""
    catalog = overlay_catalog()
    facet = catalog.taxonomy.with_role("filter")[0]
    value, name = next(
        (v, n)
        for v in facet.values
        for n in v.other_names
        if catalog.groups_matching(facet.key, v.slug)
    )
    single = next(f for f in catalog.taxonomy.with_role("filter") if not f.multiple)
    other = next(v for v in single.values if catalog.groups_matching(single.key, v.slug))
    page.goto(f"{overlay_site.url}/guidance/for-employers/")
    asked = f"{facet.key.upper()}={quote(name)},Bogus&{single.key}={other.slug.upper()}"
    asked += "&constructor=1"  # a name the browser's own objects have is no filter either
    page.fill("#share-kit-url", f"{overlay_site.url}/groups/?{asked}")
    page.click("#share-kit-make")
    expect(page.locator("#share-kit-result")).to_be_visible()
    tidy = f"{overlay_site.url}/groups/?{facet.key}={value.slug}&{single.key}={other.slug}"
    assert page.input_value("#share-kit-link-out") == tidy
    assert qr_text(page, "#share-kit-qr") == [tidy]
    shown = f"{facet.label}: {value.label}; {single.label}: {other.label}"
    describe = page.locator("#share-kit-describe")
    expect(describe).to_contain_text(shown)
    expect(describe).to_contain_text(
        f"\u201cBogus\u201d is not one of the choices for {facet.label}"
    )
    expect(describe).to_contain_text("\u201cconstructor\u201d is not a filter")
    assert f"for {shown}: {tidy}" in page.input_value("#share-kit-text")
