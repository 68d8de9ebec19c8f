"""Fingerprints of every run of eight words in the two articles the guidance grew from.

The guidance must not repeat their sentences. The test compares runs of words by fingerprint,
so the project never has to hold a copy of the source text. When the sources are at hand
(``../shared/seeds/`` beside the repository, or the folder in ``KINDRED_SEEDS``), rebuild the
list with ``.venv/bin/python -m tests.seed_fingerprints``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.guidance_text import shingle_hash, shingles, source_words

RUN = 8  # words: a shared run this long or longer is copying, not coincidence
FINGERPRINTS = ROOT / "tests" / "data" / "seed-fingerprints.txt"


def seeds_folder() -> Path:
    return Path(os.environ.get("KINDRED_SEEDS") or ROOT.parent / "shared" / "seeds")


def seed_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt"))


def fingerprints(files: list[Path]) -> list[str]:
    found = set()
    for file in files:
        found |= {shingle_hash(s) for s in shingles(source_words(file.read_text("utf-8")), RUN)}
    return sorted(found)


def stored_fingerprints() -> set[str]:
    return set(FINGERPRINTS.read_text(encoding="utf-8").split())


def main() -> int:
    files = seed_files(seeds_folder())
    if not files:
        print(f"no source articles in {seeds_folder()}; set KINDRED_SEEDS", file=sys.stderr)
        return 2
    FINGERPRINTS.write_text("\n".join(fingerprints(files)) + "\n", encoding="utf-8")
    print(f"{FINGERPRINTS.relative_to(ROOT)}: runs of {RUN} words from {len(files)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
