"""Benchmark: full site build for synthetic catalogs, by phase, against a bare-Jinja2 floor.

Run: .venv/bin/python bench/bench_build.py [--sizes 1000 10000] [--repeat 3]

For each size, in a fresh process each time (so peak memory is that build's own):
  - build: a real Pelican run with the project's settings and theme, timed by phase
    (catalog + content context, rendering + writing, swapping the output in);
  - floor: bare Jinja2 rendering a small page per group and writing as many HTML files as the
    build wrote, the least any generator could do.
Goal: build within 2x the floor at 10,000 listings, and linear from 1,000 to 10,000.
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

FLOOR_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ g.name }}</title><link rel="stylesheet" href="../../theme/css/kindred.css"></head>
<body><main><h1>{{ g.name }}</h1><p>{{ g.organization }}</p><p>{{ g.description }}</p>
<p>{{ g.how_to_join }}</p><ul>{% for key, slugs in g.facets.items() %}<li>{{ key }}:
{{ slugs|join(', ') }}</li>{% endfor %}</ul><a href="{{ g.url }}">Visit</a></main></body></html>
"""


def _synthetic(size: int, workdir: Path) -> Path:
    """Listings modelled on the real catalog (its vocabulary and facet frequencies)."""
    from kindred.catalog import load_catalog
    from kindred.tools.synthetic import write_synthetic

    taxonomy = ROOT / "data/taxonomy.yaml"
    model = load_catalog(ROOT / "data/groups.yaml", taxonomy)
    return write_synthetic(model.taxonomy, size, workdir / "g.yaml", model=model)


def run_build(size: int, workdir: Path) -> dict[str, float]:
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    import kindred.site.plugin as plugin

    groups = _synthetic(size, workdir)
    output = workdir / "output"
    marks: dict[str, float] = {}
    index_pagefind = plugin.run_pagefind

    def timed_index(site: Path, *args: object) -> None:  # the index, as its own phase
        started = time.perf_counter()
        index_pagefind(site, *args)
        marks["index_s"] = time.perf_counter() - started

    plugin.run_pagefind = timed_index
    signals.all_generators_finalized.connect(
        lambda _: marks.setdefault("context", time.perf_counter()), weak=False
    )
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "OUTPUT_PATH": str(output),
            "KINDRED_GROUPS": str(groups),
            "KINDRED_TAXONOMY": str(ROOT / "data/taxonomy.yaml"),
        },
    )
    start = time.perf_counter()
    pelican = Pelican(settings)
    # Connected after the plugin, so this runs once the new output has been swapped in.
    signals.finalized.connect(lambda _: marks.setdefault("done", time.perf_counter()), weak=False)
    pelican.run()
    end = time.perf_counter()
    pages = sum(1 for _ in output.rglob("*.html"))
    return {
        "pages": pages,
        "context_s": marks["context"] - start,
        "render_write_s": marks["done"] - marks["context"] - marks["index_s"],
        "index_s": marks["index_s"],
        "total_s": end - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_floor(size: int, pages: int, workdir: Path) -> dict[str, float]:
    import jinja2

    from kindred.catalog import load_catalog

    groups = load_catalog(_synthetic(size, workdir), ROOT / "data/taxonomy.yaml").groups
    template = jinja2.Environment(autoescape=True).from_string(FLOOR_TEMPLATE)
    start = time.perf_counter()
    for number in range(pages):
        folder = workdir / "floor" / str(number)
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(template.render(g=groups[number % size]), "utf-8")
    return {"total_s": time.perf_counter() - start}


def in_subprocess(kind: str, size: int, pages: int = 0) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(size), str(pages)],
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
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, size, pages = args.one[0], int(args.one[1]), int(args.one[2])
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            result = run_build(size, work) if kind == "build" else run_floor(size, pages, work)
        print(json.dumps(result))
        return
    per_listing = {}
    for size in args.sizes:
        builds = [in_subprocess("build", size) for _ in range(args.repeat)]
        floors = [in_subprocess("floor", size, builds[0]["pages"]) for _ in range(args.repeat)]
        med = {key: statistics.median(b[key] for b in builds) for key in builds[0]}
        floor = statistics.median(f["total_s"] for f in floors)
        per_listing[size] = med["total_s"] / size
        print(
            f"{size:>6} listings, {int(med['pages'])} pages: build {med['total_s']:.2f} s "
            f"(context {med['context_s']:.2f} s, render+write {med['render_write_s']:.2f} s, "
            f"search index {med['index_s']:.2f} s), peak {med['peak_mb']:.0f} MB; "
            f"floor {floor:.2f} s; build/floor {med['total_s'] / floor:.2f}x, "
            f"without the index {(med['total_s'] - med['index_s']) / floor:.2f}x "
            f"(medians of {args.repeat})"
        )
    if len(per_listing) > 1:
        sizes = sorted(per_listing)
        ratio = per_listing[sizes[-1]] / per_listing[sizes[0]]
        print(f"time per listing at {sizes[-1]} vs {sizes[0]}: {ratio:.2f}x (1.0 = linear)")


if __name__ == "__main__":
    main()
