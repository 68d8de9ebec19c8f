"""Benchmark: how fast hostile or unusual catalog files are refused or read.

Run: .venv/bin/python bench/bench_hostile.py [--repeat N]
Goals: nesting 100,000 levels deep and a flood of invisible characters are refused in well
under a second, and 40 MB files of garbage in a few seconds; Windows line
endings and non-ASCII text cost little over the plain file (10,000 listings in under 2 s, as
bench_catalog.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kindred.catalog import load_catalog
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import load_taxonomy
from kindred.tools.synthetic import write_synthetic

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "data" / "taxonomy.yaml"


def _cases(folder: Path) -> dict[str, Path]:
    plain = write_synthetic(load_taxonomy(TAXONOMY), 10_000, folder / "plain.yaml")
    text = plain.read_text(encoding="utf-8")
    files = {
        "10,000 listings, plain ASCII": text,
        "10,000 listings, CRLF line endings": text.replace("\n", "\r\n"),
        "10,000 listings, accented text": text.replace("support", "suppört"),
        "100,000 nested '['": "[" * 100_000,
        "100,000 nested '- '": "- " * 100_000 + "x\n",
        "5 MB of zero-width spaces in a comment": "# " + "\u200b" * 1_700_000 + "\n",
    }
    raw = {
        "40 MB of NUL bytes": b"\x00" * 40_000_000,
        "40 MB of bytes that are not UTF-8": b"# " + b"\xff" * 40_000_000,
    }
    paths = {}
    for number, (name, content) in enumerate([*files.items(), *raw.items()]):
        paths[name] = folder / f"case-{number}.yaml"
        data = content.encode("utf-8") if isinstance(content, str) else content
        paths[name].write_bytes(data)
    return paths


def _load(path: Path) -> Callable[[], str]:
    def run() -> str:
        try:
            return f"{len(load_catalog(path, TAXONOMY).groups)} listings"
        except CatalogError as error:
            return f"refused: {len(error.problems)} problems"

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _cases(Path(tmp)).items():
            times, outcome = [], ""
            for _ in range(args.repeat):
                start = time.perf_counter()
                outcome = _load(path)()
                times.append(time.perf_counter() - start)
            print(
                f"{name:<40} {outcome:<22} median {statistics.median(times):.3f} s, "
                f"min {min(times):.3f} s"
            )


if __name__ == "__main__":
    main()
