"""Benchmark: how soon `kindred serve` shows a saved change to one listing.

Run: .venv/bin/python bench/bench_devserver.py [--size 10000] [--edits 5]

Starts the dev server on a synthetic catalog (modelled on the real one), then saves a change
to one listing's name at a time and measures, from the save, how long until the served group
page and the finder's data (its cards, in a chunk and alone) show it. Between edits it waits
for the full build the server runs in the background, so each edit starts from a quiet server.
Goal: within 3 s at 10,000 listings.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kindred.catalog import load_catalog  # noqa: E402
from kindred.site.search_data import CHUNK  # noqa: E402
from kindred.tools.synthetic import write_synthetic  # noqa: E402


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except OSError:
        return b""


def wait_for(check, seconds: float = 300, console: list[str] | None = None) -> float:
    """Seconds until ``check()`` is true, polling every 20 ms."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > seconds:
            said = "".join((console or [])[-20:])
            raise SystemExit(f"bench_devserver: no answer in time. The server said:\n{said}")
        time.sleep(0.02)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    model = load_catalog(ROOT / "data" / "groups.yaml", ROOT / "data" / "taxonomy.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data").mkdir()
        groups = write_synthetic(
            model.taxonomy, args.size, folder / "data" / "groups.yaml", model=model
        )
        settings = folder / "devconf.py"
        settings.write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
            f"OUTPUT_PATH = {str(folder / 'output')!r}\nKINDRED_GROUPS = {str(groups)!r}\n"
            f"KINDRED_TAXONOMY = {str(ROOT / 'data' / 'taxonomy.yaml')!r}\n"
            f"KINDRED_HELPLINES = {str(ROOT / 'data' / 'helplines.yaml')!r}\n",
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "kindred.cli", "serve", "--port", "0"]
        server = subprocess.Popen(
            [*command, "--settings", str(settings)],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        console: list[str] = []
        threading.Thread(target=lambda: console.extend(server.stdout), daemon=True).start()
        started = wait_for(lambda: "Serving" in "".join(console))
        if "Build failed" in "".join(console):
            server.terminate()
            raise SystemExit("".join(console))
        url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(console)).group(0)
        print(f"{args.size:,} listings: first full build and serving after {started:.1f} s")
        page_times, data_times = [], []
        try:
            for edit in range(args.edits):
                catalog = load_catalog(groups, ROOT / "data" / "taxonomy.yaml")
                group = catalog.groups[(edit + 1) * len(catalog.groups) // (args.edits + 2)]
                new_name = f"Edited {edit} {group.name}"
                position = sorted([g.name for g in catalog.groups if g is not group] + [new_name])
                at = position.index(new_name)
                text = groups.read_text(encoding="utf-8")
                done = "".join(console).count("The full build is done")
                saved = time.perf_counter()
                groups.write_text(text.replace(f'"{group.name}"', f'"{new_name}"', 1), "utf-8")
                page = f"{url}groups/{group.id}/"
                wait_for(lambda page=page, n=new_name: n.encode() in fetch(page), console=console)
                page_times.append(time.perf_counter() - saved)
                cards = f"{url}search/cards-{at // CHUNK}.bin"
                wait_for(lambda c=cards, n=new_name: n in _gunzip(fetch(c)))
                alone = f"{url}search/card/{at}.bin"  # the last file the update writes
                wait_for(lambda c=alone, n=new_name: n in _gunzip(fetch(c)))
                data_times.append(time.perf_counter() - saved)
                print(
                    f"  edit {edit + 1}: group page {page_times[-1]:.2f} s, "
                    f"finder's data {data_times[-1]:.2f} s",
                    flush=True,
                )
                full = wait_for(
                    lambda d=done: "".join(console).count("The full build is done") > d,
                    console=console,
                )
                print(f"           full build done {full + data_times[-1]:.1f} s after the save")
        finally:
            server.terminate()
            server.wait()
        print(
            f"median of {args.edits}: group page {statistics.median(page_times):.2f} s, "
            f"finder's data {statistics.median(data_times):.2f} s (goal: 3 s)"
        )


def _gunzip(data: bytes) -> str:
    try:
        return gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError):
        return ""


if __name__ == "__main__":
    main()
