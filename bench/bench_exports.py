"""Benchmark: what the open data downloads add to a build, and how big they are.

Run: .venv/bin/python bench/bench_exports.py [--sizes 1000 10000] [--repeat 3]

For each size, in a fresh process each time: real Pelican builds of a synthetic catalog (as in
bench_build.py), in turn with and without the step that writes the feeds of each value's new
groups and the open data (groups.json, groups.csv and every HSDS file). A child process of
the build writes them while the pages are rendered and Pagefind indexes, so what they add to
the build is the difference between the two; the step's own duration is reported too. The
machine is shared, so wall-clock times swing with its load; CPU times (the build's processes
and Pagefind's) swing far less, and the open data's share of them is what it would add with
nothing run alongside. Reports medians, the files' sizes
and counts by format, and the step's time per listing at the largest size against the smallest.
Goal: the open data adds under 10 % to the build at 10,000 listings, and grows linearly.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDERS = {"groups.json": "data/groups.json", "groups.csv": "data/groups.csv", "HSDS": "hsds"}


def run_build(size: int, workdir: Path, with_open_data: bool) -> dict[str, float]:
    from pelican import Pelican
    from pelican.settings import read_settings

    import kindred.site.plugin as plugin
    from kindred.catalog import load_catalog
    from kindred.tools.synthetic import write_synthetic

    taxonomy = ROOT / "data/taxonomy.yaml"
    model = load_catalog(ROOT / "data/groups.yaml", taxonomy)
    groups = write_synthetic(model.taxonomy, size, workdir / "g.yaml", model=model)
    output = workdir / "output"
    marks: dict[str, float] = {}
    write_open_data = plugin.CatalogGenerator.write_open_data

    timing = workdir / "open-data-timing.json"

    def timed(generator: plugin.CatalogGenerator) -> None:
        # Runs in the build's child process: its figures come back through a file.
        started, cpu = time.perf_counter(), time.process_time()
        if with_open_data:
            write_open_data(generator)
        spent = {"open_data_s": time.perf_counter() - started}
        spent["open_data_cpu_s"] = time.process_time() - cpu
        timing.write_text(json.dumps(spent), "utf-8")

    plugin.CatalogGenerator.write_open_data = timed  # type: ignore[method-assign]
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"OUTPUT_PATH": str(output), "KINDRED_GROUPS": str(groups)},
    )
    start, cpu = time.perf_counter(), _cpu()
    Pelican(settings).run()
    total, total_cpu = time.perf_counter() - start, _cpu() - cpu
    marks.update(json.loads(timing.read_text("utf-8")))
    sizes = {}
    for name, relative in FOLDERS.items():
        path = output / relative
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        sizes[f"{name}_mb"] = sum(p.stat().st_size for p in files) / 1e6
        sizes[f"{name}_files"] = len(files)
    return {"total_s": total, "cpu_s": total_cpu, **marks, **sizes}


def _cpu() -> float:
    """CPU seconds used so far by this process and the processes it waited for (Pagefind)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def in_subprocess(size: int, with_open_data: bool) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", str(size), *([] if with_open_data else ["--without"])],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--without", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_build(args.one, Path(tmp), not args.without)))
        return
    per_listing = {}
    for size in args.sizes:
        runs, bare = [], []
        for _ in range(args.repeat):  # in turn, so both meet the same load on the machine
            runs.append(in_subprocess(size, True))
            bare.append(in_subprocess(size, False))
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        without = statistics.median(run["total_s"] for run in bare)
        without_cpu = statistics.median(run["cpu_s"] for run in bare)
        share = med["total_s"] / without - 1
        cpu_share = med["open_data_cpu_s"] / (med["cpu_s"] - med["open_data_cpu_s"])
        per_listing[size] = med["open_data_s"] / size
        files = ", ".join(
            f"{name} {med[f'{name}_mb']:.1f} MB ({int(med[f'{name}_files'])} files)"
            for name in FOLDERS
        )
        print(
            f"{size:>6} listings: build {med['total_s']:.1f} s with the open data, "
            f"{without:.1f} s without: {share:+.1%} (writing it takes {med['open_data_s']:.2f} s, "
            f"beside the rendering); CPU {med['cpu_s']:.1f} s with, {without_cpu:.1f} s "
            f"without, of which the open data {med['open_data_cpu_s']:.2f} s = {cpu_share:+.1%}; "
            f"{files} (medians of {args.repeat})"
        )
    if len(per_listing) > 1:
        sizes = sorted(per_listing)
        ratio = per_listing[sizes[-1]] / per_listing[sizes[0]]
        print(
            f"open data time per listing at {sizes[-1]} vs {sizes[0]}: {ratio:.2f}x (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
