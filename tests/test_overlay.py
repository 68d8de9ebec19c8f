"""An organisation's own edition: the example overlay built and checked page by page, and every
mistake in an overlay refused with its file, line and column."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.helplines import load_helplines
from kindred.catalog.overlay import load_overlay
from kindred.catalog.problems import CatalogError
from kindred.site.branding import THEME, colour_problems, contrast_ratio
from kindred.site.devserver import watched_paths
from tests.conftest import EXAMPLE_OVERLAY, GROUPS, HELPLINES, ROOT, TAXONOMY, overlay_catalog
from tests.site_helpers import build_site, html_files, read_page


def example() -> dict:
    return yaml.safe_load((EXAMPLE_OVERLAY / "overlay.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return overlay_catalog()


@pytest.fixture(scope="module")
def output(edition_site: Path) -> Path:
    return edition_site


def text_of(path: Path) -> str:
    return " ".join(" ".join(read_page(path).text).split())


def test_every_page_shows_the_organisations_name_logo_colours_and_eap(output: Path) -> None:
    settings = example()
    eap = settings["eap"]
    assert (output / "overlay" / "logo.svg").read_bytes() == (
        EXAMPLE_OVERLAY / "logo.svg"
    ).read_bytes()
    for file in html_files(output):
        if file.parent.name == "embed":
            continue  # the frame shows no masthead (checked below)
        page = read_page(file)
        logos = [a for a in page.attrs("img") if a.get("class") == "brand__logo"]
        assert len(logos) == 1 and logos[0]["src"].endswith("overlay/logo.svg"), file
        assert logos[0]["alt"] == "", file  # the name beside it says who it is
        assert settings["name"] in text_of(file), file
        sheets = [a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet"]
        assert sheets[-1].endswith("overlay/colours.css"), file
        hrefs = {a.get("href") for a in page.attrs("a")}
        assert "tel:" + eap["phone"].replace(" ", "") in hrefs, file
        assert eap["url"] in hrefs, file
        assert eap["name"] in text_of(file) and eap["hours"] in text_of(file), file
    css = (output / "overlay" / "colours.css").read_text(encoding="utf-8")
    for name, value in settings["colours"].items():
        assert value in css, name


def test_the_home_page_carries_the_welcome(output: Path) -> None:
    assert " ".join(example()["welcome"].split()) in text_of(output / "index.html")


def test_its_own_listing_is_merged_and_marked(output: Path, catalog: Catalog) -> None:
    own = [group for group in catalog.groups if group.added_by]
    assert [g.id for g in own] == ["larkspur-vale-carers-circle"]
    mark = f"Added by {example()['name']}"
    assert mark in text_of(output / "groups" / own[0].id / "index.html")
    directory = output / "groups" / "index.html"
    listed = [
        file for file in html_files(output / "groups") if own[0].id in read_page(file).group_ids()
    ]
    assert listed, "the own listing is in no list"
    assert mark in text_of(listed[0])
    cards = b"".join(gzip.decompress(p.read_bytes()) for p in card_files(output))
    assert mark.encode() in cards.replace(b"&amp;", b"&")
    assert directory.is_file()
    # Problems with it go to the organisation, not to the catalog's public tracker.
    report = "Report a problem with this listing"
    assert report not in text_of(output / "groups" / own[0].id / "index.html")
    main_listing = next(group for group in catalog.groups if not group.added_by)
    assert report in text_of(output / "groups" / main_listing.id / "index.html")


def test_hidden_listings_appear_nowhere(output: Path) -> None:
    hidden = example()["hide"]
    assert hidden and all(load_catalog(GROUPS, TAXONOMY).group(i) for i in hidden)
    for group_id in hidden:
        assert not (output / "groups" / group_id).exists()
        for file in html_files(output):
            assert group_id not in read_page(file).group_ids(), file
        assert f"/groups/{group_id}/" not in (output / "sitemap.xml").read_text(encoding="utf-8")
        for cards in card_files(output):
            assert f'data-group-id="{group_id}"'.encode() not in gzip.decompress(cards.read_bytes())


def card_files(output: Path) -> list[Path]:
    """The finder's cards: in chunks (search/cards-<k>.bin) and alone (search/card/<i>.bin)."""
    search = output / "search"
    return [*search.glob("cards-*.bin"), *search.glob("card/*.bin")]


def test_the_crisis_band_shows_the_chosen_regions_first(output: Path) -> None:
    page = read_page(output / "index.html")
    band = [
        a["href"]
        for a in page.attrs("a")
        if a.get("class") == "tel" and a["href"] != "../get-help/"
    ]
    assert band[0] == "tel:116123"  # Samaritans: United Kingdom and Ireland
    assert "tel:988" not in band


def test_the_embedded_finder_has_no_masthead_and_links_to_the_full_site(output: Path) -> None:
    page = read_page(output / "embed" / "index.html")
    classes = " ".join(a.get("class", "") for a in page.attrs())
    assert "site-nav" not in classes and "masthead" not in classes
    assert any(a.get("id") == "embed-full-site" for a in page.attrs("a"))
    assert any(a.get("id") == "finder" for a in page.attrs("div"))
    assert {"name": "robots", "content": "noindex"} in list(page.attrs("meta"))
    assert "embed/" not in (output / "sitemap.xml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- mistakes


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    folder = tmp_path / "edition"
    shutil.copytree(EXAMPLE_OVERLAY, folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def position(folder: Path, file: str, text: str) -> str:
    """FILE:LINE:COL of the first ``text`` in ``file``."""
    for number, line in enumerate((folder / file).read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return f"{folder / file}:{number}:{line.index(text) + 1}"
    raise AssertionError(f"{text!r} is not in {file}")


def problems(folder: Path) -> list[str]:
    catalog = load_catalog(GROUPS, TAXONOMY)
    regions = frozenset(r.region for r in load_helplines(HELPLINES, catalog.taxonomy))
    try:
        overlay = load_overlay(folder, catalog, regions)
    except CatalogError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in colour_problems(overlay)]


def test_colours_below_wcag_aa_stop_the_build_naming_the_pair_and_ratio(
    edition: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(edition, "overlay.yaml", '"#6b2c91"', '"#b48fd0"')
    with pytest.raises(SystemExit) as stopped:
        build_site(tmp_path / "output", KINDRED_OVERLAY=str(edition))
    assert stopped.value.code == 1
    ratio = contrast_ratio("#ffffff", "#b48fd0")
    where = position(edition, "overlay.yaml", '"#b48fd0"')
    expected = (
        f"{where}: error: colours: 'on_accent' #ffffff on 'accent' #b48fd0 has a contrast "
        f"ratio of {ratio:.2f}:1; WCAG AA needs at least 4.5:1"
    )
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "output").exists()  # nothing half-built is left


def test_a_dark_link_colour_is_checked_against_the_dark_backgrounds(edition: Path) -> None:
    edit(edition, "overlay.yaml", '"#d7b8f5"', '"#5a2480"')
    found = problems(edition)
    where = position(edition, "overlay.yaml", '"#5a2480"   #')
    assert any(p.startswith(where) and "'dark page background'" in p for p in found), found


def test_an_overlays_own_listings_follow_the_catalogs_rules(edition: Path) -> None:
    edit(edition, "listings.yaml", "formats: [video]", "formats: [carrier-pigeon]")
    edit(edition, "listings.yaml", "added: 2026-11-22", "added: 22/11/2026")
    found = problems(edition)
    assert any(
        p.startswith(position(edition, "listings.yaml", "carrier-pigeon"))
        and "'carrier-pigeon' is not a known format" in p
        for p in found
    ), found
    assert any(
        p.startswith(position(edition, "listings.yaml", "22/11/2026")) and "YYYY-MM-DD" in p
        for p in found
    ), found


def test_an_own_listing_may_not_take_a_main_listings_id_or_address(edition: Path) -> None:
    main = load_catalog(GROUPS, TAXONOMY).groups[3]
    edit(edition, "listings.yaml", "id: larkspur-vale-carers-circle", f"id: {main.id}")
    edit(
        edition,
        "listings.yaml",
        "url: https://intranet.larkspur-vale.example/networks/carers/",
        f"url: {main.url}",
    )
    found = problems(edition)
    assert any(
        p.startswith(position(edition, "listings.yaml", main.id) + ": error: id") for p in found
    ), found
    assert any(
        p.startswith(position(edition, "listings.yaml", main.url)) and "hide that listing" in p
        for p in found
    ), found


def test_unknown_ids_regions_fields_and_files_are_named(edition: Path) -> None:
    edit(edition, "overlay.yaml", "  - seven-cups", "  - no-such-listing")
    edit(edition, "overlay.yaml", "crisis_regions: [gb, ie]", "crisis_regions: [gb, xx]")
    edit(edition, "overlay.yaml", "logo: logo.svg", "logo: ../logo.svg")
    edit(edition, "overlay.yaml", "welcome:", "welcom:")
    found = "\n".join(problems(edition))
    assert f"{position(edition, 'overlay.yaml', 'no-such-listing')}: error: 'hide' names" in found
    assert (
        f"{position(edition, 'overlay.yaml', 'xx]')}: error: 'crisis_regions' names 'xx'" in found
    )
    assert (
        f"{position(edition, 'overlay.yaml', '../logo.svg')}: error: 'logo' must name a file inside"
        in found
    )
    assert f"{position(edition, 'overlay.yaml', 'welcom:')}: error: unknown field 'welcom'" in found


def test_a_logo_must_hold_the_image_its_name_says(edition: Path) -> None:
    (edition / "fake.png").write_text("not a picture\n", encoding="utf-8")
    edit(edition, "overlay.yaml", "logo: logo.svg", "logo: fake.png")
    found = "\n".join(problems(edition))
    where = position(edition, "overlay.yaml", "fake.png")
    assert f"{where}: error: 'logo' names fake.png, which does not hold a PNG image" in found


def test_a_syntax_error_in_the_overlay_is_the_one_problem_named(edition: Path) -> None:
    edit(edition, "overlay.yaml", "crisis_regions: [gb, ie]", "crisis_regions: [gb, ie")
    found = problems(edition)
    assert len(found) == 1 and "YAML syntax error" in found[0], found


def test_the_eap_may_not_be_set_twice(
    edition: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_site(
            tmp_path / "output",
            KINDRED_OVERLAY=str(edition),
            KINDRED_EAP={"name": "Another EAP", "phone": "0800 000 000"},
        )
    assert stopped.value.code == 2
    assert "both the overlay" in capsys.readouterr().err


def test_an_overlay_setting_must_name_an_overlay_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_site(tmp_path / "output", KINDRED_OVERLAY=str(tmp_path / "missing"))
    assert stopped.value.code == 2
    assert "setting KINDRED_OVERLAY must name a folder that exists" in capsys.readouterr().err


def test_contrast_ratios_follow_wcag() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48  # WCAG's own example pair
    assert contrast_ratio("#123456", "#123456") == 1.0


def test_the_theme_colours_the_check_reads_are_the_stylesheets() -> None:
    css = (ROOT / "theme" / "static" / "css" / "kindred.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    value = lambda text, name: re.search(rf"{name}:\s*(#[0-9a-f]{{6}})", text)[1]  # noqa: E731
    assert THEME["page background"] == value(light, "--bg")
    assert THEME["card background"] == value(light, "--surface")
    assert THEME["on_accent"] == value(light, "--on-accent")
    assert THEME["on_band"] == value(light, "--on-band")
    assert THEME["dark page background"] == value(dark, "--bg")
    assert THEME["dark card background"] == value(dark, "--surface")


def test_the_dev_server_rebuilds_when_the_overlay_changes() -> None:
    settings = {"PATH": "content", "THEME": "theme", "KINDRED_OVERLAY": str(EXAMPLE_OVERLAY)}
    assert str(EXAMPLE_OVERLAY) in watched_paths(settings, ROOT / "pelicanconf.py")
