"""Index the finished site with the Pagefind CLI (its per-file Python API is far too slow)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Only group pages and guidance articles carry data-pagefind-body; telling Pagefind so spares
# it parsing thousands of list pages it would not index anyway. A build test checks that the
# index holds exactly these pages.
INDEXED_PAGES = "{groups/*/index.html,guidance/*/index.html}"


def run_pagefind(site: Path) -> None:
    """Write site/pagefind/. Raises RuntimeError with Pagefind's own output when it fails."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--glob",
        INDEXED_PAGES,
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        output = (result.stdout + result.stderr).strip()
        raise RuntimeError(f"Pagefind failed (exit {result.returncode}): {output}")
