"""The security policy, and the web server files the build writes so nobody copies them by hand.

Every page carries the Content-Security-Policy in a meta tag, which works on any host. Some
protections only work as HTTP headers (``frame-ancestors``, which says who may show the site
in a frame, and ``X-Content-Type-Options``), so the build also writes them for the common
servers, from the same rules:

    _headers      Netlify and Cloudflare Pages (and any host that reads that format)
    .htaccess     Apache (mod_headers, mod_deflate, mod_expires optional)
    nginx.conf    an nginx snippet to include in the server block

Caching: Pagefind's fragment, index and filter files are named by their content, so they can
be kept for a year; search/ files keep their names from build to build and must match each
other, so browsers check them each time (a cheap 304 when nothing changed). The search/*.bin
files are gzip data the browser inflates itself: servers must not compress them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# The page policy; see base.html. 'wasm-unsafe-eval' and blob: workers are what Pagefind needs.
_POLICY = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
# Folders of Pagefind's output whose file names are hashes of their content.
HASHED_FOLDERS = ("pagefind/fragment/", "pagefind/index/", "pagefind/filter/")
SERVER_FILES = ("_headers", ".htaccess", "nginx.conf")
COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)


def meta_policy() -> str:
    """The policy as a meta tag carries it (a meta tag cannot say frame-ancestors)."""
    return "; ".join(_POLICY)


def header_policy(frame_ancestors: list[str]) -> str:
    """The policy as an HTTP header: the page's, plus who may frame it."""
    ancestors = " ".join(["'self'", *frame_ancestors])
    return "; ".join([*_POLICY, f"frame-ancestors {ancestors}"])


@dataclass(frozen=True, slots=True)
class Rule:
    """Headers for every path under ``prefix`` (from the site root; "" is everything)."""

    prefix: str
    headers: tuple[tuple[str, str], ...]


def rules(frame_ancestors: list[str]) -> list[Rule]:
    """Every header rule, with no header set by two rules that can match one path (hosts
    differ in how they merge those)."""
    security = (
        ("Content-Security-Policy", header_policy(frame_ancestors)),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    )
    found = [Rule("", security)]
    found += [Rule(folder, (("Cache-Control", IMMUTABLE),)) for folder in HASHED_FOLDERS]
    found.append(Rule("search/", (("Cache-Control", REVALIDATE),)))
    return found


def site_path(site_url: str) -> str:
    """The path the site is served under, with slashes at both ends ("/" at the root)."""
    path = urlsplit(site_url).path.strip("/")
    return f"/{path}/" if path else "/"


def headers_file(frame_ancestors: list[str], site_url: str) -> str:
    """Netlify / Cloudflare Pages ``_headers``."""
    base = site_path(site_url)
    lines = [
        "# Written by Kindred's build: security and caching headers for hosts that read",
        "# _headers files (Netlify, Cloudflare Pages). Edit the settings, not this file.",
    ]
    for rule in rules(frame_ancestors):
        lines += ["", f"{base}{rule.prefix}*"]
        lines += [f"  {name}: {value}" for name, value in rule.headers]
    return "\n".join(lines) + "\n"


def htaccess_file(frame_ancestors: list[str], site_url: str) -> str:
    """Apache ``.htaccess`` for the site's folder (AllowOverride FileInfo Indexes)."""
    base = site_path(site_url)
    lines = [
        "# Written by Kindred's build for Apache (needs AllowOverride FileInfo Indexes, and",
        "# mod_headers; mod_deflate compresses when it is there). Edit the settings, not this.",
        "Options -Indexes",
        f"ErrorDocument 404 {base}404.html",
        "<IfModule mod_headers.c>",
    ]
    security, *caching = rules(frame_ancestors)
    lines += [f'  Header always set {name} "{value}"' for name, value in security.headers]
    for rule in caching:
        pattern = "^" + (base + rule.prefix).replace(".", r"\.")
        lines.append(f'  <If "%{{REQUEST_URI}} =~ m#{pattern}#">')
        lines += [f'    Header set {name} "{value}"' for name, value in rule.headers]
        lines.append("  </If>")
    lines += [
        "</IfModule>",
        "<IfModule mod_deflate.c>",
        f"  AddOutputFilterByType DEFLATE {' '.join(COMPRESSIBLE)}",
        "</IfModule>",
        "# search/*.bin are already gzip data: never compress them again.",
        '<FilesMatch "\\.bin$">',
        "  SetEnv no-gzip 1",
        "</FilesMatch>",
        "# The server files themselves are not part of the site.",
        '<FilesMatch "^(_headers|nginx\\.conf)$">',
        "  Require all denied",
        "</FilesMatch>",
        "# Nor is any file whose name starts with a dot (the build's own marker).",
        '<FilesMatch "^\\.">',
        "  Require all denied",
        "</FilesMatch>",
    ]
    return "\n".join(lines) + "\n"


def nginx_file(frame_ancestors: list[str], site_url: str) -> str:
    """An nginx snippet: ``include`` it inside the ``server { }`` block, with ``root`` (or an
    ``alias`` in the first location) pointing at this folder."""
    base = site_path(site_url)
    security, *caching = rules(frame_ancestors)
    # nginx forgets a level's add_header lines when a nested level adds its own: repeat them.
    adds = [
        f"    add_header {name} {_nginx_quoted(value)} always;" for name, value in security.headers
    ]
    lines = [
        "# Written by Kindred's build: include this inside the server { } block that serves",
        "# the site, e.g. `include /srv/kindred/nginx.conf;`. Edit the settings, not this.",
        "gzip on;",
        "gzip_vary on;",
        f"gzip_types {' '.join(t for t in COMPRESSIBLE if t != 'text/html')};",
        "",
        f"location {base} {{",
        *adds,
        f"    error_page 404 {base}404.html;",
        "    try_files $uri $uri/ =404;",
        "}",
    ]
    for rule in caching:
        lines += ["", f"location {base}{rule.prefix} {{", *adds]
        lines += [
            f"    add_header {name} {_nginx_quoted(value)} always;" for name, value in rule.headers
        ]
        if rule.prefix == "search/":
            lines.append("    gzip off;  # the .bin files are gzip data already")
        lines.append("}")
    denied = "|".join(name.replace(".", r"\.") for name in SERVER_FILES)
    lines += ["", f"location ~ ^{base}({denied})$ {{", "    return 404;", "}"]
    # Nor is any file or folder whose name starts with a dot (the build's own marker), but
    # for /.well-known/, which certificates and security.txt are served from.
    lines += ["", f"location ~ ^{base}(?!\\.well-known/)(.*/)?\\. {{", "    return 404;", "}"]
    return "\n".join(lines) + "\n"


def _nginx_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def server_files(frame_ancestors: list[str], site_url: str) -> dict[str, bytes]:
    """Every server file, by its path in the output folder."""
    writers = {"_headers": headers_file, ".htaccess": htaccess_file, "nginx.conf": nginx_file}
    return {
        name: writer(frame_ancestors, site_url).encode("utf-8") for name, writer in writers.items()
    }
