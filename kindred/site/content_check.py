"""Guidance and pages may not carry active or third-party markup.

Markdown in content/ is trusted, but a pull request can still slip raw HTML into it: a
script, an event handler, a ``javascript:`` link, a frame, a form or an image from another
site. The Content-Security-Policy would block most of it in the browser; this check stops
the build instead, naming the file and line, so the mistake fails in CI.

The rendered HTML is checked (what would be published, so code samples that merely show a
tag are fine), and each finding is traced back to its line in the Markdown source.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Elements that run code, embed other documents, collect input or change how the page loads.
FORBIDDEN_ELEMENTS = {
    "script": "content may not run scripts (the site's own live in theme/static/js)",
    "style": "the Content-Security-Policy allows only the site's stylesheet; "
    "add rules to theme/static/css instead",
    "iframe": "content may not embed other pages",
    "frame": "content may not embed other pages",
    "frameset": "content may not embed other pages",
    "object": "content may not embed plugins or other documents",
    "embed": "content may not embed plugins or other documents",
    "applet": "content may not embed plugins or other documents",
    "form": "content may not collect input; link to a page that does instead",
    "base": "content may not change how the page's links resolve",
    "meta": "content may not change the page's headers",
    "link": "content may not load stylesheets or other resources",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite"}
URL_ATTRIBUTES |= {"background", "ping", "xlink:href"}
# Attributes whose URL the browser requests by itself, without a click.
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "ping"}
ACTIVE_SCHEMES = {"javascript", "vbscript", "data"}
# What a content object's lists are called on Pelican's article and page generators.
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


@dataclass(frozen=True)
class Finding:
    """One unsafe thing in the HTML, and patterns that find it in the source, best first."""

    message: str
    needles: tuple[str, ...]


def content_problems(generators: Iterable[Any], site_url: str) -> list[str]:
    """Every unsafe thing in every article and page, as 'FILE:LINE: error: message'."""
    problems = []
    for content in _contents(generators):
        findings = [
            finding
            for html in _rendered_parts(content)
            for finding in unsafe_markup(html, site_url)
        ]
        if findings:
            source = Path(content.source_path).read_text(encoding="utf-8", errors="replace")
            problems += _located(_display_path(content.source_path), source, findings)
    return problems


def unsafe_markup(html: str, site_url: str = "") -> list[Finding]:
    """What in ``html`` may not be published, in document order."""
    scanner = _Scanner(site_url)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


class _Scanner(HTMLParser):
    def __init__(self, site_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_url = site_url.rstrip("/")
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _tag_pattern(tag)
        if tag in FORBIDDEN_ELEMENTS:  # one message for the element says it all
            self.add(f"<{tag}> element: {FORBIDDEN_ELEMENTS[tag]}", element)
            return
        for name, value in attrs:
            attribute = rf"\b{re.escape(name)}\s*="
            if name.startswith("on"):
                self.add(f"{name}= attribute: content may not run scripts", attribute, element)
            elif name == "style":
                message = (
                    "style= attribute: the Content-Security-Policy blocks inline styles; "
                    "use a class from theme/static/css"
                )
                self.add(message, attribute, element)
            elif name in URL_ATTRIBUTES and value:
                self.check_url(tag, name, value, element)

    def check_url(self, tag: str, name: str, value: str, element: str) -> None:
        urls = (
            [c.split()[0] for c in value.split(",") if c.strip()] if name == "srcset" else [value]
        )
        for url in urls:
            scheme = _scheme(url)
            # As written in the source, give or take whitespace (Markdown expands tabs).
            written = r"\s+".join(re.escape(part) for part in url.split())
            if scheme in ACTIVE_SCHEMES:
                message = f"{scheme}: URL in {name}= ({_short(url)}): not allowed in content"
                self.add(message, written, rf"{scheme}\s*:", element)
            elif name in LOADING_ATTRIBUTES and not self.on_site(url):
                what = "image" if tag == "img" else f"<{tag}> {name}="
                message = (
                    f"{what} from another site ({_short(url)}): content may load files only "
                    "from the site itself, e.g. {static}/images/…"
                )
                self.add(message, written, element)

    def on_site(self, url: str) -> bool:
        try:
            parts = urlsplit(url.strip())
        except ValueError:  # not a URL a browser could load from here either
            return False
        if not parts.scheme and not parts.netloc:
            return True  # relative, or {static}/… and {filename}/… placeholders
        return bool(self.site_url) and url.strip().startswith(self.site_url + "/")

    def add(self, message: str, *needles: str) -> None:
        self.findings.append(Finding(message, needles))


def _contents(generators: Iterable[Any]) -> Iterator[Any]:
    seen: set[int] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, []):
                if id(content) not in seen:
                    seen.add(id(content))
                    yield content


def _rendered_parts(content: Any) -> list[str]:
    """The body and the metadata fields Pelican renders from Markdown (the summary)."""
    formatted = content.settings.get("FORMATTED_FIELDS", [])
    fields = [content.metadata.get(name) for name in formatted]
    return [content._content or "", *(f for f in fields if isinstance(f, str))]


def _located(path: str, source: str, findings: list[Finding]) -> list[str]:
    """Each finding with the line it comes from: the k-th finding that a pattern locates is
    put on the k-th place the pattern matches, outside code first."""
    texts = (_without_code(source), source)
    used: Counter[str] = Counter()
    located = []
    for finding in findings:
        line = 1
        for needle in finding.needles:
            starts = _match_lines(needle, texts)
            if starts:
                line = starts[min(used[needle], len(starts) - 1)]
                used[needle] += 1
                break
        located.append((line, f"{path}:{line}: error: {finding.message}"))
    return [message for _, message in sorted(located, key=lambda item: item[0])]


def _match_lines(needle: str, texts: tuple[str, ...]) -> list[int]:
    for text in texts:
        found = [
            text.count("\n", 0, m.start()) + 1 for m in re.finditer(needle, text, re.IGNORECASE)
        ]
        if found:
            return found
    return []


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _without_code(source: str) -> str:
    """The source with fenced code blocks and code spans blanked out, lines kept: a tag
    shown as code is not markup."""
    lines, fence = [], None
    for line in source.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
            lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence[0] * len(fence)):
                fence = None
            lines.append("")
        else:
            lines.append(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)


def _tag_pattern(tag: str) -> str:
    return rf"<\s*{re.escape(tag)}\b"


def _scheme(url: str) -> str:
    """The scheme a browser would see: it ignores surrounding spaces and control characters
    and any tab or newline inside."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return found.group(1).lower() if found else ""


def _short(url: str) -> str:
    url = " ".join(url.split())
    return url if len(url) <= 60 else url[:57] + "…"


def _display_path(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
