"""Index the finished site with the Pagefind CLI (its per-file Python API is far too slow),
and tell the finder which index entry is which group.

Pagefind answers a search with the ids of its index entries, not with our pages. The finder
needs groups: to combine words with filters, counts and the fallback to partial matches in
one place (the filters' bitsets, kindred.site.search_data). So after indexing, the build reads
the entry each group page became and writes, in catalog order:

    search/pagefind-ids.bin   gzip JSON list: the Pagefind id of each group's page
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Only group pages and guidance articles carry data-pagefind-body; telling Pagefind so spares
# it parsing thousands of list pages it would not index anyway.
INDEXED_PAGES = "{groups/*/index.html,guidance/*/index.html}"
ENTRY_FILE = "pagefind-entry.json"
PAGE_IDS = "search/pagefind-ids.bin"
# Pagefind's fragments (one per indexed page, named by its id) are gzip JSON after this
# signature; pagefind.js reads them the same way.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class IndexFailed(RuntimeError):
    """Pagefind failed, ran out of time, or wrote an incomplete index; the message says which."""


def run_pagefind(site: Path, expected_pages: int | None, timeout: float) -> None:
    """Write site/pagefind/ and check it holds ``expected_pages`` pages.

    Raises IndexFailed with Pagefind's own output when it fails or takes longer than
    ``timeout`` seconds, and when the index is missing files or pages.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site)]
    command += ["--glob", INDEXED_PAGES, "--quiet"]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise IndexFailed(f"Pagefind took longer than {timeout:g} seconds; stopped it") from None
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise IndexFailed(f"Pagefind failed (exit {result.returncode}): {output}")
    check_index(site / "pagefind", expected_pages)


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
    target = site / PAGE_IDS
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(ids, separators=(",", ":")).encode("utf-8")
    target.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
