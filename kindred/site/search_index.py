"""The search index: the Pagefind CLI over small search pages (its per-file Python API is far
too slow), and which index entry is which group.

Pagefind does not read the site's group pages. For each group the build writes a small search
page into a private folder, at the group page's own path: the words worth searching for
(name, organisation, description, the labels of values of facets that are no filter, its
notes, who can join, how to join), a filter per filter-facet value (and per value whose choice
includes one of its own, so a filter on free groups also finds donation-based ones, as the
facet pages do), and the group's card as metadata, which the finder shows as the result. Not
the names of its filter values: repeated on thousands of pages they made indexing half as
long again, Pagefind's memory two thirds larger and each search fetch their long lists of
pages; the finder reads them from search/terms.bin and their groups from the filters'
bitsets instead. Guidance articles are indexed as written. The search pages need nothing
else of the site, so Pagefind starts right after the catalog is read and runs beside the
rendering: on a machine with two cores most of the indexing costs no wall time. The build
waits for it, checks the index and removes the search pages.

The folder is in memory where the system offers one (/dev/shm on Linux): a hundred thousand
small files are written and removed there many times faster than on a disk. A build holds a
lock on its folder, so one left by a build that died is recognised and removed by the next.

Pagefind answers a search with the ids of its index entries, not with our pages. The finder
needs groups: to combine words with filters, counts and the fallback to partial matches in
one place (the filters' bitsets, kindred.site.search_data). So after indexing, the build reads
the entry each group became and writes, in catalog order:

    search/pagefind-ids.bin   gzip text: the Pagefind id of each group's search page, as
                              the shortest start of its hash (after the language and "_")
                              that no other index entry shares: the width on the first
                              line, then every group's key in that width, shorter ones
                              padded with "-" (about 4 bytes a group, where the ids as a
                              JSON list took 5)
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

from kindred.catalog.listings import Catalog
from kindred.catalog.model import Group

# Where search pages are written when the system keeps a folder in memory.
MEMORY_FOLDER = Path("/dev/shm")
SEARCH_PAGES_PREFIX = "kindred-search-pages-"
# A folder of search pages this old whose lock is free belongs to a build that died.
ABANDONED_AFTER_SECONDS = 60
# What Pagefind reads in that folder: every group's search page and every guidance article.
INDEXED_PAGES = "{groups/*/index.html,guidance/*/index.html}"
ENTRY_FILE = "pagefind-entry.json"
PAGE_IDS = "search/pagefind-ids.bin"
# Pagefind's fragments (one per indexed page, named by its id) are gzip JSON after this
# signature; pagefind.js reads them the same way.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class IndexFailed(RuntimeError):
    """Pagefind failed, ran out of time, or wrote an incomplete index; the message says which."""


def search_page(group: Group, catalog: Catalog, card: str, language: str) -> str:
    """The page Pagefind indexes for ``group``; ``card`` is its card as the finder shows it (a
    plain str is escaped here; Markup's own methods would escape it twice).

    It carries no sort keys: the finder sorts with its own data (search/dates.bin and the
    groups' order), and Pagefind would put every page's keys in the metadata each search
    downloads first (47 KB of 113 at 10,000 listings)."""
    parts = [
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(group.name)}</title></head><body>"
        f'<main data-pagefind-body data-pagefind-filter="type:group" '
        f'data-pagefind-meta="id:{escape(group.id)}">'
        f'<span hidden data-pagefind-meta="card[data-card]" data-card="{escape(str(card))}"></span>'
    ]
    parts.append(f'<h1 data-pagefind-meta="title">{escape(group.name)}</h1>')
    for text in (f"Run by {group.organization}", group.description):
        parts.append(f"<p>{escape(text)}</p>")
    parts.append(_values(group, catalog))
    taxonomy = catalog.taxonomy
    notes = [getattr(group, facet.roles.note_field) for facet in taxonomy.with_role("note_field")]
    for text in (*notes, _ages(group), group.eligibility, group.how_to_join, group.safety_note):
        if text:
            parts.append(f"<p>{escape(text)}</p>")
    parts.append(_included_filters(group, catalog))
    parts.append("</main></body></html>")
    return "".join(parts)


def _values(group: Group, catalog: Catalog) -> str:
    """Every facet value of the group: a filter's values as their filter alone (the finder
    knows their names), the others by their label."""
    items = []
    for facet in catalog.taxonomy.facets:
        for value in group.values(facet.key):
            if facet.roles.filter:
                key = escape(f"{facet.key}:{value.slug}")
                items.append(f'<li data-pagefind-filter="{key}"></li>')
            else:
                items.append(f"<li>{escape(value.label)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _included_filters(group: Group, catalog: Catalog) -> str:
    """The filter of each value whose choice includes one of the group's own."""
    filters = []
    for facet in catalog.taxonomy.with_role("filter"):
        own = group.slugs(facet.key)
        for slug in facet.answered(own):
            if slug not in own:
                key = escape(f"{facet.key}:{slug}")
                filters.append(f'<span data-pagefind-filter="{key}"></span>')
    return f"<div hidden>{''.join(filters)}</div>"


def _ages(group: Group) -> str:
    low, high = group.minimum_age, group.maximum_age
    if low is not None and high is not None:
        return f"Ages {low} to {high}."
    if low is not None:
        return f"Ages {low} and over."
    if high is not None:
        return f"Up to age {high}."
    return ""


def write_search_pages(
    site: Path,
    catalog: Catalog,
    cards: Mapping[str, str],
    articles: Iterable[str],
    language: str,
) -> SearchPages:
    """A new folder of search pages: one per group, and a copy of each guidance article
    (``articles``: their paths in ``site``, already written)."""
    pages = SearchPages.create(MEMORY_FOLDER if _writable(MEMORY_FOLDER) else site)
    for group in catalog.groups:
        page = pages.folder / "groups" / group.id / "index.html"
        page.parent.mkdir(parents=True)
        text = search_page(group, catalog, cards[group.id], language)
        page.write_text(text, "utf-8")
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


def write_page_ids(site: Path, group_pages: Sequence[str]) -> None:
    """Write PAGE_IDS for ``group_pages`` (paths from the site root, in catalog order).

    Raises IndexFailed when a fragment cannot be read or a group page is not in the index.
    """
    by_url = {}
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        try:
            data = gzip.decompress(fragment.read_bytes())
            if not data.startswith(_FRAGMENT_SIGNATURE):
                raise ValueError("no signature")
            url = json.loads(data[len(_FRAGMENT_SIGNATURE) :])["url"]
        except (OSError, EOFError, ValueError, KeyError, TypeError) as error:
            raise IndexFailed(f"cannot read the index entry {fragment.name}: {error}") from None
        by_url[url] = fragment.name.removesuffix(".pf_fragment")
    missing = [path for path in group_pages if f"/{path}" not in by_url]
    if missing:
        raise IndexFailed(f"the search index has no entry for {', '.join(missing[:3])}")
    ids = [by_url[f"/{path}"] for path in group_pages]
    width = key_width(list(by_url.values()))
    keys = "".join(page_key(page_id, width).ljust(width, "-") for page_id in ids)
    target = site / PAGE_IDS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(f"{width}\n{keys}".encode(), compresslevel=9, mtime=0))


def page_key(page_id: str, width: int) -> str:
    """The start of an index entry's hash the finder knows it by (as directory.js's
    loadPageIds reads it)."""
    return page_id.rsplit("_", 1)[-1][:width]


def key_width(page_ids: Sequence[str]) -> int:
    """The fewest hash characters that tell every index entry apart (groups and articles, so
    an article is never taken for a group). Raises IndexFailed if even whole hashes do not."""
    longest = max((len(page_key(page_id, len(page_id))) for page_id in page_ids), default=1)
    for width in range(1, longest + 1):
        if len({page_key(page_id, width) for page_id in page_ids}) == len(page_ids):
            return width
    raise IndexFailed("two entries of the search index share a hash")
