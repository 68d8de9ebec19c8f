"""The words of the guidance, as a reader meets them: for readability and originality checks.

Articles are Markdown with a Pelican metadata header. Their prose is what Markdown renders
inside paragraphs, list items, headings and table cells; code and the reference entries
themselves (author, year, title, journal) are left out, because they are not sentences
written for the reader.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import markdown

from tests.conftest import ROOT

CONTENT = ROOT / "content"
GUIDANCE = CONTENT / "guidance"
PAGES = CONTENT / "pages"

# A reference entry as written in APA style: "Surname, A. B., ... (2004). Title. Journal", where
# the surname may start with a particle ("van Uden-Kraan, C. F.").
REFERENCE_ENTRY = re.compile(r"^(?:[a-z]+ )*[^\s,]+, [A-Z]\.[^\n]*?\(\d{4}")
# `{filename}/groups/?condition=a,b&cost=free` in an article: a link into the directory.
DIRECTORY_LINK = re.compile(r"\{filename\}/groups/\?([^)\s\"]+)")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote"}
_SKIPPED = {"code", "pre"}
_HEADER_LINE = re.compile(r"^[A-Z][A-Za-z_]*:\s")


@dataclass(frozen=True)
class Article:
    path: Path
    metadata: dict[str, str]
    body: str

    @property
    def name(self) -> str:
        return self.path.relative_to(CONTENT).as_posix()


def read_article(path: Path) -> Article:
    """Split a Markdown file into its metadata header and its body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    metadata: dict[str, str] = {}
    start = 0
    for start, line in enumerate(lines):  # noqa: B007 -- the loop index is the body's start
        if not _HEADER_LINE.match(line):
            break
        key, value = line.split(":", 1)
        metadata[key.strip().lower()] = value.strip()
    return Article(path, metadata, "\n".join(lines[start:]))


def articles(*folders: Path) -> list[Article]:
    return [read_article(p) for folder in folders for p in sorted(folder.glob("*.md"))]


class _BlockText(HTMLParser):
    """Collects the text of each block element, nested lists as blocks of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.buffer: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            self.blocks.append(text)
        self.buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS or tag in {"ul", "ol"}:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping -= 1
        elif tag in _BLOCKS or tag in {"ul", "ol"}:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data)


def prose_blocks(body: str) -> list[str]:
    """The text of every paragraph, item and heading, reference entries left out."""
    parser = _BlockText()
    parser.feed(markdown.markdown(body, extensions=["extra"]))
    parser.flush()
    return [block for block in parser.blocks if not REFERENCE_ENTRY.match(block)]


def as_sentences(blocks: list[str]) -> str:
    """One text in which every block ends a sentence, as a reader takes a heading or item."""
    ended = [
        re.sub(r"[:;,]?$", "", b) + ("" if b.endswith(("?", "!", ".")) else ".") for b in blocks
    ]
    return " ".join(ended)


def words(text: str) -> list[str]:
    """Lowercase words with punctuation and apostrophes removed: "Don't!" -> ["dont"]."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def shingles(word_list: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(word_list[i : i + size]) for i in range(len(word_list) - size + 1)}


def shingle_hash(shingle: tuple[str, ...]) -> str:
    """A short, stable fingerprint of a run of words, so no source text need be stored."""
    return hashlib.sha256(" ".join(shingle).encode()).hexdigest()[:16]


def source_words(text: str) -> list[str]:
    """The words of a source article, its reference lines left out."""
    lines = [line for line in text.splitlines() if not REFERENCE_ENTRY.match(line.strip())]
    return words("\n".join(lines))
