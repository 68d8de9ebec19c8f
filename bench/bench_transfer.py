"""Benchmark: bytes a browser transfers for the directory, on synthetic catalogs.

Run: .venv/bin/python bench/bench_transfer.py [--sizes 1000 10000]

Builds the site for each size (synthetic listings modelled on the real catalog: its
vocabulary and its facet value frequencies), serves it on 127.0.0.1 twice: with a plain static
server (no compression, as many intranet servers are set up) and with one that compresses text
files with gzip as GitHub Pages and most web hosts do. Opens it in the Debian Chromium with an
empty cache and adds up every response (headers and body) for:
  - the first filtered view: /groups/?condition=…&cost=free opened cold;
  - a text search: /groups/?q=… opened cold (page and search together);
  - the same search typed into the directory once it is open (what the search itself costs).
Goals at 10,000 listings: at most 150 KB for the filtered view, 300 KB for the search.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import mimetypes
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from kindred.catalog import load_catalog  # noqa: E402
from kindred.catalog.taxonomy import load_taxonomy  # noqa: E402
from kindred.tools.synthetic import write_synthetic  # noqa: E402
from tests.site_helpers import build_site, chromium_path  # noqa: E402

QUERY = "caregivers"
VIEWS = {
    "first filtered view": "/groups/?condition=depression&cost=free",
    "text search, opened cold": f"/groups/?q={QUERY}",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Compressing(_Quiet):
    """Sends text files gzip-compressed to a browser that accepts it, as GitHub Pages does;
    everything else (the search files, already compressed) as it is."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepted and path.suffix in self.TEXT and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


SERVERS = {"plain server": _Quiet, "compressing server": _Compressing}
READY = "#finder:not([hidden]):not([aria-busy]) #finder-list li"


def measure(browser: Browser, url: str, type_query: str = "") -> tuple[int, dict[str, int], str]:
    """Total bytes (headers and bodies), the bytes of each kind of file and the result count
    shown.

    With ``type_query``, only what the browser fetches after the query is typed counts.
    """
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_selector(READY)
    page.wait_for_load_state("networkidle")
    if type_query:
        finished.clear()
        page.fill("#finder-q", type_query)
        page.wait_for_url(f"**q={type_query}*")
        page.wait_for_selector(READY)
        page.wait_for_load_state("networkidle")
    total, kinds = 0, {}
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        kind = _kind(request.url)
        kinds[kind] = kinds.get(kind, 0) + size
    count = page.locator("#finder-count").text_content() or ""
    context.close()
    return total, kinds, count.strip()


def _kind(url: str) -> str:
    """What a request fetched, with numbered chunks of one kind counted together."""
    path = url.split("?")[0].split("/", 3)[-1]
    folder, _, name = path.rpartition("/")
    stem = name.split(".")[0].rstrip("0123456789-_")
    if folder.startswith("pagefind"):
        return f"{folder}/{stem or name}…" if "/" in folder or stem != name else path
    if folder.endswith("/card"):
        return f"{folder}/*"
    return path if not stem.endswith("cards") else f"{folder}/cards-*"


def _report(browser: Browser, output: Path, handler_class: type, heading: str) -> None:
    """Serves ``output`` with ``handler_class`` and prints what each view transfers."""
    handler = functools.partial(handler_class, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    views = [(name, origin + path, "") for name, path in VIEWS.items()]
    views.append(("search typed on the open directory", origin + "/groups/", QUERY))
    for name, url, typed in views:
        total, kinds, count = measure(browser, url, typed)
        print(f"{heading}, {name}: {total / 1024:.1f} KB ({count})")
        for kind, kind_bytes in sorted(kinds.items(), key=lambda item: -item[1]):
            print(f"         {kind_bytes / 1024:7.1f} KB  {kind}")
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args()
    taxonomy = load_taxonomy(ROOT / "data/taxonomy.yaml")
    model = load_catalog(ROOT / "data/groups.yaml", ROOT / "data/taxonomy.yaml")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-background-networking"],
        )
        for size in args.sizes:
            groups = write_synthetic(taxonomy, size, Path(tmp) / f"g-{size}.yaml", model=model)
            output = build_site(Path(tmp) / f"site-{size}", groups=groups)
            for served_by, handler_class in SERVERS.items():
                _report(browser, output, handler_class, f"{size:>6} listings, {served_by}")
        browser.close()


if __name__ == "__main__":
    main()
