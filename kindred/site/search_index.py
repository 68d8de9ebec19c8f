"""The search index: the Pagefind CLI over small search pages (its per-file Python API is far
too slow).

Pagefind does not read the site's group pages. For each group the build writes a small search
page into a private folder, at the group page's own path: the words worth searching for
(name, organisation, description, its facet values and the other names people give them, its
notes, who can join, how to join), a filter per filter-facet value and the group's card as
metadata, which the finder shows as the result. Guidance articles are indexed as written. The
search pages need nothing else of the site, so Pagefind starts right after the catalog is read
and runs beside the rendering: on a machine with two cores most of the indexing costs no wall
time. The build waits for it, checks the index and removes the search pages.

The folder is in memory where the system offers one (/dev/shm on Linux): a hundred thousand
small files are written and removed there many times faster than on a disk. A build holds a
lock on its folder, so one left by a build that died is recognised and removed by the next.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path

from kindred.catalog.model import Group
from kindred.catalog.taxonomy import Taxonomy

# Where search pages are written when the system keeps a folder in memory.
MEMORY_FOLDER = Path("/dev/shm")
SEARCH_PAGES_PREFIX = "kindred-search-pages-"
# A folder of search pages this old whose lock is free belongs to a build that died.
ABANDONED_AFTER_SECONDS = 60
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
) -> SearchPages:
    """A new folder of search pages: one per group, and a copy of each guidance article
    (``articles``: their paths in ``site``, already written)."""
    pages = SearchPages.create(MEMORY_FOLDER if _writable(MEMORY_FOLDER) else site)
    for group in groups:
        page = pages.folder / "groups" / group.id / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(search_page(group, taxonomy, cards[group.id], language), "utf-8")
    for article in articles:
        (pages.folder / article).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / article, pages.folder / article)
    return pages


class SearchPages:
    """A private folder of search pages, locked while its build uses it."""

    def __init__(self, folder: Path, lock_fd: int):
        self.folder = folder
        self._lock_fd = lock_fd

    @classmethod
    def create(cls, parent: Path) -> SearchPages:
        _remove_abandoned(parent)
        folder = Path(tempfile.mkdtemp(prefix=SEARCH_PAGES_PREFIX, dir=parent))
        lock_fd = os.open(folder, os.O_RDONLY)
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return cls(folder, lock_fd)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def _remove_abandoned(parent: Path) -> None:
    """Remove folders of search pages left by builds that died (their lock is free)."""
    old = time.time() - ABANDONED_AFTER_SECONDS  # younger ones may be locked in a moment
    for folder in parent.glob(SEARCH_PAGES_PREFIX + "*"):
        try:
            if folder.stat().st_mtime > old:
                continue
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a build is using it
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)


class Indexing:
    """One Pagefind run over ``pages`` into site/pagefind, started at once and stopped if it
    runs longer than ``timeout`` seconds; ``finish`` waits for it and checks the index,
    ``stop`` ends it. Either removes the search pages."""

    def __init__(self, pages: SearchPages, site: Path, timeout: float):
        self.pages = pages
        self.site = site
        self.timeout = timeout
        self.expired = False
        # A file, not a pipe: nobody reads the output until the end, and a full pipe would
        # stall Pagefind.
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or stop)
        command = [sys.executable, "-m", "pagefind", "--site", str(pages.folder)]
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
        self.pages.remove()
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
        self.pages.remove()

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
