"""Helpers for tests that build the real site and read what it wrote."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pelican import Pelican
from pelican.settings import read_settings

from tests.conftest import GROUPS, ROOT, TAXONOMY

SUBPATH_SITEURL = "https://intranet.example/wellbeing/support"


def chromium_path() -> str | None:
    """The browser the tests and benchmarks drive: CHROMIUM_PATH, else Chromium's headless
    shell (what Playwright itself runs headless: a page load costs about half the processor
    time of the full browser's), else the full Debian chromium."""
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
    )


def build_site(output: Path, groups: Path = GROUPS, **overrides: Any) -> Path:
    """Run a real Pelican build of the project into ``output``."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "OUTPUT_PATH": str(output),
            "KINDRED_GROUPS": str(groups),
            "KINDRED_TAXONOMY": str(TAXONOMY),
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


@dataclass
class Page:
    """What a test needs from one HTML file: its elements and attributes, in order."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def attrs(self, tag: str | None = None) -> Iterator[dict[str, str]]:
        for name, attrs in self.elements:
            if tag is None or name == tag:
                yield attrs

    def group_ids(self) -> list[str]:
        return [a["data-group-id"] for a in self.attrs() if "data-group-id" in a]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def index_entries(output: Path) -> list[dict[str, Any]]:
    """Every page in the built search index, as Pagefind stores it: url, content, filters
    and meta (each fragment is gzip-compressed JSON behind a short signature)."""
    entries = []
    for fragment in sorted((output / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        entries.append(json.loads(data[data.index(b"{") :]))
    return entries


def finder_cards(output: Path) -> list[str]:
    """Every card the finder shows, in the catalog's order (search/cards-N.bin)."""
    cards: list[str] = []
    for number in range(len(list((output / "search").glob("cards-*.bin")))):
        cards += json.loads(
            gzip.decompress((output / "search" / f"cards-{number}.bin").read_bytes())
        )
    return cards


def single_cards(output: Path) -> list[str]:
    """Every card alone, in the catalog's order (search/card/N.bin), as many as
    search/facets.json says there are groups."""
    count = json.loads((output / "search" / "facets.json").read_bytes())["count"]
    folder = output / "search" / "card"
    return [gzip.decompress((folder / f"{n}.bin").read_bytes()).decode() for n in range(count)]


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def links(page: Page) -> Iterator[str]:
    """Every URL the page links to or loads."""
    for attrs in page.attrs():
        for name in ("href", "src", "action"):
            if name in attrs:
                yield attrs[name]


def local_target(output: Path, page_file: Path, url: str, site_url: str) -> Path | None:
    """The file a same-site link points to, or None for links that leave the site."""
    if site_url and url.startswith(site_url + "/"):
        path = url[len(site_url) :]
    elif urlsplit(url).scheme:  # http(s) elsewhere, tel:, mailto:, data:
        return None
    else:
        page_url = "/" + page_file.relative_to(output).as_posix()
        path = urljoin(page_url, url)
    path = urlsplit(path).path
    if path.endswith("/"):
        path += "index.html"
    return output / path.lstrip("/")


NEW_FACET = """
  - key: meeting-length
    field: meeting_length
    label: Meeting length
    question: How long can you take part for?
    multiple: false
    roles:
      card: true
    values:
      - slug: short-sessions
        label: Under an hour
        description: Sessions last less than an hour.
      - slug: long-sessions
        label: An hour or more
        description: Sessions last an hour or longer.
"""


def with_new_facet(folder: Path) -> tuple[Path, Path]:
    """Copies of the real taxonomy and catalog with the new facet and a value for every
    listing (alternating): (taxonomy, groups)."""
    text = TAXONOMY.read_text(encoding="utf-8")
    facets_end = text.index("\n# Ways into the directory")
    taxonomy = folder / "taxonomy.yaml"
    taxonomy.write_text(text[:facets_end].rstrip("\n") + "\n" + NEW_FACET + text[facets_end:])
    count = iter(range(10**6))

    def add_value(match: re.Match[str]) -> str:
        value = "short-sessions" if next(count) % 2 == 0 else "long-sessions"
        return f"  meeting_length: {value}\n{match.group(0)}"

    groups = folder / "groups.yaml"
    listings = re.sub(r"(?m)^  added: .*$", add_value, GROUPS.read_text(encoding="utf-8"))
    groups.write_text(listings, encoding="utf-8")
    return taxonomy, groups
