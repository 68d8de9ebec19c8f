"""Listings' web addresses: which hosts and ports a listing may point at, and when two
addresses lead to the same place (so a group cannot be listed twice under two spellings).

A listing must lead to a public site. An address on the reader's own machine or network
(``localhost``, ``192.168.1.1``, an intranet name such as ``intranet``) would show each
reader something different, or nothing, and lets a listing probe their network.
``KINDRED_ALLOW_LOCAL_URLS=1`` in the environment allows such hosts, for trying the tools on
a server on this machine (the link checker's tests do).
"""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import SplitResult, urlsplit

ALLOW_LOCAL_VARIABLE = "KINDRED_ALLOW_LOCAL_URLS"
DEFAULT_PORTS = {"http": 80, "https": 443}
# Names that never leave the reader's machine or network (RFC 6761, 6762, 8375), and their
# subdomains.
_LOCAL_NAME = re.compile(r"(?:^|\.)(?:localhost|local|internal|localdomain|home\.arpa)\Z")
# A host name in ASCII (punycode for international names): dot-separated labels of up to 63
# letters, digits and inner hyphens. Underscores are not valid in host names, but some real
# sites use them and browsers accept them.
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\Z")
# A last label like this makes browsers read the whole host as an IPv4 address, in forms
# such as 127.1 or 0x7f.0.0.1 that ipaddress does not accept.
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)\Z")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def local_hosts_allowed() -> bool:
    return os.environ.get(ALLOW_LOCAL_VARIABLE, "") not in ("", "0")


def ascii_host(host: str) -> str | None:
    """``host`` lowercased, in ASCII (punycode for an international name), without the
    trailing dot of a fully qualified name; None when it cannot be a host name at all."""
    host = host.lower()
    name = host[:-1] if host.endswith(".") else host
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return name or None


def port_problem(parts: SplitResult) -> str | None:
    """Why the address's port is unusable, or None (no port, or a valid one)."""
    try:
        port = parts.port
    except ValueError:  # not a number, or above 65535
        port = 0
    if port == 0:
        written = parts.netloc.rpartition(":")[2]
        return f"has an invalid port ':{_short(written)}'; a port is a number from 1 to 65535"
    return None


def host_problem(host: str, allow_local: bool = False) -> str | None:
    """Why a listing may not point at ``host`` (as urlsplit gives it), or None."""
    if ":" in host:  # only an IPv6 address has colons in its host
        return _address_problem(host, allow_local)
    name = ascii_host(host)
    if name is None or not _HOST_NAME.match(name):
        return (
            f"has an invalid host name '{_short(host)}'; use letters, digits, hyphens and dots, "
            "such as example.org"
        )
    if _NUMERIC_LABEL.match(name.rpartition(".")[2]):
        return _address_problem(name, allow_local)
    if allow_local:
        return None
    if "." not in name or _LOCAL_NAME.search(name):
        return (
            f"points to '{host}', a name that only works on a local network; "
            "a listing needs the group's public web address, such as https://example.org/"
        )
    return None


def _address_problem(host: str, allow_local: bool) -> str | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"has an invalid IP address '{_short(host)}'"
    if not allow_local and (not address.is_global or address.is_multicast):
        return (
            f"points to {host}, an address on this machine or a private network; "
            "a listing needs the group's public web address"
        )
    return None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def url_key(url: str) -> str:
    """An address reduced to what makes two listings point at the same place.

    http and https, the case of the host, a default port, a trailing dot, ``www.``, an
    international name and its punycode, and percent-encoding of characters that need none
    all make no difference. The path's case does: servers may tell ``/Join`` from ``/join``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
        host = ascii_host(parts.hostname or "") or ""
    except ValueError:  # not a usable address: only the same text is the same
        return url
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host += f":{port}"
    path = _decode_unreserved(parts.path).rstrip("/")
    return f"{host}{path}?{_decode_unreserved(parts.query)}"


def _decode_unreserved(text: str) -> str:
    """%7E as ~ and %41 as A (RFC 3986, 6.2.2.2); other escapes with upper-case hex."""
    if "%" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else "%" + match[1].upper()

    return _PERCENT.sub(decode, text)
