"""`kindred check-links` against a real HTTP server on 127.0.0.1: every status, retries, the
HEAD-to-GET fallback, redirects, time bounds, exit codes and the reports.

Nothing leaves the machine: the server listens on 127.0.0.1, the DNS case uses the reserved
.invalid top-level domain, and proxy settings are cleared so urllib connects directly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kindred import link_report
from kindred.cli import main
from kindred.links import (
    CONNECTION,
    DNS,
    GONE,
    HTTP_ERROR,
    OK,
    REDIRECTED,
    SERVER_ERROR,
    STATUSES,
    TIMEOUT,
    TLS,
    LinkResult,
    Options,
    check_links,
    check_url,
)
from kindred.urls import ALLOW_LOCAL_VARIABLE
from tests.test_catalog import second

TIMEOUT_S = 0.4
SLOW_S = TIMEOUT_S * 2  # /slow answers, but only after the client has given up
FAST = Options(timeout=TIMEOUT_S, retries=1, backoff=0.01, concurrency=8)
# Short flags so CLI runs take about a second: one retry, a hundredth of a second's backoff.
FAST_FLAGS = ["--timeout", str(TIMEOUT_S), "--retries", "1", "--backoff", "0.01"]
DNS_URL = "http://kindred-test.invalid/"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when all checks start at once, and a dropped
    # SYN is retried only after a second: longer than the tests' timeout.
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()  # lets /hang go at the end of the tests
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path) in arrival order

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # a client that gave up on /slow closed the socket: expected here, not an error

    def requests_for(self, path: str) -> list[str]:
        with self.lock:
            return [method for method, seen in self.requests if seen == path]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        with self.server.lock:
            earlier = [seen for _, seen in self.server.requests].count(self.path)
            self.server.requests.append((self.command, self.path))
        path = urlsplit(self.path).path
        if path == "/hang":
            self.server.release.wait(10)  # never answers; the bound keeps teardown finite
            return
        if path == "/slow":
            time.sleep(SLOW_S)
        redirects = {"/moved": (301, "/ok"), "/temp": (302, "/ok"), "/chain": (308, "/temp")}
        if path in redirects:
            code, location = redirects[path]
            return self.answer(code, location)
        codes = {"/gone": 404, "/removed": 410, "/error": 500, "/forbidden": 403}
        if path in codes:
            return self.answer(codes[path])
        if path == "/flaky":  # each distinct ?query is its own flaky page
            return self.answer(500 if earlier == 0 else 200)
        if path == "/nohead" and self.command == "HEAD":
            return self.answer(405)
        if path == "/head404" and self.command == "HEAD":
            return self.answer(404)
        return self.answer(200)

    def answer(self, code: int, location: str | None = None) -> None:
        body = b"" if self.command == "HEAD" else b"hello"
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would carry these requests off the machine."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _local_listings_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogs here point at the test server on 127.0.0.1, which listings may not."""
    monkeypatch.setenv(ALLOW_LOCAL_VARIABLE, "1")


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def refused_url() -> Iterator[str]:
    """A port that is bound but not listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"


def write_catalog(path: Path, urls: dict[str, str]) -> Path:
    path.write_text("".join(second(listing_id, url) for listing_id, url in urls.items()))
    return path


def test_every_kind_of_answer_gets_its_status_in_bounded_time(
    server: _Server, refused_url: str
) -> None:
    root = base(server)
    urls = {
        "ok": f"{root}/ok",
        "moved": f"{root}/moved",
        "temp": f"{root}/temp",
        "chain": f"{root}/chain",
        "gone": f"{root}/gone",
        "removed": f"{root}/removed",
        "error": f"{root}/error",
        "flaky": f"{root}/flaky?first",
        "slow": f"{root}/slow",
        "hang": f"{root}/hang",
        "nohead": f"{root}/nohead",
        "head404": f"{root}/head404",
        "forbidden": f"{root}/forbidden",
        "tls": f"https://127.0.0.1:{server.server_address[1]}/ok",  # TLS to a plain server
        "refused": refused_url,
        "dns": DNS_URL,
    }
    started = time.monotonic()
    results = {r.id: r for r in check_links(list(urls.items()), FAST)}
    elapsed = time.monotonic() - started

    expected = {
        "ok": (OK, 200),
        "moved": (REDIRECTED, 200),
        "temp": (OK, 200),
        "chain": (REDIRECTED, 200),
        "gone": (GONE, 404),
        "removed": (GONE, 410),
        "error": (SERVER_ERROR, 500),
        "flaky": (OK, 200),
        "slow": (TIMEOUT, None),
        "hang": (TIMEOUT, None),
        "nohead": (OK, 200),
        "head404": (OK, 200),
        "forbidden": (HTTP_ERROR, 403),
        "tls": (TLS, None),
        "refused": (CONNECTION, None),
        "dns": (DNS, None),
    }
    assert {k: (r.status, r.code) for k, r in results.items()} == expected
    assert [r.id for r in check_links(list(urls.items())[:3], FAST)] == ["ok", "moved", "temp"]

    # A permanent redirect names the address to list instead; where a 308 leads on to a
    # temporary redirect, that is the address after the permanent hop, not the temporary one.
    assert results["moved"].final_url == f"{root}/ok"
    assert results["chain"].final_url == f"{root}/temp"
    assert results["temp"].final_url == f"{root}/ok" and "temporary" in results["temp"].note
    assert results["ok"].final_url is None
    # Retries: the flaky page failed once and was checked again; timeouts were retried too.
    assert results["flaky"].attempts == 2 and "after 2 attempts" in results["flaky"].note
    assert results["hang"].attempts == 2 and results["error"].attempts == 2
    assert results["gone"].attempts == 1 and results["dns"].attempts == 1
    assert "automated checks" in results["forbidden"].note
    assert [r.id for r in results.values() if r.broken] == ["gone", "removed", "dns"]
    # Concurrent and bounded: /hang and /slow cost two timeouts each, not the whole run.
    assert elapsed < 4 * TIMEOUT_S + 2, elapsed


def test_head_first_get_only_where_head_is_refused(server: _Server) -> None:
    root = base(server)
    # Each path gets a query of its own so that earlier tests' requests do not count.
    for path in ("/ok?head", "/moved?head", "/nohead?head", "/head404?head", "/gone?head"):
        check_url(path, root + path, FAST)
    assert server.requests_for("/ok?head") == ["HEAD"]
    assert server.requests_for("/nohead?head") == ["HEAD", "GET"]
    assert server.requests_for("/head404?head") == ["HEAD", "GET"]
    # A 404 is confirmed with GET before it counts as gone, since gone fails the run.
    assert server.requests_for("/gone?head") == ["HEAD", "GET"]
    # HEAD stays HEAD across a redirect (urllib alone would switch to GET).
    assert server.requests_for("/moved?head") == ["HEAD"]
    assert server.requests_for("/ok")[-1] == "HEAD"


def test_retries_are_what_rescue_a_flaky_server(server: _Server) -> None:
    root = base(server)
    no_retry = Options(timeout=TIMEOUT_S, retries=0, backoff=0.01)
    once = check_url("flaky", f"{root}/flaky?no-retry", no_retry)
    assert (once.status, once.code, once.attempts) == (SERVER_ERROR, 500, 1)

    pauses: list[float] = []
    patient = Options(timeout=TIMEOUT_S, retries=3, backoff=0.01)
    result = check_url("error", f"{root}/error?patient", patient, sleep=pauses.append)
    assert (result.status, result.attempts) == (SERVER_ERROR, 4)
    assert pauses == [0.01, 0.02, 0.04]  # exponential backoff
    # After a 5xx to HEAD the retries ask with GET, in case only HEAD is broken.
    assert server.requests_for("/error?patient") == ["HEAD", "GET", "GET", "GET"]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check-links", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_command_exits_1_for_a_gone_listing_and_writes_both_reports(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = base(server)
    catalog = write_catalog(
        tmp_path / "groups.yaml",
        {
            "fine": f"{root}/ok",
            "moved-on": f"{root}/moved",
            "lost": f"{root}/gone",
            "no-such-host": DNS_URL,
            "hung-up": f"{root}/hang",
        },
    )
    json_path, md_path = tmp_path / "links.json", tmp_path / "links.md"
    code, out, err = run_cli(
        capsys, str(catalog), *FAST_FLAGS, "--json", str(json_path), "--markdown", str(md_path)
    )
    assert code == 1

    # The table: a header, then every listing in catalog (name) order with its status.
    lines = out.splitlines()
    assert lines[0].split() == ["id", "status", "code", "url", "note"]
    rows = {line.split()[0]: line for line in lines[1:6]}
    assert rows["lost"].split()[1:3] == ["gone", "404"]
    assert rows["moved-on"].split()[1:3] == ["redirected", "200"]
    assert rows["moved-on"].endswith(f"-> {root}/ok")
    assert rows["no-such-host"].split()[1] == "dns"
    assert lines[6].startswith("Checked 5 listings: 1 gone, 1 dns, 1 timeout, 1 redirected, 1 ok.")
    assert lines[6].endswith("2 definitely broken (dns, gone).")
    # Not a terminal (as in CI): one plain progress line per listing, no carriage returns.
    progress = err.splitlines()
    assert len(progress) == 5 and "\r" not in err
    assert progress[-1].startswith("Checked 5/5: ")

    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["broken"] == 2
    assert data["counts"] == {**dict.fromkeys(STATUSES, 0), **{
        "gone": 1, "dns": 1, "timeout": 1, "redirected": 1, "ok": 1
    }}  # fmt: skip
    by_id = {item["id"]: item for item in data["results"]}
    assert by_id["moved-on"]["final_url"] == f"{root}/ok"
    assert by_id["lost"] | {"note": None} == {
        "id": "lost",
        "url": f"{root}/gone",
        "status": "gone",
        "code": 404,
        "final_url": None,
        "note": None,
        "attempts": 1,
        "broken": True,
    }
    assert by_id["hung-up"]["code"] is None and by_id["hung-up"]["attempts"] == 2

    report = md_path.read_text(encoding="utf-8")
    assert report.startswith("## Link check, ")
    assert "Checked 5 listings." in report
    assert "| gone | 1 | the page is not there (404 or 410) |" in report
    assert "**2 definitely broken**" in report
    problem_rows = [line for line in report.splitlines() if line.startswith("| `")]
    # Problems only, most serious first; the listing that is fine is not in the table.
    assert [row.split("`")[1] for row in problem_rows] == [
        "lost",
        "no-such-host",
        "hung-up",
        "moved-on",
    ]
    assert f"| `lost` | gone | 404 | <{root}/gone> |" in problem_rows[0]
    assert problem_rows[3].endswith(f"final URL: <{root}/ok> |")


def test_command_exits_0_when_problems_are_only_possibly_temporary(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = base(server)
    catalog = write_catalog(
        tmp_path / "groups.yaml",
        {
            "fine": f"{root}/ok",
            "temporary": f"{root}/temp",
            "moved-on": f"{root}/moved",
            "failing": f"{root}/error",
            "slow-one": f"{root}/slow",
            "refusing": f"{root}/forbidden",
        },
    )
    md_path = tmp_path / "report.md"
    code, out, _ = run_cli(capsys, str(catalog), *FAST_FLAGS, "--markdown", str(md_path))
    assert code == 0, out
    assert out.rstrip().endswith("Nothing definitely broken.")
    report = md_path.read_text(encoding="utf-8")
    assert "Nothing is definitely broken." in report
    assert "`fine`" not in report and "`temporary`" not in report
    assert "`failing` | server-error | 500 |" in report


def test_markdown_keeps_text_from_servers_inert() -> None:
    result = LinkResult(
        "odd",
        "https://example.org/a_b?x=1&y=2",
        HTTP_ERROR,
        418,
        "https://example.org/<script>|x",
        "I'm a | teapot <b>*hot*</b>\n[link](javascript:alert(1))",
    )
    report = link_report.markdown_report(
        [result], dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)
    )
    row = next(line for line in report.splitlines() if line.startswith("| `odd`"))
    assert row.count("|") - row.count("\\|") == 6  # escaped pipes do not split the cell
    assert "<script>" not in report and "<b>" not in report and "[link](" not in report
    assert "<https://example.org/a_b?x=1&y=2>" in row  # a safe address stays clickable
    assert "\\<script\\>\\|x" in row


def test_progress_in_a_terminal_is_one_updating_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = link_report.Progress(2, stream)
    for listing_id in ("a", "b"):
        progress.update(LinkResult(listing_id, "https://example.org/", OK, 200))
    progress.finish()
    assert stream.getvalue() == "\rChecked 1/2\rChecked 2/2\n"


def test_every_status_is_explained_in_reports() -> None:
    assert set(link_report.MEANINGS) == set(STATUSES)


def test_help_says_which_failures_do_not_fail_the_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check-links", "--help"])
    assert exit_info.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Timeouts, server errors, TLS errors and redirects are reported but do not" in help_text
    assert "--concurrency" in help_text and "--retries" in help_text


@pytest.mark.parametrize(
    "flags",
    [["--concurrency", "0"], ["--timeout", "0"], ["--retries", "-1"], ["--backoff", "nan"]],
)
def test_bad_options_are_usage_errors(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check-links", *flags])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_unreadable_catalog_and_unwritable_report_exit_2(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read" in err
    catalog = write_catalog(tmp_path / "groups.yaml", {"fine": f"{base(server)}/ok"})
    code, _, err = run_cli(capsys, str(catalog), "--json", str(tmp_path / "no" / "dir.json"))
    assert code == 2 and "cannot write" in err
