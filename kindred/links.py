"""Check that every listing's web address still works: ``kindred check-links``.

Each address is asked for with HEAD (then GET where HEAD is refused), redirects followed, with
a timeout per request and retries with exponential backoff for failures that are often
temporary. Each listing gets one status:

    ok            the page answered, perhaps after a temporary redirect
    redirected    it moved permanently (301/308); final_url is the address to list instead
    gone          404 Not Found or 410 Gone
    server-error  a 5xx answer, still after the retries
    timeout       no answer within the timeout, still after the retries
    tls           the certificate or the TLS handshake failed
    dns           the host name does not resolve
    connection    refused, reset or otherwise cut off, still after the retries
    http-error    any other 4xx (403 and 429 often mean the site turns automated checks away)

Only ``gone`` and ``dns`` are definitely broken; the others are often temporary, or need a
person to look, so they are reported without failing the run. Standard library only.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

USER_AGENT = "Kindred link checker (+https://github.com/kindred-directory/kindred)"
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_CONCURRENCY = 8

OK = "ok"
REDIRECTED = "redirected"
GONE = "gone"
SERVER_ERROR = "server-error"
TIMEOUT = "timeout"
TLS = "tls"
DNS = "dns"
CONNECTION = "connection"
HTTP_ERROR = "http-error"
# Most serious first: the order of summaries and of the problems in reports.
STATUSES = (GONE, DNS, HTTP_ERROR, CONNECTION, TLS, SERVER_ERROR, TIMEOUT, REDIRECTED, OK)
BROKEN = frozenset({GONE, DNS})

_REDIRECT_CODES = (301, 302, 303, 307, 308)
_PERMANENT_CODES = (301, 308)


@dataclass(frozen=True, slots=True)
class Options:
    """How patiently to check. ``backoff`` is the first pause before a retry; it doubles."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    concurrency: int = DEFAULT_CONCURRENCY
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What checking one listing's address found.

    ``final_url`` is where the address leads: for ``redirected``, the address the listing
    should use instead (where its permanent redirects end); otherwise, when redirects were
    followed, the address that gave the last answer.
    """

    id: str
    url: str
    status: str
    code: int | None = None
    final_url: str | None = None
    note: str = ""
    attempts: int = 1

    @property
    def broken(self) -> bool:
        return self.status in BROKEN


@dataclass(slots=True)
class _Answer:
    """One request's outcome: an HTTP status, or the error that prevented one."""

    code: int | None
    reason: str = ""
    hops: list[tuple[int, str]] = field(default_factory=list)
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: str
    note: str
    final_url: str | None
    retry: bool


class _RecordingRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects like urllib, but remembers each hop and keeps the method.

    urllib (before 3.12) turns a redirected HEAD into a GET, which would download every
    redirected page, and 3.10 does not follow 308. Redirects to anything but http(s) are
    refused rather than followed (urllib would follow ftp:).
    """

    def __init__(self) -> None:
        super().__init__()
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if code not in _REDIRECT_CODES or urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        self.hops.append((code, newurl))
        return urllib.request.Request(
            newurl,
            headers=dict(req.header_items()),
            origin_req_host=req.origin_req_host,
            unverifiable=True,
            method=req.get_method(),
        )

    http_error_308 = urllib.request.HTTPRedirectHandler.http_error_302


def tls_context() -> ssl.SSLContext:
    """Certificate checks as a browser makes them.

    Python 3.13 adds X.509 strict mode to the default context, which rejects some
    certificates every browser accepts; the question here is what a visitor would see.
    """
    context = ssl.create_default_context()
    context.verify_flags &= ~ssl.VERIFY_X509_STRICT
    return context


def check_links(
    listings: Sequence[tuple[str, str]],
    options: Options = Options(),
    on_result: Callable[[LinkResult], None] | None = None,
) -> list[LinkResult]:
    """Check each (id, url) concurrently; results come back in the order given.

    ``on_result`` is called in the calling thread as each check finishes, for progress.
    """
    context = tls_context()
    found: dict[int, LinkResult] = {}
    executor = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="links")
    try:
        futures = {
            executor.submit(check_url, listing_id, url, options, context): index
            for index, (listing_id, url) in enumerate(listings)
        }
        for future in as_completed(futures):
            result = future.result()
            found[futures[future]] = result
            if on_result is not None:
                on_result(result)
    finally:
        # On Ctrl-C, drop the checks not started instead of working through them.
        executor.shutdown(wait=False, cancel_futures=True)
    return [found[index] for index in range(len(listings))]


def check_url(
    listing_id: str,
    url: str,
    options: Options = Options(),
    context: ssl.SSLContext | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LinkResult:
    """Check one address, retrying what is worth retrying, and classify the outcome."""
    context = context or tls_context()
    method = "HEAD"
    attempt = 0
    while True:
        attempt += 1
        answer = _fetch(url, method, options, context)
        if method == "HEAD" and _refuses_head(answer):
            method = "GET"
            answer = _fetch(url, method, options, context)
        verdict = _judge(answer, options)
        if not verdict.retry or attempt > options.retries:
            break
        if answer.code is not None:
            method = "GET"  # a server that fails HEAD with a 5xx may still serve GET
        sleep(options.backoff * 2 ** (attempt - 1))
    note = verdict.note + (f" (after {attempt} attempts)" if attempt > 1 else "")
    return LinkResult(
        listing_id, url, verdict.status, answer.code, verdict.final_url, note, attempt
    )


def _refuses_head(answer: _Answer) -> bool:
    """Many servers answer HEAD with 405, 501 or 403, and a few even with 404, while GET works.

    Since ``gone`` fails the run, every 4xx to HEAD is confirmed with GET before it counts.
    """
    return answer.code is not None and (400 <= answer.code < 500 or answer.code == 501)


def _fetch(url: str, method: str, options: Options, context: ssl.SSLContext) -> _Answer:
    redirects = _RecordingRedirectHandler()
    opener = urllib.request.build_opener(redirects, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(
        url,
        method=method,
        headers={"User-Agent": options.user_agent, "Accept": "text/html,*/*;q=0.8"},
    )
    try:
        # Only the status matters: the body is never read, and closing drops the connection.
        with opener.open(request, timeout=options.timeout) as response:
            return _Answer(response.status, response.reason, redirects.hops)
    except urllib.error.HTTPError as error:
        error.close()
        return _Answer(error.code, str(error.reason), redirects.hops)
    except (OSError, http.client.HTTPException, ValueError) as error:
        # URLError is an OSError; ValueError covers addresses http.client cannot use.
        return _Answer(None, "", redirects.hops, _cause(error))


def _cause(error: BaseException) -> BaseException:
    """The underlying error that urllib wrapped in URLError, if any."""
    while isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    return error


def _judge(answer: _Answer, options: Options) -> _Verdict:
    last_url = answer.hops[-1][1] if answer.hops else None
    if answer.error is not None:
        status, note, retry = _classify_error(answer.error, options)
        return _Verdict(status, note, last_url, retry)
    code = answer.code or 0
    if 200 <= code < 300:
        moved_to = _permanent_target(answer.hops)
        if moved_to is not None:
            first = answer.hops[0][0]
            return _Verdict(REDIRECTED, f"moved permanently ({first})", moved_to, False)
        return _Verdict(OK, "temporary redirect" if answer.hops else "", last_url, False)
    if code in (404, 410):
        return _Verdict(GONE, answer.reason, last_url, False)
    if code >= 500:
        return _Verdict(SERVER_ERROR, answer.reason, last_url, True)
    note = answer.reason
    if code in (401, 403, 429):
        note += "; the site may turn automated checks away: look by hand"
    return _Verdict(HTTP_ERROR, note, last_url, False)


def _permanent_target(hops: list[tuple[int, str]]) -> str | None:
    """Where the leading permanent redirects end.

    A temporary redirect after them (say, to a login page) is not an address to list, and a
    permanent one after a temporary one does not make the listed address wrong.
    """
    target = None
    for code, url in hops:
        if code not in _PERMANENT_CODES:
            break
        target = url
    return target


def _classify_error(error: BaseException, options: Options) -> tuple[str, str, bool]:
    """(status, note, worth retrying) for a request that got no HTTP answer."""
    if isinstance(error, socket.gaierror):
        # EAI_AGAIN is the resolver failing, not the name: worth asking again.
        if error.errno == socket.EAI_AGAIN:
            return DNS, "temporary failure in name resolution", True
        return DNS, "the host name does not resolve", False
    if isinstance(error, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return TIMEOUT, f"no answer within {options.timeout:g} s", True
    if isinstance(error, ssl.SSLError):  # certificate failures are SSLErrors too
        detail = getattr(error, "verify_message", None) or error.reason or str(error)
        return TLS, str(detail), False
    if isinstance(error, http.client.RemoteDisconnected):
        return CONNECTION, "the server closed the connection without answering", True
    if isinstance(error, OSError):
        return CONNECTION, error.strerror or str(error) or type(error).__name__, True
    if isinstance(error, http.client.HTTPException):
        return CONNECTION, f"not a valid HTTP answer ({type(error).__name__})", True
    return CONNECTION, str(error) or type(error).__name__, False
