"""`kindred serve`: build the site, serve it on 127.0.0.1 and rebuild when sources change.

Pelican's own autoreload watches neither data/ nor the plugin, and stops for good on an
invalid catalog; this loop watches everything the site is made from and keeps serving the
last good build while a contributor fixes a mistake.
"""

from __future__ import annotations

import errno
import functools
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import watchfiles
from pelican import Pelican
from pelican.settings import read_settings

from kindred.site.settings import DATA_SETTINGS, apply_defaults


def watched_paths(settings: dict, settings_file: Path) -> list[str]:
    """Everything the site is made from: the catalog's folders, an organisation's overlay,
    content, theme, the plugin and the settings file."""
    apply_defaults(settings)
    paths = {
        *(Path(settings[name]).resolve().parent for name in DATA_SETTINGS),
        *([Path(settings["KINDRED_OVERLAY"])] if settings["KINDRED_OVERLAY"] else []),
        Path(settings["PATH"]),
        Path(settings["THEME"]),
        Path(__file__).resolve().parent,
        settings_file.resolve(),
    }
    return sorted(str(path) for path in paths if path.exists())


def build(settings_file: Path) -> bool:
    """One full build; True when it succeeded. Failures leave the last good output in place."""
    settings = read_settings(str(settings_file))
    try:
        Pelican(settings).run()
    except SystemExit as stop:  # the plugin's BuildStopped, after printing the problems
        print(f"Build failed (exit {stop.code}); still serving the last good build.")
        return False
    except Exception as error:  # keep serving: the next save may fix it
        print(f"Build failed: {type(error).__name__}: {error}")
        return False
    return True


# A connection that sends nothing for this long is closed, so idle clients cannot pile up.
IDLE_TIMEOUT = 10
# Connections the kernel queues until they are accepted: a page load opens dozens at once,
# and one that does not fit waits a second or more to be retried.
LISTEN_BACKLOG = 256


class DevServer(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A client that hangs up mid-answer is normal; anything else gets one line,
        not a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            message = f"{type(error).__name__}: {error}"
            print(f"kindred serve: could not answer a request: {message}", file=sys.stderr)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site the way a careful static host does: the site's own 404 page,
    no directory listings, a 400 for malformed paths and the safety headers on every answer.
    Paths cannot leave the site: the standard handler drops '..' after decoding."""

    timeout = IDLE_TIMEOUT

    def send_head(self) -> BinaryIO | None:
        if not _well_formed(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return None
        return super().send_head()

    def list_directory(self, path: str) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _well_formed(target: str) -> bool:
    """A request path starts with '/' and, decoded, holds no control characters (a NUL
    would otherwise reach the file system calls)."""
    path = unquote(urlsplit(target).path)
    return target.startswith("/") and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in path)


def serve(settings_file: Path, host: str, port: int) -> int:
    """Serve until interrupted; returns 2 when the address cannot be used."""
    settings = read_settings(str(settings_file))
    output = Path(settings["OUTPUT_PATH"]).resolve()
    handler = functools.partial(SiteHandler, directory=str(output))
    try:
        server = DevServer((host, port), handler)
    except OSError as error:
        print(_listen_error(host, port, error), file=sys.stderr)
        return 2
    build(settings_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]  # the real one when asked for port 0
    print(
        f"Serving {output} on http://{host}:{port}/ (edits to the catalog, content or theme "
        "rebuild it)",
        flush=True,
    )
    watched = watched_paths(settings, settings_file)
    try:
        for changes in watchfiles.watch(*watched):
            names = ", ".join(sorted({Path(path).name for _, path in changes}))
            print(f"Changed: {names}; rebuilding…", flush=True)
            build(settings_file)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def _listen_error(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8001
        return (
            f"kindred: error: port {port} is in use on {host}; choose another port: "
            f"make serve PORT={other} (or kindred serve --port {other})"
        )
    return f"kindred: error: cannot listen on {host}:{port}: {error.strerror or error}"
