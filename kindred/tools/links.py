"""Check that every listing's web address still works: ``kindred check-links``.

Each address is asked for with HEAD (then GET where HEAD is refused), redirects followed, and
retries with exponential backoff for failures that are often temporary. The check runs in CI
against the open internet, so it trusts no server:

- No body is ever read, not even a redirect's: only the status line and the headers, which
  http.client bounds (at most 100 lines of 64 KiB each).
- Each attempt has one deadline, ``timeout`` seconds for everything (name lookup, connecting,
  TLS, the headers, every redirect), however slowly the bytes trickle in; a listing's whole
  check ends within ``(retries + 1) * timeout`` plus the backoff pauses.
- A ``Retry-After`` on 429 or 503 is waited for when it is at most 30 s and fits in that
  time; a longer one is reported, not waited for.
- Only http(s) addresses on public hosts are contacted, after at most 10 redirects. A host
  that is, or resolves to, a loopback, private, link-local or other non-public address is
  refused before anything connects to it: in CI it would reach the runner's own network.

Each listing gets one status:

    ok            the page answered, perhaps after a temporary redirect
    redirected    it moved permanently (301/308); final_url is the address to list instead
    gone          404 Not Found or 410 Gone
    blocked       not checked: it, or a redirect, leads to a host that is not public or to
                  an address that is not http(s)
    too-many-redirects  more than 10 redirects: a loop, or a site that expects cookies
    server-error  a 5xx answer, still after the retries
    timeout       no complete answer within the timeout, still after the retries
    tls           the certificate or the TLS handshake failed
    dns           the host name does not resolve
    connection    refused, reset or otherwise cut off, still after the retries
    http-error    any other 4xx (403 and 429 often mean the site turns automated checks away)

Only ``gone`` and ``dns`` are definitely broken; the others are often temporary, or need a
person to look, so they are reported without failing the run. Standard library only; it
connects directly, never through a proxy named in the environment, since it must know every
address it contacts.

Servers on this machine can be checked only when ``Options.trusted_servers`` names them
("host:port"). That is for tests against a local server; it is empty by default.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import io
import ipaddress
import socket
import ssl
import string
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from urllib.parse import SplitResult, quote, urljoin, urlsplit

USER_AGENT = "Kindred link checker (+https://github.com/kindred-directory/kindred)"
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_CONCURRENCY = 8
# Bounds on the options: beyond them a run would wait for days or start thousands of threads.
MAX_TIMEOUT = 300.0
MAX_RETRIES = 10
MAX_BACKOFF = 60.0
MAX_CONCURRENCY = 64
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 30.0  # the longest Retry-After waited for

OK = "ok"
REDIRECTED = "redirected"
GONE = "gone"
SERVER_ERROR = "server-error"
TIMEOUT = "timeout"
TLS = "tls"
DNS = "dns"
CONNECTION = "connection"
HTTP_ERROR = "http-error"
BLOCKED = "blocked"
TOO_MANY_REDIRECTS = "too-many-redirects"
# Most serious first: the order of summaries and of the problems in reports.
STATUSES = (
    GONE,
    DNS,
    BLOCKED,
    HTTP_ERROR,
    TOO_MANY_REDIRECTS,
    CONNECTION,
    TLS,
    SERVER_ERROR,
    TIMEOUT,
    REDIRECTED,
    OK,
)
BROKEN = frozenset({GONE, DNS})

_REDIRECT_CODES = (301, 302, 303, 307, 308)
_PERMANENT_CODES = (301, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Kept as they are in a request target; everything else (spaces, controls, non-ASCII) is
# percent-encoded, so no address can add a line to the request.
_SAFE_IN_TARGET = string.punctuation


@dataclass(frozen=True, slots=True)
class Options:
    """How patiently to check. ``timeout`` bounds each attempt, redirects included;
    ``backoff`` is the first pause before a retry, and it doubles.

    ``trusted_servers`` names servers ("host:port", e.g. "127.0.0.1:8000") that may be
    contacted although they are not public: only for tests against a server on this machine.
    """

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    concurrency: int = DEFAULT_CONCURRENCY
    user_agent: str = USER_AGENT
    trusted_servers: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Written so that NaN fails every comparison and is refused too.
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise ValueError(f"timeout must be more than 0 and at most {MAX_TIMEOUT:g} s")
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ValueError(f"retries must be from 0 to {MAX_RETRIES}")
        if not 0 <= self.backoff <= MAX_BACKOFF:
            raise ValueError(f"backoff must be from 0 to {MAX_BACKOFF:g} s")
        if not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be from 1 to {MAX_CONCURRENCY}")

    @property
    def time_allowed(self) -> float:
        """The longest one listing's check may take: every attempt and every backoff pause."""
        pauses = sum(self.backoff * 2**retry for retry in range(self.retries))
        return self.timeout * (self.retries + 1) + pauses


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
    retry_after: float | None = None  # seconds a 429 or 503 asked the client to wait


class _Blocked(Exception):
    """An address the checker will not contact; the message says why."""


class _TooManyRedirects(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: str
    note: str
    final_url: str | None
    retry: bool


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
    """Check one address, retrying what is worth retrying, and classify the outcome.

    The whole check ends within ``options.time_allowed`` seconds.
    """
    context = context or tls_context()
    time_up = time.monotonic() + options.time_allowed
    method = "HEAD"
    attempt = 0
    while True:
        attempt += 1
        deadline = min(time.monotonic() + options.timeout, time_up)
        answer = _fetch(url, method, options, context, deadline)
        if method == "HEAD" and _refuses_head(answer):
            method = "GET"
            answer = _fetch(url, method, options, context, deadline)
        verdict = _judge(answer, options)
        if not verdict.retry or attempt > options.retries:
            break
        pause = options.backoff * 2 ** (attempt - 1)
        if answer.retry_after is not None:
            if not _can_wait(answer.retry_after, options, time_up):
                asked = f"; asks to wait {answer.retry_after:g} s, longer than the check may take"
                verdict = replace(verdict, note=verdict.note + asked)
                break
            pause = max(pause, answer.retry_after)
        if time.monotonic() + pause >= time_up:
            break  # no time left for another attempt
        if answer.code is not None:
            method = "GET"  # a server that fails HEAD with a 5xx may still serve GET
        sleep(pause)
    note = verdict.note + (f" (after {attempt} attempts)" if attempt > 1 else "")
    return LinkResult(
        listing_id, url, verdict.status, answer.code, verdict.final_url, note, attempt
    )


def _can_wait(seconds: float, options: Options, time_up: float) -> bool:
    """Whether a Retry-After is short enough, leaving a whole attempt's time after it."""
    return seconds <= MAX_RETRY_AFTER and time.monotonic() + seconds + options.timeout <= time_up


def _refuses_head(answer: _Answer) -> bool:
    """Many servers answer HEAD with 405, 501 or 403, and a few even with 404, while GET works.

    Since ``gone`` fails the run, every 4xx to HEAD is confirmed with GET before it counts;
    but not 429, which asks the client to slow down.
    """
    code = answer.code
    return code is not None and ((400 <= code < 500 and code != 429) or code == 501)


def _fetch(
    url: str, method: str, options: Options, context: ssl.SSLContext, deadline: float
) -> _Answer:
    """Ask for an address, following redirects: the last status and headers, never a body."""
    hops: list[tuple[int, str]] = []
    try:
        while True:
            code, reason, headers = _request(url, method, options, context, deadline)
            location = headers.get("Location") if code in _REDIRECT_CODES else None
            if location is None:
                return _Answer(code, reason, hops, retry_after=_retry_after(code, headers))
            if len(hops) == MAX_REDIRECTS:
                raise _TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
            url = urljoin(url, _header_text(location))
            hops.append((code, url))
    except (OSError, http.client.HTTPException, ValueError, _Blocked, _TooManyRedirects) as error:
        # ValueError covers addresses that cannot be used: a bad port, an invalid name.
        return _Answer(None, "", hops, error)


def _request(
    url: str, method: str, options: Options, context: ssl.SSLContext, deadline: float
) -> tuple[int, str, http.client.HTTPMessage]:
    """One request, no redirect followed, on a connection of its own that is then closed."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS:
        raise _Blocked(f"{parts.scheme}: is not http or https")
    host = parts.hostname
    if not host:
        raise ValueError("the address has no host name")
    port = parts.port if parts.port is not None else _DEFAULT_PORTS[parts.scheme]
    name = host if host.isascii() else host.encode("idna").decode("ascii")
    addresses = _resolve(name, port, deadline)
    if f"{host}:{port}" not in options.trusted_servers:
        _refuse_if_not_public(host, addresses)
    sock = _connect(addresses, deadline)
    try:
        if parts.scheme == "https":
            sock.settimeout(_time_left(deadline))  # the handshake keeps to it as a whole
            sock = context.wrap_socket(sock, server_hostname=name)
        sock.settimeout(_time_left(deadline))
        sock.sendall(_request_head(method, parts, name, port, options.user_agent))
        reader = _DeadlineReader(sock, deadline)
        response = http.client.HTTPResponse(reader, method=method)  # type: ignore[arg-type]
        response.begin()  # the status line and headers only
        return response.status, response.reason, response.headers
    finally:
        sock.close()


def _resolve(name: str, port: int, deadline: float) -> list[tuple]:  # type: ignore[type-arg]
    """getaddrinfo in a thread of its own, so that a slow resolver cannot outlast the deadline."""
    found: list[object] = []

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(name, port, type=socket.SOCK_STREAM))
        except (OSError, ValueError) as error:
            found.append(error)

    thread = threading.Thread(target=look_up, name="links-dns", daemon=True)
    thread.start()
    thread.join(_time_left(deadline))
    if not found:
        raise TimeoutError(f"{name} did not resolve in time")
    if isinstance(found[0], Exception):
        raise found[0]
    return found[0]  # type: ignore[return-value]


def _refuse_if_not_public(host: str, addresses: list[tuple]) -> None:  # type: ignore[type-arg]
    """Refuse a host that is, or resolves to, an address that is not public; every address
    counts, since the connection may be made to any of them."""
    for *_, sockaddr in addresses:
        address = sockaddr[0]
        kind = _kind_if_not_public(address)
        if kind:
            literal = _is_ip_address(host)
            raise _Blocked(f"{host} is {kind}" if literal else f"{host} is {address}, {kind}")


def _kind_if_not_public(address: str) -> str:
    """What kind of address this is when it is not public; empty when it is."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    kinds = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "an address that is not public"),
    )
    return next((kind for applies, kind in kinds if applies), "")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _connect(addresses: list[tuple], deadline: float) -> socket.socket:  # type: ignore[type-arg]
    """Connect to the first of the (checked) addresses that answers, before the deadline."""
    error: OSError = OSError("no address to connect to")
    for family, kind, protocol, _, sockaddr in addresses:
        sock = socket.socket(family, kind, protocol)
        try:
            sock.settimeout(_time_left(deadline))
            sock.connect(sockaddr)
            return sock
        except OSError as failure:  # TimeoutError included
            sock.close()
            error = failure
    raise error


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the time allowed ran out")
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket as HTTPResponse reads it, with the time left set before every read.

    A socket timeout starts again with every byte that arrives, so a server sending one byte a
    second would never time out; the deadline holds however the bytes trickle in.
    """

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self.sock = sock
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        self.sock.settimeout(_time_left(self.deadline))
        return self.sock.recv_into(buffer)

    def makefile(self, mode: str) -> io.BufferedReader:
        """What HTTPResponse calls on the socket it is given."""
        return io.BufferedReader(self)


def _request_head(method: str, parts: SplitResult, name: str, port: int, agent: str) -> bytes:
    target = quote(parts.path or "/", safe=_SAFE_IN_TARGET)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_IN_TARGET)
    host = f"[{name}]" if ":" in name else name  # an IPv6 address
    if port != _DEFAULT_PORTS[parts.scheme]:
        host += f":{port}"
    lines = (
        f"{method} {target} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {agent}",
        "Accept: text/html,*/*;q=0.8",
        "Accept-Encoding: identity",
        "Connection: close",
    )
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _header_text(value: str) -> str:
    """A header as its sender meant it: http.client reads headers as Latin-1, but a non-ASCII
    Location is UTF-8 from almost every server (and browsers read it so)."""
    return value.encode("latin-1", "replace").decode("utf-8", "replace")


def _retry_after(code: int, headers: http.client.HTTPMessage) -> float | None:
    """The seconds a 429 or 503 asks to wait (Retry-After: seconds or an HTTP-date), if any."""
    value = headers.get("Retry-After") if code in (429, 503) else None
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)  # float, not int: thousands of digits are simply inf
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _judge(answer: _Answer, options: Options) -> _Verdict:
    last_url = answer.hops[-1][1] if answer.hops else None
    if answer.error is not None:
        status, note, retry = _classify_error(answer.error, options)
        if status == BLOCKED:
            note = ("redirect not followed: " if answer.hops else "not checked: ") + note
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
    # A 429 that says when to come back is asked again then.
    retry = code == 429 and answer.retry_after is not None
    return _Verdict(HTTP_ERROR, note, last_url, retry)


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
    if isinstance(error, _Blocked):
        return BLOCKED, str(error), False
    if isinstance(error, _TooManyRedirects):
        return TOO_MANY_REDIRECTS, f"{error}: a loop, or a site that expects cookies", False
    if isinstance(error, socket.gaierror):
        # EAI_AGAIN is the resolver failing, not the name: worth asking again.
        if error.errno == socket.EAI_AGAIN:
            return DNS, "temporary failure in name resolution", True
        return DNS, "the host name does not resolve", False
    if isinstance(error, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return TIMEOUT, f"no complete answer within {options.timeout:g} s", True
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
