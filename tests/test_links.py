"""`kindred check-links` against a real HTTP server on 127.0.0.1: every status, retries, the
HEAD-to-GET fallback, redirects, time bounds, exit codes and the reports; and against hostile
answers (endless bodies, dripping bytes, redirect loops, redirects into private networks).

Nothing leaves the machine: the servers listen on 127.0.0.1, the DNS case uses the reserved
.invalid top-level domain, and an audit hook stops any connection beyond this machine before
it is made, whatever the checker does.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kindred.catalog.urls import ALLOW_LOCAL_VARIABLE
from kindred.cli import main
from kindred.tools import link_report
from kindred.tools.link_report import TRUSTED_SERVERS_VARIABLE
from kindred.tools.links import (
    BLOCKED,
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
    TOO_MANY_REDIRECTS,
    LinkResult,
    Options,
    check_links,
    check_url,
    tls_context,
)
from tests.test_catalog import second

TIMEOUT_S = 0.4
SLOW_S = TIMEOUT_S * 2  # /slow answers, but only after the client has given up
FAST = Options(timeout=TIMEOUT_S, retries=1, backoff=0.01, concurrency=8)  # trusts nothing
# Short flags so CLI runs take about a second: one retry, a hundredth of a second's backoff.
FAST_FLAGS = ["--timeout", str(TIMEOUT_S), "--retries", "1", "--backoff", "0.01"]
DNS_URL = "http://kindred-test.invalid/"
# A self-signed certificate and its key for 127.0.0.1, valid for a hundred years.
LOCAL_TLS = Path(__file__).with_name("local_tls.pem")
DRIP_S = 0.05  # hostile servers send a byte this often: far inside any timeout
DRIPS = 100  # bytes a dripping server sends: it gives up after DRIPS * DRIP_S = 5 s
HUGE = 512 * 2**20  # the most a hostile body sends: enough to show in memory, then it stops


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
        self.body_bytes: dict[str, int] = {}  # path: body bytes the client let the server send

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # a client that gave up on /slow closed the socket: expected here, not an error

    def sent(self, path: str, count: int) -> None:
        with self.lock:
            self.body_bytes[path] = self.body_bytes.get(path, 0) + count

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
        if path in HOSTILE:
            return HOSTILE[path](self, earlier)
        return self.answer(200)

    def answer(self, code: int, location: str | None = None, **headers: str) -> None:
        body = b"" if self.command == "HEAD" else b"hello"
        if location:
            headers["Location"] = location
        self.headers_then(code, **headers, Content_Length=str(len(body)))
        self.wfile.write(body)

    def headers_then(self, code: int, **headers: str) -> None:
        """The status line and headers (Content_Length is sent as Content-Length)."""
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    # Hostile answers. Every loop ends by itself: when the client hangs up (a write fails),
    # when the tests end (release), or after a bounded number of bytes or drips.

    def stream(self, chunk: bytes, limit: int) -> None:
        """Write chunk after chunk, up to limit bytes or until the client stops reading."""
        path = urlsplit(self.path).path
        sent = 0
        try:
            while sent < limit and not self.server.release.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up: what a careful client does
        self.server.sent(path, sent)
        self.close_connection = True

    def drip(self, data: bytes) -> None:
        """Send one byte every DRIP_S seconds: each byte arrives well within any timeout."""
        try:
            for index in range(len(data)):
                if self.server.release.wait(DRIP_S):
                    break
                self.wfile.write(data[index : index + 1])
        except OSError:
            pass
        self.close_connection = True

    # The answers with bodies refuse HEAD, so that the checker asks with GET and gets a body.

    def huge_redirect(self, earlier: int) -> None:
        """A redirect whose body claims a terabyte, and sends up to HUGE bytes of it."""
        if self.command == "HEAD":
            return self.answer(405)
        self.headers_then(301, Location="/ok", Content_Length=str(2**40))
        self.stream(b"x" * 65536, HUGE)

    def endless_redirect(self, earlier: int) -> None:
        """A redirect with a chunked body that goes on until the client hangs up (or HUGE)."""
        if self.command == "HEAD":
            return self.answer(405)
        self.headers_then(302, Location="/ok", Transfer_Encoding="chunked")
        self.stream(b"10000\r\n" + b"x" * 65536 + b"\r\n", HUGE)

    def huge_body(self, earlier: int) -> None:
        if self.command == "HEAD":
            return self.answer(405)
        self.headers_then(200, Content_Length=str(2**40))
        self.stream(b"x" * 65536, HUGE)

    def drip_headers(self, earlier: int) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.drip(b"X-Slow: " + b"x" * DRIPS + b"\r\n\r\n")

    def drip_redirect_body(self, earlier: int) -> None:
        if self.command == "HEAD":
            return self.answer(405)
        self.headers_then(301, Location="/ok", Content_Length=str(DRIPS))
        self.drip(b"x" * DRIPS)

    def drip_body(self, earlier: int) -> None:
        if self.command == "HEAD":
            return self.answer(405)
        self.headers_then(200, Content_Length=str(DRIPS))
        self.drip(b"x" * DRIPS)

    def redirect_loop(self, earlier: int) -> None:
        self.answer(302, "/loop")

    def redirect_to(self, earlier: int) -> None:
        """A redirect to the address given as the query: /redirect-to?http://10.0.0.1/."""
        self.answer(302, urlsplit(self.path).query)

    def slow_hops(self, earlier: int) -> None:
        """Five redirects, each answered just before a single request would time out."""
        query = urlsplit(self.path).query
        time.sleep(TIMEOUT_S * 0.6)
        hop = len(query.split("-"))
        if hop < 5:
            return self.answer(302, f"/slow-hops?{query}-{hop}")
        self.answer(200)

    def busy_for_an_hour(self, earlier: int) -> None:
        self.answer(503, Retry_After="3600")

    def busy_once(self, earlier: int) -> None:
        """503 with a Retry-After the first time (seconds, or an HTTP-date), then fine."""
        kind = urlsplit(self.path).query
        later = email.utils.format_datetime(
            dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2), usegmt=True
        )
        wait = later if kind.startswith("date") else "1"
        code = 429 if kind.startswith("rate") else 503
        if earlier == 0:
            return self.answer(code, Retry_After=wait)
        self.answer(200)


HOSTILE = {
    "/huge-redirect": _Handler.huge_redirect,
    "/endless-redirect": _Handler.endless_redirect,
    "/huge-body": _Handler.huge_body,
    "/drip-headers": _Handler.drip_headers,
    "/drip-redirect-body": _Handler.drip_redirect_body,
    "/drip-body": _Handler.drip_body,
    "/loop": _Handler.redirect_loop,
    "/redirect-to": _Handler.redirect_to,
    "/slow-hops": _Handler.slow_hops,
    "/busy-for-an-hour": _Handler.busy_for_an_hour,
    "/busy-once": _Handler.busy_once,
}


class _OffTheMachine(Exception):
    """A connection to anywhere but this machine, stopped before it was made."""


class _Connections:
    """While a test here runs: every address this process connects to, and a guard that stops
    any connection beyond 127.0.0.1 and ::1 before it happens, whatever the checker does."""

    recording: list[tuple[str, int]] | None = None

    @classmethod
    def audit(cls, event: str, args: tuple[object, ...]) -> None:
        if event != "socket.connect" or cls.recording is None:
            return
        address = args[1]
        if isinstance(address, tuple):
            host, port = address[0], address[1]
            cls.recording.append((host, port))
            if host not in ("127.0.0.1", "::1"):
                raise _OffTheMachine(f"tried to connect to {host}:{port}")


sys.addaudithook(_Connections.audit)  # audit hooks cannot be removed: it acts only in this file


@pytest.fixture(autouse=True)
def connections() -> Iterator[list[tuple[str, int]]]:
    _Connections.recording = []
    yield _Connections.recording
    _Connections.recording = None


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
def tls_server() -> Iterator[_Server]:
    """The same server behind TLS, with the certificate in LOCAL_TLS."""
    server = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(LOCAL_TLS)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def dripping_tls_url() -> Iterator[str]:
    """A server that answers a TLS hello with a record header announcing 16 KiB, then sends
    its bytes one every DRIP_S seconds (DRIPS of them at most)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def drip(connection: socket.socket) -> None:
        with connection:
            try:
                connection.sendall(b"\x16\x03\x03\x40\x00")
                for _ in range(DRIPS):
                    time.sleep(DRIP_S)
                    connection.sendall(b"\x00")
            except OSError:
                pass  # the client gave up

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # the listener was closed: the tests are over
            threading.Thread(target=drip, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()


def trusting(*urls: str) -> frozenset[str]:
    """The host:port of each URL: servers on this machine the checker may contact."""
    return frozenset(f"{urlsplit(url).hostname}:{urlsplit(url).port}" for url in urls)


@pytest.fixture(scope="module")
def fast(server: _Server, refused_url: str) -> Options:
    """FAST, allowed to contact the test server and the refusing port (both on 127.0.0.1)."""
    return replace(FAST, trusted_servers=trusting(base(server), refused_url))


@pytest.fixture
def cli_trusts_server(server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TRUSTED_SERVERS_VARIABLE, ",".join(trusting(base(server))))


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
    server: _Server, refused_url: str, fast: Options
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
    results = {r.id: r for r in check_links(list(urls.items()), fast)}
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
    assert [r.id for r in check_links(list(urls.items())[:3], fast)] == ["ok", "moved", "temp"]

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


def test_head_first_get_only_where_head_is_refused(server: _Server, fast: Options) -> None:
    root = base(server)
    # Each path gets a query of its own so that earlier tests' requests do not count.
    for path in ("/ok?head", "/moved?head", "/nohead?head", "/head404?head", "/gone?head"):
        check_url(path, root + path, fast)
    assert server.requests_for("/ok?head") == ["HEAD"]
    assert server.requests_for("/nohead?head") == ["HEAD", "GET"]
    assert server.requests_for("/head404?head") == ["HEAD", "GET"]
    # A 404 is confirmed with GET before it counts as gone, since gone fails the run.
    assert server.requests_for("/gone?head") == ["HEAD", "GET"]
    # HEAD stays HEAD across a redirect (urllib alone would switch to GET).
    assert server.requests_for("/moved?head") == ["HEAD"]
    assert server.requests_for("/ok")[-1] == "HEAD"


def test_retries_are_what_rescue_a_flaky_server(server: _Server, fast: Options) -> None:
    root = base(server)
    no_retry = replace(fast, retries=0)
    once = check_url("flaky", f"{root}/flaky?no-retry", no_retry)
    assert (once.status, once.code, once.attempts) == (SERVER_ERROR, 500, 1)

    pauses: list[float] = []
    patient = replace(fast, retries=3)
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
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_trusts_server: None
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
    warning, *progress = err.splitlines()
    assert warning.startswith(f"kindred: warning: {TRUSTED_SERVERS_VARIABLE} ")
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
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_trusts_server: None
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
    code, out, err = run_cli(capsys, str(catalog), "--json", str(tmp_path / "no" / "dir.json"))
    assert code == 2 and "cannot write" in err
    assert "Checked" not in out  # said before the checking, not minutes after it


def test_when_no_host_name_resolves_the_machine_is_offline_not_the_listings(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names under .invalid never resolve: when every listing fails so, nothing is judged
    broken (exit 2); when others answer, those listings are (exit 1)."""
    nowhere = {f"gone-{n}": f"https://kindred-check-{n}.invalid/" for n in range(3)}
    catalog = write_catalog(tmp_path / "groups.yaml", nowhere)
    code, _, err = run_cli(capsys, str(catalog))
    assert code == 2 and "cannot look names up" in err, err
    some = write_catalog(tmp_path / "some.yaml", {**nowhere, "fine": f"{base(server)}/ok"})
    code, out, _ = run_cli(capsys, str(some))
    assert code == 1 and "3 definitely broken" in out, out


@pytest.mark.parametrize(
    "argv, allowed",
    [
        (["check-links", "--backoff", "1e308"], "from 0 to 60"),
        (["check-links", "--backoff", "-0.5"], "from 0 to 60"),
        (["check-links", "--timeout", "1e308"], "at most 300"),
        (["check-links", "--timeout", "inf"], "at most 300"),
        (["check-links", "--timeout", "NaN"], "at most 300"),
        (["check-links", "--timeout", "-5"], "at most 300"),
        (["check-links", "--retries", str(10**9)], "from 0 to 10"),
        (["check-links", "--retries", "²"], "from 0 to 10"),
        (["check-links", "--retries", "1" * 5000], "from 0 to 10"),
        (["check-links", "--concurrency", "100000"], "from 1 to 64"),
        (["check-links", "--concurrency", "1e3"], "from 1 to 64"),
        (["stale", "--days", "1" + "0" * 30], "from 0 to 3650"),
        (["stale", "--days", "٣"], "from 0 to 3650"),  # an Arabic-Indic digit
    ],
)
def test_absurd_option_values_are_usage_errors_naming_the_allowed_range(
    argv: list[str], allowed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {argv[1]}: " in err and allowed in err, err
    assert "Traceback" not in err


def test_options_out_of_range_are_refused_by_the_library_too() -> None:
    for settings in ({"timeout": 1e308}, {"retries": -1}, {"backoff": float("nan")}):
        with pytest.raises(ValueError, match=r"from|at most"):
            Options(**settings)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 1 to 64"):
        Options(concurrency=100_000)


def test_bodies_are_never_read_not_even_of_redirects(server: _Server, fast: Options) -> None:
    root = base(server)
    paths = ("/huge-redirect", "/endless-redirect", "/huge-body", "/drip-body")
    started = time.monotonic()
    results = {r.id: r for r in check_links([(p, root + p) for p in paths], fast)}
    elapsed = time.monotonic() - started

    assert {k: (r.status, r.code, r.final_url) for k, r in results.items()} == {
        "/huge-redirect": (REDIRECTED, 200, f"{root}/ok"),
        "/endless-redirect": (OK, 200, f"{root}/ok"),
        "/huge-body": (OK, 200, None),
        "/drip-body": (OK, 200, None),
    }
    assert elapsed < 1, elapsed  # nothing waited for a body
    # What the server managed to send before the checker hung up: what fits in the socket
    # buffers, not the half a gigabyte on offer.
    sent = {path: server.body_bytes.get(path, 0) for path in paths if path != "/drip-body"}
    assert all(count < 16 * 2**20 for count in sent.values()), sent


def test_one_deadline_per_attempt_however_slowly_the_bytes_come(
    server: _Server, fast: Options
) -> None:
    root = base(server)
    paths = ("/drip-headers", "/slow-hops", "/drip-redirect-body")
    once = replace(fast, retries=0)
    started = time.monotonic()
    results = {r.id: r for r in check_links([(p, root + p) for p in paths], once)}
    elapsed = time.monotonic() - started

    # A byte every DRIP_S seconds, or a redirect just inside the timeout each time, still ends
    # when the attempt's time is up; a redirect's dripping body is not waited for at all.
    assert {k: r.status for k, r in results.items()} == {
        "/drip-headers": TIMEOUT,
        "/slow-hops": TIMEOUT,
        "/drip-redirect-body": REDIRECTED,
    }
    assert results["/slow-hops"].final_url == f"{root}/slow-hops?-1"
    assert elapsed < TIMEOUT_S + 0.6, elapsed


def test_retry_after_is_waited_for_when_it_fits_the_time_allowed(
    server: _Server, fast: Options
) -> None:
    root = base(server)
    patient = replace(fast, timeout=3.0)  # each listing may take (1 + 1 retry) x 3 s
    for query in ("seconds", "rate-limit", "date"):  # 503, 429, 503 with an HTTP-date
        pauses: list[float] = []
        result = check_url(query, f"{root}/busy-once?{query}", patient, sleep=pauses.append)
        assert (result.status, result.code, result.attempts) == (OK, 200, 2), query
        # The server's wait, not the 0.01 s backoff. An HTTP-date two seconds ahead is cut to
        # whole seconds and read a moment later: a little under one to two seconds away.
        wait = pauses[0] if pauses else 0.0
        assert len(pauses) == 1 and (wait == 1.0 if query != "date" else 0.5 <= wait <= 2)
    # A 429 is not asked again at once with GET: that would ignore the server's request.
    assert server.requests_for("/busy-once?rate-limit") == ["HEAD", "GET"]


def test_a_retry_after_longer_than_the_time_allowed_is_reported_not_waited_for(
    server: _Server, fast: Options
) -> None:
    root = base(server)
    pauses: list[float] = []
    for path in ("/busy-for-an-hour", "/busy-once?seconds-but-too-long-for-fast"):
        result = check_url(path, root + path, fast, sleep=pauses.append)
        assert (result.status, result.code, result.attempts) == (SERVER_ERROR, 503, 1)
        wait = "3600" if "hour" in path else "1"
        assert f"asks to wait {wait} s" in result.note, result.note
    assert pauses == []


def test_redirects_to_addresses_that_are_not_public_are_not_followed(
    server: _Server, fast: Options, connections: list[tuple[str, int]]
) -> None:
    root, port = base(server), server.server_address[1]
    with socket.socket() as canary:  # listens on 127.0.0.1: a connection would be accepted
        canary.bind(("127.0.0.1", 0))
        canary.listen()
        targets = {
            "loopback": f"http://127.0.0.1:{canary.getsockname()[1]}/",
            "named-loopback": f"http://localhost:{port}/ok",  # even the trusted server's port
            "private": "http://10.0.0.1/",
            "cloud-metadata": "http://169.254.169.254/latest/meta-data/",
            "unspecified": f"http://0.0.0.0:{port}/ok",
            "ipv6-loopback": f"http://[::1]:{port}/ok",
            "ipv4-mapped": f"http://[::ffff:127.0.0.1]:{port}/ok",
            "not-the-web": "file:///etc/passwd",
        }
        listings = [(name, f"{root}/redirect-to?{target}") for name, target in targets.items()]
        results = {r.id: r for r in check_links(listings, fast)}
        canary.setblocking(False)
        with pytest.raises(BlockingIOError):
            canary.accept()  # nobody connected

    assert {name: r.status for name, r in results.items()} == dict.fromkeys(targets, BLOCKED)
    for name, result in results.items():
        assert result.final_url == targets[name] and not result.broken
        assert result.note.startswith("redirect not followed: "), result.note
    assert "169.254.169.254 is a link-local address" in results["cloud-metadata"].note
    assert "localhost is 127.0.0.1, a loopback address" in results["named-loopback"].note
    assert "10.0.0.1 is a private address" in results["private"].note
    # The checker connected to the test server only (once per listing), nowhere else.
    assert set(connections) == {("127.0.0.1", port)}


def test_loopback_is_refused_unless_named_as_trusted(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = base(server)
    result = check_url("local", f"{root}/ok?untrusted", FAST)
    assert (result.status, result.code, result.final_url) == (BLOCKED, None, None)
    assert result.note.startswith("not checked: 127.0.0.1 is a loopback address")
    # The command trusts nothing unless told by the variable, which the tests alone set.
    catalog = write_catalog(tmp_path / "groups.yaml", {"local": f"{root}/ok?untrusted-cli"})
    code, out, err = run_cli(capsys, str(catalog), *FAST_FLAGS)
    assert code == 0 and out.splitlines()[1].split()[1] == BLOCKED
    assert "warning" not in err
    assert server.requests_for("/ok?untrusted") == server.requests_for("/ok?untrusted-cli") == []


def test_redirect_loops_end_after_ten_redirects(server: _Server, fast: Options) -> None:
    result = check_url("loop", f"{base(server)}/loop", fast)
    assert (result.status, result.code) == (TOO_MANY_REDIRECTS, None)
    assert "more than 10 redirects" in result.note and not result.broken
    assert server.requests_for("/loop") == ["HEAD"] * 11


def test_hostile_servers_cost_bounded_memory_and_time(server: _Server, tmp_path: Path) -> None:
    """The whole command, in a process of its own so that its peak memory can be measured."""
    root = base(server)
    expected = {
        "huge-redirect": REDIRECTED,
        "endless-redirect": OK,
        "huge-body": OK,
        "drip-headers": TIMEOUT,
        "drip-redirect-body": REDIRECTED,
        "drip-body": OK,
        "loop": TOO_MANY_REDIRECTS,
        "busy-for-an-hour": SERVER_ERROR,
        "slow-hops": TIMEOUT,
        "hang": TIMEOUT,
        "ok": OK,
    }
    catalog = write_catalog(
        tmp_path / "groups.yaml", {name: f"{root}/{name}?cli" for name in expected}
    )
    timeout, tries, concurrency = 0.5, 2, 4
    json_path = tmp_path / "links.json"
    command = [sys.executable, "-m", "kindred.cli", "check-links", str(catalog), "--json"]
    command += [str(json_path), "--timeout", str(timeout), "--retries", str(tries - 1)]
    command += ["--backoff", "0.01", "--concurrency", str(concurrency)]
    env = {**os.environ, TRUSTED_SERVERS_VARIABLE: ",".join(trusting(root))}
    with (tmp_path / "out.txt").open("wb") as out, (tmp_path / "err.txt").open("wb") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        # wait4 gives this child's own resource use: its peak resident memory.
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    print(f"hostile servers: peak memory {peak_mb:.0f} MB, {elapsed:.2f} s")

    assert child.returncode == 0, (tmp_path / "err.txt").read_text()
    statuses = {r["id"]: r["status"] for r in json.loads(json_path.read_text())["results"]}
    assert statuses == expected
    assert peak_mb < 200, peak_mb
    assert elapsed < timeout * tries * len(expected) / concurrency + 3, elapsed


def test_https_checks_the_certificate_and_keeps_to_the_deadline_in_the_handshake(
    tls_server: _Server, dripping_tls_url: str
) -> None:
    root = f"https://127.0.0.1:{tls_server.server_address[1]}"
    options = replace(FAST, trusted_servers=trusting(root, dripping_tls_url))
    trusting_the_certificate = tls_context()
    trusting_the_certificate.load_verify_locations(LOCAL_TLS)

    moved = check_url("moved", f"{root}/moved", options, trusting_the_certificate)
    assert (moved.status, moved.code, moved.final_url) == (REDIRECTED, 200, f"{root}/ok")
    assert tls_server.requests_for("/moved") == ["HEAD"]
    # A browser would not trust a certificate nobody signed: neither does the checker.
    untrusted = check_url("untrusted", f"{root}/ok", options)
    assert untrusted.status == TLS and "self-signed" in untrusted.note, untrusted.note

    started = time.monotonic()
    dripping = check_url("drip", dripping_tls_url, replace(options, retries=0))
    elapsed = time.monotonic() - started
    assert dripping.status == TIMEOUT and elapsed < TIMEOUT_S + 0.6, elapsed
