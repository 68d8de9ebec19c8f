"""Browser tests: the real built site, served on 127.0.0.1, in the Debian Chromium (its headless
shell where installed).

Where no Chromium can be found the tests skip locally with the reason, and fail in CI
(CI set), so a green CI always means they ran.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.conftest import EXAMPLE_OVERLAY
from tests.headers_file import headers_for, read_rules
from tests.site_helpers import build_site, chromium_path

SUBPATH = "/wellbeing/support/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    path = chromium_path()
    if path is None:
        message = (
            "no Chromium found (apt-get install chromium-headless-shell, or set CHROMIUM_PATH)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


class _Handler(SimpleHTTPRequestHandler):
    """Serves the output folder at ``prefix``; anything outside it is a 404. Like a static
    host set up for the site, a missing page is answered with the site's own 404 page."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _HostHandler(_Handler):
    """Serves the site as a static host would: the headers its ``_headers`` file asks for,
    and its own 404 page."""

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        for name, value in headers_for(read_rules(Path(self.directory)), path).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Site:
    """A built site and the local server that serves it (as a static host, with the headers
    of its _headers file, when ``host`` is set)."""

    def __init__(self, root: Path, prefix: str = "/", host: bool = False):
        handler = type("Handler", (_HostHandler if host else _Handler,), {"prefix": prefix})
        self.server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.origin + prefix.rstrip("/")
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def site(relative_site: Path) -> Iterator[Site]:
    """The development build (relative URLs) served at the server's root."""
    served = Site(relative_site)
    yield served
    served.stop()


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A publish build (absolute SITEURL with a path) served under that path."""
    output = tmp_path_factory.mktemp("browser-subpath") / "output"
    output.mkdir()
    served = Site(output, SUBPATH)
    build_site(output, SITEURL=served.url, RELATIVE_URLS=False)
    yield served
    served.stop()


@pytest.fixture(scope="session")
def intranet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Another web site (another port, so another origin): an intranet that frames the
    embedded finder. Tests write its pages into ``intranet.root``."""
    root = tmp_path_factory.mktemp("intranet")
    served = Site(root)
    served.root = root  # type: ignore[attr-defined]
    yield served
    served.stop()


@pytest.fixture(scope="session")
def overlay_site(tmp_path_factory: pytest.TempPathFactory, intranet: Site) -> Iterator[Site]:
    """The example organisation's edition (examples/overlay), built for its address under a
    sub-path and served as a static host serves it: with the headers of its _headers file
    (which let ``intranet`` frame it) and its 404 page."""
    output = tmp_path_factory.mktemp("browser-overlay") / "output"
    output.mkdir()
    served = Site(output, SUBPATH, host=True)
    build_site(
        output,
        SITEURL=served.url,
        RELATIVE_URLS=False,
        KINDRED_OVERLAY=str(EXAMPLE_OVERLAY),
        KINDRED_FRAME_ANCESTORS=[intranet.origin],
    )
    yield served
    served.stop()


@pytest.fixture
def watched_page(page: Page) -> Iterator[Page]:
    """A page that records console errors and refuses any request that leaves 127.0.0.1.

    Tests assert that both lists stay empty: a CSP violation shows as a console error.
    """
    page.console_errors = []  # type: ignore[attr-defined]
    page.foreign_requests = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield page
    assert page.console_errors == []
    assert page.foreign_requests == []
