"""The search index: the Pagefind CLI over small search pages (its per-file Python API is far
too slow).

Pagefind does not read the site's group pages. For each group the build writes a small search
page into a private folder, ``SEARCH_PAGES`` in the staging folder, at the group page's own
path: the words worth searching for (name, organisation, description, its facet values and
the other names people give them, its notes, who can join, how to join), a filter per
filter-facet value and the group's card as metadata, which the finder shows as the result.
Guidance articles are indexed as written. The search pages need nothing else of the site, so
Pagefind starts right after the catalog is read and runs beside the rendering: on a machine
with two cores most of the indexing costs no wall time. The build waits for it, checks the
index and removes the search pages before the site is published.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path

from kindred.catalog.model import Group
from kindred.catalog.taxonomy import Taxonomy

SEARCH_PAGES = ".search-pages"
# What Pagefind reads in that folder: every group's search page and every guidance article.
INDEXED_PAGES = "{groups/*/index.html,guidance/*/index.html}"
ENTRY_FILE = "pagefind-entry.json"


class IndexFailed(RuntimeError):
    """Pagefind failed, ran out of time, or wrote an incomplete index; the message says which."""


def search_page(group: Group, taxonomy: Taxonomy, card: str, language: str) -> str:
    """The page Pagefind indexes for ``group``; ``card`` is its card as the finder shows it
    (a plain str is escaped here; Markup's own methods would escape it twice)."""
    parts = [
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(group.name)}</title></head><body>"
        f'<main data-pagefind-body data-pagefind-filter="type:group" '
        f'data-pagefind-meta="id:{escape(group.id)}">'
        f'<span hidden data-pagefind-meta="card[data-card]" data-card="{escape(str(card))}"></span>'
        f'<h1 data-pagefind-meta="title">{escape(group.name)}</h1>'
        f"<p>{escape(group.organization)}</p><p>{escape(group.description)}</p><ul>"
    ]
    for facet in taxonomy.facets:
        for value in group.values(facet.key):
            words = escape(" ".join((value.label, *value.other_names)))
            if facet.roles.filter:
                key = escape(f"{facet.key}:{value.slug}")
                parts.append(f'<li data-pagefind-filter="{key}">{words}</li>')
            else:
                parts.append(f"<li>{words}</li>")
    parts.append("</ul>")
    notes = [getattr(group, facet.roles.note_field) for facet in taxonomy.with_role("note_field")]
    for text in (*notes, group.eligibility, group.how_to_join, group.safety_note):
        if text:
            parts.append(f"<p>{escape(text)}</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


def write_search_pages(
    site: Path,
    groups: Iterable[Group],
    taxonomy: Taxonomy,
    cards: Mapping[str, str],
    articles: Iterable[str],
    language: str,
) -> None:
    """Write site/SEARCH_PAGES: a search page per group, and a link to each guidance article
    (``articles``: their paths in ``site``, already written)."""
    folder = site / SEARCH_PAGES
    for group in groups:
        page = folder / "groups" / group.id / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(search_page(group, taxonomy, cards[group.id], language), "utf-8")
    for article in articles:
        (folder / article).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / article, folder / article)


class Indexing:
    """One Pagefind run over site/SEARCH_PAGES into site/pagefind, started at once and
    stopped if it runs longer than ``timeout`` seconds; ``finish`` waits for it and checks
    the index, ``stop`` ends it."""

    def __init__(self, site: Path, timeout: float):
        self.site = site
        self.timeout = timeout
        self.expired = False
        # A file, not a pipe: nobody reads the output until the end, and a full pipe would
        # stall Pagefind.
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or stop)
        command = [sys.executable, "-m", "pagefind", "--site", str(site / SEARCH_PAGES)]
        command += ["--output-path", str(site / "pagefind"), "--glob", INDEXED_PAGES, "--quiet"]
        self._process = subprocess.Popen(
            command, stdout=self._output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        self._process.kill()

    def finish(self, expected_pages: int | None) -> None:
        """Wait for Pagefind and check the index holds ``expected_pages`` pages.

        Raises IndexFailed with Pagefind's own output when it fails or took longer than the
        timeout, and when the index is missing files or pages.
        """
        code = self._process.wait()
        self._timer.cancel()
        output = self._read_output()
        shutil.rmtree(self.site / SEARCH_PAGES, ignore_errors=True)
        if self.expired:
            raise IndexFailed(f"Pagefind took longer than {self.timeout:g} seconds; stopped it")
        if code != 0:
            raise IndexFailed(f"Pagefind failed (exit {code}): {output}")
        check_index(self.site / "pagefind", expected_pages)

    def stop(self) -> None:
        """Stop Pagefind if it still runs (the build failed or was interrupted)."""
        self._timer.cancel()
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()
        shutil.rmtree(self.site / SEARCH_PAGES, ignore_errors=True)

    def _read_output(self) -> str:
        self._output.seek(0)
        text = self._output.read().decode("utf-8", errors="replace").strip()
        self._output.close()
        return text


def check_index(index: Path, expected_pages: int | None) -> None:
    """Raise IndexFailed unless the index has its entry points and every page meant for it."""
    for name in ("pagefind.js", ENTRY_FILE):
        if not (index / name).is_file():
            raise IndexFailed(f"Pagefind wrote no {name}; the search index is incomplete")
    try:
        entry = json.loads((index / ENTRY_FILE).read_text(encoding="utf-8"))
        indexed = sum(language["page_count"] for language in entry["languages"].values())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IndexFailed(
            f"Pagefind's {ENTRY_FILE} cannot be read; the index is incomplete"
        ) from None
    if expected_pages is not None and indexed != expected_pages:
        raise IndexFailed(
            f"the search index holds {indexed} pages, but {expected_pages} were meant to be indexed"
        )
