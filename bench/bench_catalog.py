"""Benchmark: load + validate synthetic catalogs of 1,000 and 10,000 listings.

Run: .venv/bin/python bench/bench_catalog.py [--repeat N]
Goal: 10,000 listings in under 2 s. Reports the median of N runs (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kindred.catalog import load_catalog
from kindred.catalog.taxonomy import load_taxonomy
from kindred.tools.synthetic import write_synthetic

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "data" / "taxonomy.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args()
    taxonomy = load_taxonomy(TAXONOMY)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = write_synthetic(taxonomy, size, Path(tmp) / f"groups-{size}.yaml")
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                catalog = load_catalog(path, TAXONOMY)
                times.append(time.perf_counter() - start)
            assert len(catalog.groups) == size
            print(
                f"{size:>6} listings ({path.stat().st_size / 1e6:.1f} MB): "
                f"median {statistics.median(times):.3f} s, min {min(times):.3f} s, "
                f"max {max(times):.3f} s over {args.repeat} runs"
            )


if __name__ == "__main__":
    main()
