"""Printed hand-outs, printed for real: Chromium's PDF of the page, read back with pypdf (pages
and text) and rendered with PDFium so the QR code on paper is decoded as a phone would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import random
import re
import string
import unicodedata

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from kindred.catalog import Catalog, load_catalog
from tests.browser.conftest import Site
from tests.browser.test_directory import expected_ids, show_all, wait_for_results
from tests.conftest import GROUPS, TAXONOMY, overlay_catalog
from tests.test_overlay import example

# Headless Chromium has no print dialog: the page's call to window.print() is recorded
# instead, and the test prints with page.pdf(), which lays the page out for print exactly as
# the dialog would (and fires beforeprint first).
RECORD_PRINT = "window.print = () => document.documentElement.setAttribute('data-printed', '')"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return overlay_catalog()


@pytest.fixture
def printer(browser: Browser) -> Page:
    context = browser.new_context()
    context.add_init_script(RECORD_PRINT)
    page = context.new_page()
    yield page
    context.close()


def view_with(catalog: Catalog, low: int, high: int | None = None) -> dict[str, list[str]]:
    """Filters (one value, or two of different facets) that find from ``low`` to ``high``
    groups (exactly ``low`` without ``high``)."""
    choices = [
        (facet.key, value.slug)
        for facet in catalog.taxonomy.with_role("filter")
        for value in facet.values
    ]
    for size in (1, 2):
        for combination in itertools.combinations(choices, size):
            keys = [key for key, _ in combination]
            if len(set(keys)) < size:
                continue
            filters = {key: [slug] for key, slug in combination}
            if low <= len(expected_ids(catalog, filters)) <= (high or low):
                return filters
    raise AssertionError(f"no view of {low} to {high or low} groups in the catalog")


def query(filters: dict[str, list[str]]) -> str:
    return "?" + "&".join(f"{key}={','.join(slugs)}" for key, slugs in filters.items())


def print_handout(page: Page) -> bytes:
    page.click("#handout-print")
    page.wait_for_selector("html[data-printed]")
    return page.pdf(format="A4")


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    """All the text, with ligatures undone (pypdf gives "ﬁ" for "fi")."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def squeezed(text: str) -> str:
    """Text without spaces or line breaks, where a line may have wrapped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def qr_codes(data: bytes) -> list[str]:
    """What every QR code printed in the PDF says, page by page, as a camera reads it."""
    found = []
    document = pypdfium2.PdfDocument(data)
    for index in range(len(document)):
        image = document[index].render(scale=2).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    document.close()
    return found


def today() -> str:
    day = dt.date.today()
    return f"{day.day} {day.strftime('%B %Y')}"


def test_twelve_groups_print_on_two_a4_pages_with_all_a_hand_out_needs(
    printer: Page, overlay_site: Site, catalog: Catalog
) -> None:
    filters = view_with(catalog, 12)
    printer.goto(f"{overlay_site.url}/groups/{query(filters)}")
    wait_for_results(printer)
    pdf = print_handout(printer)

    assert pdf_pages(pdf) <= 2
    text = pdf_text(pdf)
    labels = [
        f"{catalog.taxonomy.facet(key).label}: {catalog.taxonomy.facet(key).value(slugs[0]).label}"
        for key, slugs in filters.items()
    ]
    assert squeezed("Support groups: " + "; ".join(labels)) in squeezed(text)
    for group_id in expected_ids(catalog, filters):
        assert squeezed(catalog.group(group_id).name) in squeezed(text), group_id
    eap = example()["eap"]
    assert squeezed(eap["name"]) in squeezed(text) and squeezed(eap["phone"]) in squeezed(text)
    assert squeezed(f"on {today()}") in squeezed(text)
    assert qr_codes(pdf) == [printer.url]


def test_the_hand_out_holds_every_match_not_only_those_shown(
    printer: Page, overlay_site: Site, catalog: Catalog
) -> None:
    for path in (query(view_with(catalog, 20, 40)), "?q=forum"):
        printer.goto(f"{overlay_site.url}/groups/{path}")
        wait_for_results(printer)
        shown_first = printer.locator("#finder-list [data-group-id]").count()
        pdf = print_handout(printer)
        show_all(printer)
        every = printer.locator("#finder-list [data-group-id]").evaluate_all(
            "cards => cards.map(c => c.dataset.groupId)"
        )
        assert len(every) > shown_first  # more than the finder had loaded
        text = squeezed(pdf_text(pdf))
        missing = [i for i in every if squeezed(catalog.group(i).name) not in text]
        assert missing == [], path
        assert qr_codes(pdf) == [printer.url]
        # Compact cards: the hand-out's facts alone, each once, one separator between two.
        printed = pdf_text(pdf)
        others = [f for f in catalog.taxonomy.with_role("card") if not f.roles.handout]
        assert others and not [f.label for f in others if f"{f.label}:" in printed]
        assert "··" not in text
        print(f"hand-out of {len(every)} groups ({path}): {pdf_pages(pdf)} A4 pages")


def test_printing_without_the_button_prints_the_groups_shown_and_says_so(
    printer: Page, overlay_site: Site, catalog: Catalog
) -> None:
    filters = view_with(catalog, 20, 40)
    printer.goto(f"{overlay_site.url}/groups/{query(filters)}")
    wait_for_results(printer)
    text = pdf_text(printer.pdf(format="A4"))  # as Ctrl+P would
    total = len(expected_ids(catalog, filters))
    assert f"The first 12 of {total} groups" in text
    assert "Support groups: " in text


def test_a_group_page_prints_on_one_page_with_its_own_qr_code(
    printer: Page, overlay_site: Site, catalog: Catalog
) -> None:
    own = next(group for group in catalog.groups if group.added_by)
    printer.goto(f"{overlay_site.url}/groups/{own.id}/")
    printer.click("[data-print-page]")
    printer.wait_for_selector("html[data-printed]")
    pdf = printer.pdf(format="A4")
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert squeezed(own.name) in squeezed(text)
    assert f"Added by {own.added_by}" in text
    assert squeezed(own.url.removeprefix("https://")) in squeezed(text)
    assert squeezed(example()["eap"]["phone"]) in squeezed(text)
    # Made when the site was built (segno), since a publish build knows its address.
    assert printer.locator(".handout-box svg.qr").count() == 1
    assert printer.locator(".handout-box [data-qr-live]").count() == 0
    assert qr_codes(pdf) == [f"{overlay_site.url}/groups/{own.id}/"]


def printed_length(group) -> int:
    """How much a group's page prints besides what every page does: its own words."""
    values = [getattr(group, field.name) for field in dataclasses.fields(group)]
    return sum(len(value) for value in values if isinstance(value, str))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_groups_with_most_to_say_print_on_one_sheet_with_the_eap(
    printer: Page, overlay_site: Site, catalog: Catalog, paper: str
) -> None:
    """A one-group hand-out is one sheet, even in an edition whose box adds the EAP: the
    crisis lines are never left alone on a second sheet. Each fact prints once."""
    longest = sorted(catalog.groups, key=printed_length, reverse=True)[:4]
    for group in longest:
        printer.goto(f"{overlay_site.url}/groups/{group.id}/")
        pdf = printer.pdf(format=paper)
        text = pdf_text(pdf)
        assert pdf_pages(pdf) == 1, (group.id, paper)
        assert "If you need to talk to someone now" in text
        about = " ".join(group.description.split()[:8])
        assert squeezed(text).count(squeezed(about)) == 1, group.id  # no summary repeating it


def test_in_a_relative_build_group_pages_draw_their_code_in_the_browser(
    printer: Page, site: Site
) -> None:
    first = load_catalog(GROUPS, TAXONOMY).groups[0].id
    printer.goto(f"{site.url}/groups/{first}/")
    pdf = printer.pdf(format="A4")
    assert printer.locator(".handout-box [data-qr-live] svg.qr").count() == 1
    assert qr_codes(pdf) == [f"{site.url}/groups/{first}/"]
    assert pdf_pages(pdf) == 1


def drawn_modules(page: Page, text: str) -> tuple[int, set[tuple[int, int]]]:
    """The QR code the browser draws for ``text``: its width in modules (quiet zone included)
    and its dark modules."""
    drawn = page.evaluate(
        """text => {
            const svg = window.kindredQr(text, "code");
            return svg && [svg.getAttribute("viewBox"), svg.lastChild.getAttribute("d")];
        }""",
        text,
    )
    assert drawn, f"no code for {len(text)} characters"
    width = int(drawn[0].split()[2])
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", drawn[1])}
    return width, dark


def scanned(width: int, dark: set[tuple[int, int]]) -> list[str]:
    """What a camera reads from a code drawn 4 pixels to the module."""
    modules = Image.new("L", (width, width), 255)
    modules.putdata([0 if (x, y) in dark else 255 for y in range(width) for x in range(width)])
    image = modules.resize((width * 4, width * 4), Image.Resampling.NEAREST)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in found]


# The most bytes a code of each version holds at error correction level M (ISO/IEC 18004,
# byte mode): version 1 holds 14, version 40 holds 2,331.
CAPACITY_M = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560,
    624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809,
    1911, 1989, 2099, 2213, 2331]  # fmt: skip


def test_codes_drawn_in_the_browser_read_back_in_every_size(page: Page, site: Site) -> None:
    """At each version's limits (the most it holds, and one byte more, which takes the next
    version), the code is the smallest that holds the text, and a camera reads the text
    back; text longer than any code holds gets none."""
    page.goto(f"{site.url}/groups/")
    randomly = random.Random(17)
    alphabet = string.ascii_letters + string.digits + "/?&=:.-_%,é✓😊"
    texts = []
    for version, most in enumerate(CAPACITY_M, start=1):
        for size, expected in ((most, version), (most + 1, version + 1)):
            text = ""
            while len(text.encode()) < size:  # characters of 1 to 4 bytes, to the byte
                more = randomly.choice(alphabet)
                text += more if len((text + more).encode()) <= size else "x"
            texts.append((text, expected))
    for text, version in texts:
        if version > 40:
            assert page.evaluate("text => window.kindredQr(text, 'code')", text) is None
            continue
        width, dark = drawn_modules(page, text)
        assert width == 17 + 4 * version + 8, (len(text.encode()), version)
        assert scanned(width, dark) == [text], (len(text.encode()), version)


def test_a_group_page_prints_its_lists_as_words_and_commas(printer: Page, site: Site) -> None:
    catalog = load_catalog(GROUPS, TAXONOMY)
    tags = catalog.taxonomy.on_group_page("tags")
    group = next(g for g in catalog.groups if len(g.values(tags[0].key)) > 1)
    printer.goto(f"{site.url}/groups/{group.id}/")
    text = " ".join(pdf_text(printer.pdf(format="A4")).split())
    for facet in tags:
        labels = [value.label for value in group.values(facet.key)]
        assert ", ".join(labels) in text, facet.key


def test_without_javascript_nothing_is_printed_that_only_a_script_could_fill(
    browser: Browser, site: Site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    first = load_catalog(GROUPS, TAXONOMY).groups[0].id
    for path in ("/groups/", f"/groups/{first}/"):  # a relative build: no code is built
        page.goto(f"{site.url}{path}")
        text = pdf_text(page.pdf(format="A4"))
        assert "Scan to open" not in text, path
        assert "need JavaScript" not in text, path
        assert "If you need to talk to someone now" in text, path
    context.close()
