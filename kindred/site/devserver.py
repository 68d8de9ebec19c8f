"""`kindred serve`: build the site, serve it on 127.0.0.1 and rebuild when sources change.

Pelican's own autoreload watches neither data/ nor the plugin, and stops for good on an
invalid catalog; this loop watches everything the site is made from and keeps serving the
last good build while a contributor fixes a mistake.

A full build of a large catalog takes a while, so a save that changes only listings is
answered at once: the catalog is validated (reading only the listings whose text changed,
see kindred.catalog.reload), the pages of the changed groups and the finder's
data are rewritten in the served site (CatalogGenerator.update_listings), and a full build
runs in the background (a `pelican` process) and replaces the site when it is done. Any other
change (taxonomy, helplines, content, theme, settings, the plugin) rebuilds fully.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import watchfiles
from pelican import Pelican, signals

from kindred.catalog.problems import CatalogError
from kindred.catalog.reload import ListingsReloader
from kindred.site.plugin import BuildStopped, CatalogGenerator
from kindred.site.settings import (
    DATA_SETTINGS,
    SettingsUnreadable,
    apply_defaults,
    read_site_settings,
)
from kindred.site.staging import MARKER, recovery_path, staging_prefix


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


def build(settings_file: Path) -> CatalogGenerator | None:
    """One full build. Returns its catalog generator, which can update listings afterwards,
    or None when it failed: failures leave the last good output in place."""
    try:
        settings = read_site_settings(settings_file)  # it is watched: a save may break it
    except SettingsUnreadable as error:
        print(f"Build failed: {error}; the last good build is still served.", flush=True)
        return None
    found: list[CatalogGenerator] = []

    def keep(generators: list) -> None:
        found.extend(g for g in generators if isinstance(g, CatalogGenerator))

    signals.all_generators_finalized.connect(keep)
    try:
        Pelican(settings).run()
    except SystemExit as stop:  # the plugin's BuildStopped, after printing the problems
        print(f"Build failed (exit {stop.code}); {_serving(settings)}")
        return None
    except Exception as error:  # keep serving: the next save may fix it
        print(f"Build failed: {type(error).__name__}: {error}; {_serving(settings)}")
        return None
    finally:
        signals.all_generators_finalized.disconnect(keep)
    return found[0] if found else None


def _serving(settings: dict) -> str:
    """What is served after a failed build: the last good one, if there is one."""
    if (Path(settings["OUTPUT_PATH"]) / MARKER).is_file():
        return "still serving the last good build."
    return "there is no earlier build to serve: fix the problems above and save again."


class SourceChanges(watchfiles.DefaultFilter):
    """The changes that matter: watchfiles' default filter (no version control folders,
    caches or editors' swap files), and never the build's own writes. The output and the
    staging and recovery folders beside it lie in a watched folder when the catalog is kept
    in the same folder as the output; watching them, each build would start the next."""

    def __init__(self, output: Path):
        super().__init__()
        self.output = output
        self.staging = (output.parent, staging_prefix(output))
        self.recovery = recovery_path(output)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        for folder in (file, *file.parents):
            if folder in (self.output, self.recovery):
                return False
            if (folder.parent, folder.name[: len(self.staging[1])]) == self.staging:
                return False
        return super().__call__(change, path)


class Rebuilder:
    """Keeps the served site up to date: full builds, and quick updates of listings."""

    def __init__(self, settings_file: Path):
        self.settings_file = settings_file
        settings = read_site_settings(settings_file)  # serve() has read it once already
        apply_defaults(settings)
        self.output = Path(settings["OUTPUT_PATH"]).resolve()
        self.groups = Path(settings["KINDRED_GROUPS"]).resolve()
        self.data_files = {Path(settings[name]).resolve() for name in DATA_SETTINGS}
        # Sources that may share a data file's folder: the settings, and the folders of an
        # organisation's overlay, the content and the theme, whatever their files are called.
        self.source_files = {settings_file.resolve()}
        self.source_folders = {
            Path(settings[name]).resolve()
            for name in ("KINDRED_OVERLAY", "PATH", "THEME")
            if settings.get(name)
        }
        self.site: CatalogGenerator | None = None  # the last good build, to update listings
        self.reloader: ListingsReloader | None = None
        self.background: subprocess.Popen | None = None

    def rebuild(self) -> None:
        """A full build here and now."""
        self.stop_background()
        self.site = build(self.settings_file)
        if self.site is None:
            return
        if self.reloader is None or self.reloader.taxonomy != self.site.catalog.taxonomy:
            self.reloader = None
            # Read the listings once now, so that the first save is quick.
            with contextlib.suppress(CatalogError, OSError):  # the next save reports it
                self.listings().load()

    def listings(self) -> ListingsReloader:
        """What reads the listings file again after a save, for the built site's taxonomy."""
        if self.reloader is None:
            assert self.site is not None
            self.reloader = ListingsReloader(self.groups, self.site.catalog.taxonomy)
        return self.reloader

    def changed(self, paths: Iterable[str]) -> None:
        """Answer a batch of changed files: listings alone are updated at once, anything
        else rebuilds fully."""
        changed = {Path(path).resolve() for path in paths}
        if self.site is None or self.groups not in changed or self.touches_sources(changed):
            self.rebuild()
            return
        try:
            catalog = self.site.edition_of(self.listings().load())
        except BuildStopped:  # the problem is printed already
            print("Build failed; still serving the last good build.", flush=True)
            return
        except (CatalogError, OSError) as error:
            if isinstance(error, CatalogError):
                print(error.report(), file=sys.stderr)
            else:
                print(f"kindred: error: cannot read {error.filename}: {error.strerror}")
            print("Build failed; still serving the last good build.", flush=True)
            return
        self.stop_background()
        try:
            written = self.site.update_listings(catalog, self.output)
        except Exception as error:  # a full build will say what is wrong, or fix it
            print(f"Could not update the listings ({type(error).__name__}: {error}).")
            self.rebuild()
            return
        pages = [path for path in written if path.endswith(".html")]
        print(
            f"Updated {len(pages)} group page{'s' if len(pages) != 1 else ''} and the finder's "
            "data; the full build runs in the background.",
            flush=True,
        )
        self.start_background()

    def sources(self, paths: Iterable[str | Path]) -> set[Path]:
        """The changed files that are sources of the site. Other files beside the data files
        are not: an editor's temporary files, or the one `kindred new` writes before it
        replaces the catalog, which would otherwise start a full build of their own."""
        data_folders = {path.parent for path in self.data_files}
        changed = {Path(path).resolve() for path in paths}
        return {
            path
            for path in changed
            if path in self.data_files
            or path in self.source_files
            or not self.source_folders.isdisjoint(path.parents)
            or path.parent not in data_folders
        }

    def touches_sources(self, changed: set[Path]) -> bool:
        """Whether any source but the listings changed."""
        return any(path != self.groups for path in self.sources(changed))

    def start_background(self) -> None:
        """A full build in its own process group, so it can be stopped with its indexer."""
        command = [sys.executable, "-m", "pelican", "-s", str(self.settings_file)]
        self.background = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._report, args=(self.background,), daemon=True).start()

    def _report(self, process: subprocess.Popen) -> None:
        output = process.communicate()[0]
        if process is not self.background:
            return  # stopped for a newer change: nothing to say
        if process.returncode == 0:
            print("The full build is done and served.", flush=True)
        else:
            print(output.strip(), file=sys.stderr)
            print("The full build failed; still serving the last good build.", flush=True)

    def stop_background(self) -> None:
        process, self.background = self.background, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()


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
    """Serve until interrupted; returns 2 when the settings or the address cannot be used."""
    try:
        settings = read_site_settings(settings_file)
    except SettingsUnreadable as error:
        print(f"kindred serve: error: {error}", file=sys.stderr)
        return 2
    output = Path(settings["OUTPUT_PATH"]).resolve()
    handler = functools.partial(SiteHandler, directory=str(output))
    try:
        server = DevServer((host, port), handler)
    except OSError as error:
        print(_listen_error(host, port, error), file=sys.stderr)
        return 2
    # Watch before the first build, so no save goes unnoticed, even one made during it.
    watcher = watchfiles.watch(
        *watched_paths(settings, settings_file),
        watch_filter=SourceChanges(output),
        yield_on_timeout=True,
        rust_timeout=500,
    )
    next(watcher)  # returns once the watcher runs
    rebuilder = Rebuilder(settings_file)
    rebuilder.rebuild()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]  # the real one when asked for port 0
    print(
        f"Serving {output} on http://{host}:{port}/ (edits to the catalog, content or theme "
        "rebuild it)",
        flush=True,
    )
    try:
        for changes in watcher:
            sources = rebuilder.sources({path for _, path in changes})
            if not sources:
                continue  # the watcher's regular pause, or only an editor's temporary files
            names = ", ".join(sorted({path.name for path in sources}))
            print(f"Changed: {names}; rebuilding…", flush=True)
            rebuilder.changed(sources)
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop_background()
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
