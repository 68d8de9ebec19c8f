"""Index the finished site with the Pagefind CLI (its per-file Python API is far too slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Only group pages and guidance articles carry data-pagefind-body; telling Pagefind so spares
# it parsing thousands of list pages it would not index anyway.
INDEXED_PAGES = "{groups/*/index.html,guidance/*/index.html}"
ENTRY_FILE = "pagefind-entry.json"


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
