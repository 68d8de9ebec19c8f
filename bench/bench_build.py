"""Benchmark: the whole site build for synthetic catalogs, by phase, against a fair floor.

Run: .venv/bin/python bench/bench_build.py [--sizes 1000 10000 100000] [--repeat 3]

For each size the synthetic catalog is written once (modelled on the real one: its
vocabulary and facet value frequencies), then, in a fresh process each time and alternating
so both see the same machine:

  build  a real Pelican run with the project's settings and theme, timed by phase:
         context (content and catalog read and validated), render+write (every page through
         Pelican's writer; a child process writes the open data, JSON, CSV and HSDS,
         beside it), exports (sitemaps, feeds, the finder's data files), index (Pagefind,
         from its start to its end; it runs beside the rendering, so "index wait" is what it
         adds to the wall time) and swap (publishing the finished folder);
  floor  the least any generator could do for the same site: bare Jinja2 renders and writes
         as many pages (one folder each) from the same listings, and the Pagefind CLI indexes
         as many of them as the build indexed, each carrying what a group page gives Pagefind
         (its words, a filter per facet value and the card as metadata).

Reported per size, as medians of the runs: wall times, peak memory (the build process, and
the largest process it started: Pagefind) and the output's size in bytes and files.
Goals: the build within 1.5x the floor at 10,000 listings; at 100,000, time per listing within
1.2x that at 10,000, peak memory within 1.5 GB and the output within 1 GB (GitHub Pages).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TAXONOMY = ROOT / "data" / "taxonomy.yaml"

# What a group page gives Pagefind, without the site around it: its words, its filters and
# its card as metadata (escaped, as in an attribute).
FLOOR_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ g.name }}</title><link rel="stylesheet" href="../../theme/css/kindred.css"></head>
<body><main{% if indexed %} data-pagefind-body{% endif %}>
<span hidden data-pagefind-meta="card[data-card]" data-card="{{ card }}"></span>
<h1>{{ g.name }}</h1><p>{{ g.organization }}</p><p>{{ g.description }}</p>
<ul>{% for key, values in facets %}{% for v in values %}
<li data-pagefind-filter="{{ key }}:{{ v.slug }}">{{ v.label }}</li>{% endfor %}{% endfor %}</ul>
<p>{{ g.how_to_join }}</p><a href="{{ g.url }}">Visit</a></main></body></html>
"""
FLOOR_CARD = """<li class="card" data-group-id="{{ g.id }}">
<h3><a href="../groups/{{ g.id }}/">{{ g.name }}</a></h3><p>{{ g.organization }}</p>
<p>{{ g.description[:160] }}</p><p>Website: {{ g.url }}</p><dl>{% for key, values in facts %}
<div><dt>{{ key }}</dt><dd>{{ values|join(", ", attribute="label") }}</dd></div>{% endfor %}
</dl></li>"""


def synthetic(size: int, folder: Path) -> Path:
    from kindred.catalog import load_catalog
    from kindred.tools.synthetic import write_synthetic

    model = load_catalog(ROOT / "data/groups.yaml", TAXONOMY)
    return write_synthetic(model.taxonomy, size, folder / f"groups-{size}.yaml", model=model)


def output_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``folder``."""
    total = files = 0
    for base, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(base, name)).st_size
            files += 1
    return total, files


def peaks() -> dict[str, float]:
    """Peak resident memory in MB (this process, and the largest process it waited for) and
    the CPU time both took: on a busy machine it says more than the wall time."""
    me, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "peak_build_mb": me.ru_maxrss / 1024,
        "peak_indexer_mb": children.ru_maxrss / 1024,
        "cpu_s": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
    }


def run_build(groups: Path, workdir: Path) -> dict[str, float]:
    """One real build, timed by phase (hooks wrap the plugin's own steps)."""
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    import kindred.site.plugin as plugin
    import kindred.site.search_index as search_index

    marks: dict[str, float] = {}
    spans: dict[str, float] = {}

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                marks[name + "_end"] = time.perf_counter()
                spans[name] = spans.get(name, 0.0) + marks[name + "_end"] - started

        return wrapper

    indexing_init = search_index.Indexing.__init__

    def indexer_started(self, *args, **kwargs):  # and note when Pagefind itself ends
        marks["index_start"] = time.perf_counter()
        indexing_init(self, *args, **kwargs)
        process = self._process

        def watch() -> None:
            process.wait()
            marks["index_end"] = time.perf_counter()

        threading.Thread(target=watch, daemon=True).start()

    search_index.Indexing.__init__ = indexer_started
    search_index.Indexing.finish = timed("index_wait", search_index.Indexing.finish)
    generator = plugin.CatalogGenerator
    generator.write_extras = timed("exports", generator.write_extras)
    plugin.staging.publish = timed("swap", plugin.staging.publish)
    signals.all_generators_finalized.connect(
        lambda _: marks.setdefault("context", time.perf_counter()), weak=False
    )
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "OUTPUT_PATH": str(workdir / "output"),
            "KINDRED_GROUPS": str(groups),
            "KINDRED_TAXONOMY": str(TAXONOMY),
            "KINDRED_INDEX_TIMEOUT": 7200,
        },
    )
    start = time.perf_counter()
    Pelican(settings).run()
    end = time.perf_counter()
    output = workdir / "output"
    total_bytes, files = output_size(output)
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    context = marks["context"] - start
    waited, exports, swap = spans["index_wait"], spans["exports"], spans["swap"]
    return {
        "pages": sum(1 for _ in output.rglob("*.html")),
        "indexed": sum(language["page_count"] for language in entry["languages"].values()),
        "total_s": end - start,
        "context_s": context,
        # Everything else: every page rendered and written, and the theme's files copied.
        "render_write_s": end - start - context - exports - waited - swap,
        "exports_s": exports,
        "index_s": marks["index_end"] - marks["index_start"],
        "index_wait_s": waited,
        "swap_s": swap,
        "bytes": total_bytes,
        "files": files,
        **peaks(),
    }


def run_floor(groups_path: Path, pages: int, indexed: int, workdir: Path) -> dict[str, float]:
    """Bare Jinja2 writes ``pages`` pages; the Pagefind CLI indexes ``indexed`` of them."""
    import jinja2

    from kindred.catalog import load_catalog

    groups = load_catalog(groups_path, TAXONOMY).groups
    taxonomy = groups[0].taxonomy
    card_facets = taxonomy.with_role("card")
    environment = jinja2.Environment(autoescape=True)
    page, card = environment.from_string(FLOOR_TEMPLATE), environment.from_string(FLOOR_CARD)
    site = workdir / "floor"
    cpu_before = peaks()["cpu_s"]  # reading the catalog is not part of the floor
    start = time.perf_counter()
    for number in range(pages):
        group = groups[number % len(groups)]
        folder = site / ("groups" if number < indexed else "other") / f"page-{number}"
        folder.mkdir(parents=True)
        facets = [(facet.key, group.values(facet.key)) for facet in taxonomy.facets]
        facts = [(facet.label, group.values(facet.key)) for facet in card_facets]
        html = page.render(
            g=group, facets=facets, card=card.render(g=group, facts=facts), indexed=number < indexed
        )
        (folder / "index.html").write_text(html, "utf-8")
    written = time.perf_counter()
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"]
    subprocess.run([*command, "--glob", "groups/*/index.html"], check=True)
    end = time.perf_counter()
    used = peaks()
    return {
        "total_s": end - start,
        "render_write_s": written - start,
        "index_s": end - written,
        **used,
        "cpu_s": used["cpu_s"] - cpu_before,
    }


def in_subprocess(*args: object) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        sys.exit(f"bench_build: {args[0]} failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def report(size: int, build: dict[str, float], floor: dict[str, float], repeat: int) -> None:
    print(
        f"{size:,} listings ({build['pages']:,.0f} pages, {build['indexed']:,.0f} indexed), "
        f"medians of {repeat}:\n"
        f"  build  {build['total_s']:8.2f} s  context {build['context_s']:.2f}, "
        f"render+write {build['render_write_s']:.2f}, exports {build['exports_s']:.2f}, "
        f"index {build['index_s']:.2f} (waited {build['index_wait_s']:.2f}), "
        f"swap {build['swap_s']:.2f}\n"
        f"  floor  {floor['total_s']:8.2f} s  render+write {floor['render_write_s']:.2f}, "
        f"index {floor['index_s']:.2f}\n"
        f"  build / floor {build['total_s'] / floor['total_s']:.2f}x "
        f"(CPU time {build['cpu_s']:.1f} s / {floor['cpu_s']:.1f} s = "
        f"{build['cpu_s'] / floor['cpu_s']:.2f}x); "
        f"{1000 * build['total_s'] / size:.2f} ms per listing\n"
        f"  peak memory: build {build['peak_build_mb']:,.0f} MB, "
        f"Pagefind {build['peak_indexer_mb']:,.0f} MB "
        f"(floor: {floor['peak_build_mb']:,.0f} MB, Pagefind {floor['peak_indexer_mb']:,.0f} MB)\n"
        f"  output: {build['bytes'] / 1e6:,.1f} MB in {build['files']:,.0f} files "
        f"({build['bytes'] / size / 1000:.1f} KB per listing)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, groups, *counts = args.one
        with tempfile.TemporaryDirectory(dir=Path(groups).parent) as tmp:
            if kind == "build":
                result = run_build(Path(groups), Path(tmp))
            else:
                result = run_floor(Path(groups), int(counts[0]), int(counts[1]), Path(tmp))
        print(json.dumps(result))
        return
    per_listing = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            groups = synthetic(size, Path(tmp))
            builds, floors = [], []
            for _ in range(args.repeat):
                builds.append(in_subprocess("build", groups))
                pages, indexed = int(builds[-1]["pages"]), int(builds[-1]["indexed"])
                floors.append(in_subprocess("floor", groups, pages, indexed))
            build, floor = median(builds), median(floors)
            report(size, build, floor, args.repeat)
            per_listing[size] = build["total_s"] / size
            groups.unlink()
    sizes = sorted(per_listing)
    for size in sizes[1:]:
        base = 10_000 if 10_000 in per_listing and size > 10_000 else sizes[0]
        ratio = per_listing[size] / per_listing[base]
        print(f"time per listing at {size:,} vs {base:,}: {ratio:.2f}x (1.0 = linear)")


if __name__ == "__main__":
    main()
