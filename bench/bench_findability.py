"""Benchmark: do everyday queries find a fitting group in the first five results?

Run: .venv/bin/python bench/bench_findability.py [--site OUTPUT] [--queries FILE] [--show all]

Builds the site from this checkout (or takes an already built OUTPUT folder, to compare with
another version), serves it on 127.0.0.1 and, in the Debian Chromium, opens the directory with
each query of bench/findability_queries.yaml as a person would (/groups/?q=…). A query is
satisfied when one of the first five groups shown has the facet values its entry wants (the
group's own values, read from data/groups.yaml). Reports the share satisfied and how many
queries showed nothing at all, and lists the queries that were not satisfied.
Goal: at least 95 % satisfied and none empty.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from kindred.catalog import Catalog, load_catalog  # noqa: E402
from kindred.catalog.model import Group  # noqa: E402
from tests.site_helpers import build_site, chromium_path  # noqa: E402

QUERIES = ROOT / "bench" / "findability_queries.yaml"
FIRST = 5
READY = "#finder:not([hidden]):not([aria-busy])"

Wanted = list[Mapping[str, list[str]]]  # any one mapping satisfies; all of its facets must


@dataclass(frozen=True)
class Outcome:
    query: str
    shown: list[str]  # ids of the first groups shown
    count_text: str
    satisfied: bool


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def load_queries(path: Path, catalog: Catalog) -> list[tuple[str, Wanted]]:
    """The queries, each checked: its facets and values exist and some group answers it."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for entry in entries:
        wanted = entry["want"] if isinstance(entry["want"], list) else [entry["want"]]
        for option in wanted:
            for key, slugs in option.items():
                unknown = set(slugs) - set(catalog.taxonomy.facet(key).slugs)
                if unknown:
                    raise SystemExit(f"{entry['q']!r}: {key} has no value {sorted(unknown)}")
        if not any(answers(group, wanted) for group in catalog.groups):
            raise SystemExit(f"{entry['q']!r}: no group in the catalog answers it")
        queries.append((str(entry["q"]), wanted))
    return queries


def answers(group: Group, wanted: Wanted) -> bool:
    return any(
        all(set(slugs) & set(group.slugs(key)) for key, slugs in option.items())
        for option in wanted
    )


def shown_ids(page: Page) -> list[str]:
    return page.locator("#finder-list [data-group-id]").evaluate_all(
        "cards => cards.map(card => card.dataset.groupId)"
    )


def run(site: Path, queries: list[tuple[str, Wanted]], catalog: Catalog) -> list[Outcome]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    by_id = {group.id: group for group in catalog.groups}
    outcomes = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=["--no-sandbox"]
            )
            page = browser.new_page()
            for query, wanted in queries:
                page.goto(f"{url}/groups/?q={quote(query)}")
                page.wait_for_selector(READY)
                shown = shown_ids(page)[:FIRST]
                satisfied = any(answers(by_id[group_id], wanted) for group_id in shown)
                count = (page.locator("#finder-count").text_content() or "").strip()
                outcomes.append(Outcome(query, shown, count, satisfied))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return outcomes


def report(outcomes: list[Outcome], show_all: bool) -> None:
    for outcome in outcomes:
        if show_all or not outcome.satisfied:
            mark = "ok  " if outcome.satisfied else "MISS"
            first = ", ".join(outcome.shown) or "(nothing)"
            print(f"{mark} {outcome.query!r}: {first}\n       {outcome.count_text}")
    total = len(outcomes)
    satisfied = sum(outcome.satisfied for outcome in outcomes)
    empty = sum(not outcome.shown for outcome in outcomes)
    print(f"\nqueries: {total}")
    print(f"satisfied in the first {FIRST}: {satisfied} ({100 * satisfied / total:.1f} %)")
    print(f"returned nothing: {empty} ({100 * empty / total:.1f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built output folder (default: build one)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--show", choices=["misses", "all"], default="misses")
    args = parser.parse_args()
    catalog = load_catalog(ROOT / "data" / "groups.yaml", ROOT / "data" / "taxonomy.yaml")
    queries = load_queries(args.queries, catalog)
    with tempfile.TemporaryDirectory() as workdir:
        site = args.site or build_site(Path(workdir) / "output")
        outcomes = run(site, queries, catalog)
    report(outcomes, args.show == "all")


if __name__ == "__main__":
    main()
