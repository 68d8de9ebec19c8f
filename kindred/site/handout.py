"""What printed hand-outs need from the build: short web addresses and QR codes.

A QR code is made here, with segno, where a page's address is known when the site is built:
group pages and facet value pages of a build with an absolute SITEURL. A relative build has
no address to encode (the site may be served from anywhere), so those pages draw their code
in the browser from their own location, as the directory always does for its live view
(theme/static/js/qr.js).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from markupsafe import Markup


def short_address(url: str) -> str:
    """A web address as people write it on paper: no scheme, no "www.", no lone slash."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    path = "" if parts.path == "/" else parts.path
    return host + path + (f"?{parts.query}" if parts.query else "")


def qr_svg(url: str, title: str = "QR code") -> Markup:
    """``url`` as a QR code, an inline SVG that scales to its box (with its quiet zone)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        title=title,
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def page_qr(site_url: str, path: str) -> Markup:
    """The QR code of the page at ``path`` (from the site root), or nothing in a relative
    build, whose address only the browser knows."""
    if not site_url:
        return Markup("")
    return qr_svg(f"{site_url}/{path}", f"QR code: {short_address(site_url + '/' + path)}")
