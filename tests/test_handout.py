"""What hand-outs need from the build: short web addresses, and QR codes made where the page's
address is known when the site is built (and only there)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image

from kindred.catalog import load_catalog
from kindred.site.handout import page_qr, qr_svg, short_address
from tests.conftest import GROUPS, TAXONOMY
from tests.site_helpers import SUBPATH_SITEURL, read_page


@pytest.mark.parametrize(
    ("url", "short"),
    [
        ("https://www.samaritans.org/", "samaritans.org"),
        ("https://WWW.Example.org/join/", "example.org/join/"),
        ("http://forum.example.org/t?id=3", "forum.example.org/t?id=3"),
        ("https://www.org/", "www.org"),  # "www" is the whole name here, not a prefix
        ("https://intranet.example:8443/care", "intranet.example:8443/care"),
    ],
)
def test_short_addresses_are_what_people_write(url: str, short: str) -> None:
    assert short_address(url) == short


def test_a_qr_code_reads_back_as_its_address() -> None:
    url = "https://intranet.example/wellbeing/support/groups/some-group/"
    svg = qr_svg(url, "QR code: some group")
    assert svg.startswith('<svg role="img" ') and "<title>QR code: some group</title>" in svg
    # The same code as a picture, read as a phone's camera would.
    picture = io.BytesIO()
    segno.make(url, error="m", micro=False).save(picture, kind="png", scale=6, border=4)
    picture.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(picture))] == [url]


def test_no_code_without_an_absolute_address() -> None:
    assert page_qr("", "groups/x/") == ""
    assert "<svg" in page_qr(SUBPATH_SITEURL, "groups/x/")


def _codes(output: Path, path: str) -> tuple[int, int]:
    page = read_page(output / path)
    built = sum(1 for a in page.attrs("svg") if a.get("class") == "qr")
    live = sum(1 for a in page.attrs("div") if "data-qr-live" in a)
    return built, live


def test_publish_builds_make_codes_and_relative_builds_leave_them_to_the_browser(
    published_site: Path, relative_site: Path
) -> None:
    group = load_catalog(GROUPS, TAXONOMY).groups[0].id
    published, relative = published_site, relative_site
    group_page = f"groups/{group}/index.html"
    assert _codes(published, group_page) == (1, 0)
    assert _codes(published, "condition/depression/index.html") == (1, 0)
    assert _codes(published, "guidance/benefits/index.html") == (1, 0)
    assert _codes(published, "groups/index.html") == (0, 1)  # the directory's view is live
    assert _codes(relative, group_page) == (0, 1)
    assert _codes(relative, "guidance/benefits/index.html") == (0, 0)
    assert _codes(relative, "404.html") == (0, 0)
    text = (published / group_page).read_text(encoding="utf-8")
    assert f"{short_address(SUBPATH_SITEURL)}/groups/{group}/" in text
