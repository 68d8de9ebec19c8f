"""Lighthouse scores for the home page, the directory and a group page.

Run: .venv/bin/python scripts/lighthouse.py [--size N]
Builds the site, serves it on 127.0.0.1, runs Lighthouse (from npm, in the Debian Chromium)
on each page with its default mobile settings, and prints the four category scores. The
README's quality section quotes the latest run. With --size, the site is built from a
synthetic catalog of N listings modelled on the real one (see kindred.tools.synthetic).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kindred.catalog import load_catalog  # noqa: E402
from kindred.tools.synthetic import write_synthetic  # noqa: E402
from tests.site_helpers import build_site  # noqa: E402

LIGHTHOUSE = "lighthouse@13.5.0"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def audit(url: str, report: Path) -> dict[str, int]:
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
            "--disable-background-networking --disable-component-update --no-first-run",
        ],
        check=True,
        env=env,
    )
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="build from this many synthetic listings")
    args = parser.parse_args()
    model = load_catalog(ROOT / "data/groups.yaml", ROOT / "data/taxonomy.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        groups = ROOT / "data/groups.yaml"
        if args.size:
            groups = write_synthetic(model.taxonomy, args.size, Path(tmp) / "g.yaml", model=model)
        first = load_catalog(groups, ROOT / "data/taxonomy.yaml").groups[0]
        pages = {"home": "/", "directory": "/groups/", "group page": f"/groups/{first.id}/"}
        output = build_site(Path(tmp) / "output", groups=groups)
        handler = functools.partial(_Quiet, directory=str(output))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        print("| page | " + " | ".join(CATEGORIES) + " |")
        print("|---|" + "---|" * len(CATEGORIES))
        for name, path in pages.items():
            scores = audit(origin + path, Path(tmp) / "report.json")
            print(f"| {name} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
        server.shutdown()


if __name__ == "__main__":
    main()
