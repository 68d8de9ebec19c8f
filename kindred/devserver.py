"""`kindred serve`: build the site, serve it on 127.0.0.1 and rebuild when sources change.

Pelican's own autoreload watches neither data/ nor the plugin, and stops for good on an
invalid catalog; this loop watches everything the site is made from and keeps serving the
last good build while a contributor fixes a mistake.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles
from pelican import Pelican
from pelican.settings import read_settings

from kindred.settings import DATA_SETTINGS, apply_defaults


def watched_paths(settings: dict, settings_file: Path) -> list[str]:
    """Everything the site is made from: the catalog's folders, content, theme, the plugin
    and the settings file."""
    apply_defaults(settings)
    paths = {
        *(Path(settings[name]).resolve().parent for name in DATA_SETTINGS),
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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(settings_file: Path, host: str, port: int) -> int:
    """Serve until interrupted; returns 2 when the address cannot be used."""
    settings = read_settings(str(settings_file))
    output = Path(settings["OUTPUT_PATH"]).resolve()
    handler = functools.partial(_QuietHandler, directory=str(output))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        print(f"kindred: error: cannot listen on {host}:{port}: {error.strerror}")
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
