"""`kindred serve`: builds, serves on 127.0.0.1, rebuilds on changes, survives bad data."""

from __future__ import annotations

import functools
import gzip
import json
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_OVERLAY, GROUPS, HELPLINES, ROOT, TAXONOMY
from tests.site_helpers import finder_cards, single_cards
from tests.test_catalog import VALID, second


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_until(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the dev server")


def settings_for(tmp_path: Path, listings: str = "", extra: str = "") -> tuple[Path, Path]:
    """Settings that build a catalog (by default of two listings) into tmp_path/output:
    (settings, groups); the taxonomy is a copy, beside the listings. ``extra`` adds settings."""
    data = tmp_path / "data"
    data.mkdir()
    groups = data / "groups.yaml"
    groups.write_text(listings or VALID + second(), encoding="utf-8")
    taxonomy = data / "taxonomy.yaml"
    taxonomy.write_bytes(TAXONOMY.read_bytes())
    settings = tmp_path / "devconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n"
        f"KINDRED_GROUPS = {str(groups)!r}\nKINDRED_TAXONOMY = {str(taxonomy)!r}\n"
        f"KINDRED_HELPLINES = {str(HELPLINES)!r}\n" + extra,
        encoding="utf-8",
    )
    return settings, groups


@dataclass
class Served:
    url: str
    port: int
    output: Path
    groups: Path
    console: list[str]  # everything the server printed, collected as it runs


@contextmanager
def running_server(tmp_path: Path, listings: str = "", extra: str = "") -> Iterator[Served]:
    settings, groups = settings_for(tmp_path, listings, extra)
    process = subprocess.Popen(
        [sys.executable, "-m", "kindred.cli", "serve", "--port", "0", "--settings", str(settings)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    console: list[str] = []
    url = None
    for line in process.stdout:  # the build runs first, then the address is printed
        console.append(line)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            url = found.group(0)
            break
    assert url, "the dev server did not start:\n" + "".join(console)
    threading.Thread(target=lambda: console.extend(process.stdout), daemon=True).start()
    try:
        yield Served(url, int(found.group(1)), tmp_path / "output", groups, console)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    with running_server(tmp_path) as served:
        yield served


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that only read from it."""
    with running_server(tmp_path_factory.mktemp("served")) as running:
        yield running


def test_serves_rebuilds_on_change_and_keeps_the_last_good_build(server: Served) -> None:
    url, groups = server.url, server.groups
    assert 'data-group-id="calm-harbour"' in fetch(url + "groups/")
    groups.write_text(VALID.replace("Calm Harbour", "Quiet Harbour") + second(), encoding="utf-8")
    wait_until(lambda: "Quiet Harbour" in fetch(url + "groups/calm-harbour/"))
    groups.write_text(VALID.replace("cost: free", "cost: gratis") + second(), encoding="utf-8")
    # An invalid save: the validator's message, and the last good build keeps being served.
    wait_until(lambda: "Build failed" in "".join(server.console))
    assert "'gratis' is not a known cost" in "".join(server.console)
    assert "Quiet Harbour" in fetch(url + "groups/calm-harbour/")
    groups.write_text(VALID.replace("Calm Harbour", "Still Harbour") + second(), encoding="utf-8")
    wait_until(lambda: "Still Harbour" in fetch(url + "groups/calm-harbour/"))


def test_an_output_beside_the_catalog_is_not_taken_for_a_change(tmp_path: Path) -> None:
    """With the output in the catalog's own folder, the build's own writes start no other
    build, nor do the temporary files editors and `kindred new` write beside the catalog; a
    save still does, once."""
    output = tmp_path / "data" / "site"
    with running_server(tmp_path, extra=f"OUTPUT_PATH = {str(output)!r}\n") as served:
        changed = lambda: sum("Changed:" in line for line in served.console)  # noqa: E731
        temporary = served.groups.parent / f".{served.groups.name}.x1y2z3.tmp"
        temporary.write_text(served.groups.read_text(encoding="utf-8"), encoding="utf-8")
        temporary.unlink()
        time.sleep(1.5)  # the watcher reports every half second
        assert changed() == 0, "".join(served.console)
        renamed = VALID.replace("Calm Harbour", "Quiet Harbour") + second()
        served.groups.write_text(renamed, encoding="utf-8")
        wait_until(lambda: "The full build is done" in "".join(served.console))
        time.sleep(1.5)
        assert changed() == 1, "".join(served.console)
        assert "Quiet Harbour" in fetch(served.url + "groups/calm-harbour/")


def test_settings_broken_while_serving_keep_the_last_good_build(tmp_path: Path) -> None:
    with running_server(tmp_path) as served:
        settings = tmp_path / "devconf.py"
        good = settings.read_text(encoding="utf-8")
        settings.write_text(good + "SITENAME = \n", encoding="utf-8")
        wait_until(lambda: "not valid Python" in "".join(served.console))
        assert "Traceback" not in "".join(served.console)
        assert 'data-group-id="calm-harbour"' in fetch(served.url + "groups/")
        settings.write_text(good + "SITENAME = 'Mended'\n", encoding="utf-8")
        wait_until(lambda: "Mended" in fetch(served.url))


def test_a_first_build_that_fails_says_there_is_nothing_to_serve_yet(tmp_path: Path) -> None:
    invalid = VALID.replace("cost: free", "cost: gratis") + second()
    with running_server(tmp_path, listings=invalid) as served:
        console = "".join(served.console)
        assert "'gratis' is not a known cost" in console
        assert "there is no earlier build to serve" in console
        assert "still serving the last good build" not in console


def finder_text(url: str, chunk: int = 0) -> str:
    """The cards the finder shows, as served (search/cards-0.bin holds the first ones)."""
    with urllib.request.urlopen(url + f"search/cards-{chunk}.bin", timeout=5) as response:
        return gzip.decompress(response.read()).decode("utf-8")


def test_a_change_to_listings_is_served_at_once_then_the_full_build_follows(
    server: Served,
) -> None:
    url, groups, console = server.url, server.groups, server.console
    unchanged = (server.output / "groups" / "second-one" / "index.html").stat().st_mtime_ns
    groups.write_text(VALID.replace("Calm Harbour", "Quiet Harbour") + second(), encoding="utf-8")
    wait_until(lambda: "Updated 1 group page and the finder's data" in "".join(console))
    # Straight away: the changed group's page and the finder's data, and nothing else.
    assert "Quiet Harbour" in fetch(url + "groups/calm-harbour/")
    assert "Quiet Harbour" in finder_text(url)
    # Then the full build replaces the whole site, lists included.
    wait_until(lambda: "The full build is done and served." in "".join(console))
    assert "Quiet Harbour" in fetch(url + "groups/")
    assert "Quiet Harbour" in fetch(url + "condition/depression/")
    new_site = (server.output / "groups" / "second-one" / "index.html").stat().st_mtime_ns
    assert new_site != unchanged
    assert not list(server.output.parent.glob(".output.kindred-building-*"))


def test_a_listing_removed_leaves_no_card_behind(server: Served) -> None:
    """The finder's data straight away: the card alone of a position no group holds now is
    gone with the removed group."""
    last = server.output / "search" / "card" / "1.bin"
    assert last.is_file()  # two listings: positions 0 and 1
    server.groups.write_text(VALID, encoding="utf-8")
    wait_until(lambda: "the finder's data" in "".join(server.console))
    assert not last.exists()
    assert single_cards(server.output) == finder_cards(server.output)


def test_an_organisations_edition_keeps_its_own_listings_through_a_quick_update(
    tmp_path: Path,
) -> None:
    overlay = tmp_path / "overlay"
    shutil.copytree(EXAMPLE_OVERLAY, overlay)
    catalog = GROUPS.read_text(encoding="utf-8")
    with running_server(tmp_path, catalog, f"KINDRED_OVERLAY = {str(overlay)!r}\n") as server:
        server.groups.write_text(catalog.replace("\n  name: ", "\n  name: Edited ", 1), "utf-8")
        wait_until(lambda: "Updated 1 group page" in "".join(server.console))
        meta = json.loads(fetch(server.url + "search/facets.json"))
        chunks = range(-(-meta["count"] // meta["chunk"]))
        cards = "".join(card for n in chunks for card in json.loads(finder_text(server.url, n)))
        assert ">Edited " in cards
        assert 'data-group-id="larkspur-vale-carers-circle"' in cards  # the edition's own
        assert 'data-group-id="seven-cups"' not in cards  # and one it hides
        # The renamed group moved in the order: each card alone follows the chunks.
        assert single_cards(server.output) == finder_cards(server.output)


def test_a_change_to_the_taxonomy_rebuilds_fully(server: Served) -> None:
    taxonomy = server.groups.parent / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("label: Free\n", "label: No cost\n", 1),
        encoding="utf-8",
    )
    wait_until(lambda: "No cost" in fetch(server.url + "groups/calm-harbour/"))
    assert "Updated" not in "".join(server.console)  # no quick path: every page may change


def raw_get(served: Served, target: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """One request sent as written (no client-side normalising of the path): status,
    headers (lowercase names) and body."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=timeout) as connection:
        connection.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def test_a_missing_page_is_the_sites_own_404_page(served: Served) -> None:
    status, headers, body = raw_get(served, "/groups/no-such-group/")
    assert status == 404
    assert body == (served.output / "404.html").read_bytes()
    assert headers["content-type"].startswith("text/html")


def test_the_404_page_at_depth_two_links_to_files_that_exist(served: Served) -> None:
    """It is served at the missing address itself, so its stylesheet, scripts and links must
    work from there: they lead from the server's root."""
    _, _, body = raw_get(served, "/groups/no-such-group/")
    targets = re.findall(r'(?:href|src|action)="(/[^"]*)"', body.decode("utf-8"))
    assert "/theme/css/kindred.css" in targets and "/groups/" in targets
    for target in targets:
        status, _, _ = raw_get(served, target)
        assert status == 200, target


def test_folders_without_an_index_are_never_listed(served: Served) -> None:
    for folder in ("/pagefind/", "/search/", "/theme/", "/theme/css/", "/feeds/"):
        status, _, body = raw_get(served, folder)
        assert status == 404, folder
        assert b"Directory listing" not in body and b"Page not found" in body, folder


def test_every_response_says_nosniff_and_no_referrer(served: Served) -> None:
    for target in ("/", "/groups", "/theme/css/kindred.css", "/no-such-page", "/%00", "x"):
        status, headers, _ = raw_get(served, target)
        assert headers.get("x-content-type-options") == "nosniff", (target, status)
        assert headers.get("referrer-policy") == "no-referrer", (target, status)


def test_malformed_paths_are_a_400_not_a_traceback(served: Served) -> None:
    for target in ("/%00", "/groups/%00/", "/a%00b.html", "/%0d%0aSet-Cookie:x=1", "no-slash"):
        status, headers, _ = raw_get(served, target)
        assert status == 400, target
        assert "set-cookie" not in headers
    assert raw_get(served, "/")[0] == 200  # and the server carries on
    console = "".join(served.console)
    assert "Traceback" not in console and "Exception" not in console, console


def test_nothing_outside_the_site_can_be_reached(served: Served) -> None:
    secret = served.output.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    for target in (
        "/../secret.txt",
        "/groups/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/groups/..%5c..%5csecret.txt",
        "//../secret.txt",
        "/../../../../../../etc/passwd",
    ):
        status, _, body = raw_get(served, target)
        assert status in (400, 404), target
        assert b"not for the web" not in body and b"root:" not in body, target


def test_an_idle_connection_is_closed(tmp_path: Path) -> None:
    """The server hangs up on a client that says nothing, so idle connections never hold its
    threads: after IDLE_TIMEOUT seconds, here after a shorter time set the same way."""
    from kindred.site.devserver import IDLE_TIMEOUT, DevServer, SiteHandler

    assert 0 < SiteHandler.timeout == IDLE_TIMEOUT <= 30
    impatient = type("Impatient", (SiteHandler,), {"timeout": 0.5})
    server = DevServer(("127.0.0.1", 0), functools.partial(impatient, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(server.server_address, timeout=20) as connection:
            started = time.monotonic()
            assert connection.recv(1) == b""
            assert time.monotonic() - started < 10
    finally:
        server.shutdown()
        server.server_close()


def test_a_burst_of_connections_waits_in_the_listen_queue(tmp_path: Path) -> None:
    """A page load opens many connections at once: the kernel must queue them all rather
    than drop the extra ones (each dropped one waits a second or more to be retried)."""
    from kindred.site.devserver import DevServer, SiteHandler

    server = DevServer(("127.0.0.1", 0), SiteHandler)  # listening, not yet accepting
    limit = int(Path("/proc/sys/net/core/somaxconn").read_text())
    wanted = min(200, limit)
    clients = [socket.socket() for _ in range(wanted)]
    try:
        for client in clients:
            client.setblocking(False)
            client.connect_ex(server.server_address)
        pending, connected = set(clients), 0
        deadline = time.monotonic() + 5
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], list(pending), [], 0.1)
            for client in writable:
                connected += client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                pending.discard(client)
        assert connected == wanted
    finally:
        for client in clients:
            client.close()
        server.server_close()


def kindred_serve(settings: Path, port: str) -> subprocess.CompletedProcess:
    """`kindred serve` expected to stop at once (nothing to serve on)."""
    command = ["serve", "--port", port, "--settings", str(settings)]
    return subprocess.run(
        [sys.executable, "-m", "kindred.cli", *command],
        cwd=settings.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_port_in_use_says_how_to_choose_another(tmp_path: Path) -> None:
    settings, _ = settings_for(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kindred_serve(settings, str(port))
        assert result.returncode == 2
        assert f"port {port} is in use" in result.stderr
        assert f"make serve PORT={port + 1}" in result.stderr
        assert f"kindred serve --port {port + 1}" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "output").exists()  # nothing was built

        # make serve passes PORT through (-o: do not reinstall the environment here).
        make = subprocess.run(
            ["make", "-o", ".venv/.installed", "serve", f"PORT={port}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert make.returncode != 0
        assert f"port {port} is in use" in make.stderr


def test_an_impossible_port_is_a_usage_error(tmp_path: Path) -> None:
    settings, _ = settings_for(tmp_path)
    for port in ("65536", "-1", "http"):
        result = kindred_serve(settings, port)
        assert result.returncode == 2, port
        assert "port" in result.stderr and "Traceback" not in result.stderr, port
