"""Reading the listings file again after a small edit, quickly: the dev server's fast path.

A full load parses and checks every listing: over a second at 10,000 listings. After a save
that changes one listing, all the others are the same text as before, so this keeps each
valid listing by its text and reads only the listings whose text is new. A listing is the
text from one line starting with "- " at the left margin up to the next such line: in a
file whose top level is a list of listings (as it must be) no other line can start so.

Anything this cannot vouch for goes through the full load, which stays the one authority on
what is valid and on every message: a problem anywhere, a change before the first listing,
a repeated id or address, a new day (checks of dates depend on it), or many changed listings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from kindred.catalog.listings import Catalog, build_catalog, validate_text
from kindred.catalog.model import Group
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import Taxonomy
from kindred.catalog.urls import url_key
from kindred.catalog.yamltree import gc_paused, read_text_file

# A listing starts with "- " (or a lone "-") at the left margin.
_LISTING_START = re.compile(r"^-(?: |$)", re.MULTILINE)
# Past this many new or changed listings, reading them one at a time is no quicker.
MAX_CHANGED = 200


class ListingsReloader:
    """Loads the listings file, remembering each valid listing by its text."""

    def __init__(self, path: Path, taxonomy: Taxonomy):
        self.path = path
        self.taxonomy = taxonomy
        self._head: str | None = None  # the text before the first listing, as last read
        self._day: dt.date | None = None
        self._known: dict[str, Group] = {}
        self._url_keys: dict[str, str] = {}

    def load(self) -> Catalog:
        """The catalog in the file now. Raises CatalogError or OSError as load_catalog does."""
        text = read_text_file(self.path)
        today = dt.date.today()
        head, listings = split_listings(text)
        with gc_paused():
            groups = None
            if head == self._head and today == self._day:
                groups = self._quick(listings)
            if groups is None:
                groups = self._full(text, head, listings, today)
            return build_catalog(self.taxonomy, groups)

    def _full(
        self, text: str, head: str, listings: list[tuple[int, str]], today: dt.date
    ) -> list[Group]:
        self._head = self._day = None
        self._known = {}
        groups = validate_text(text, str(self.path), self.taxonomy, today)
        # Every listing is valid now, and each group records the line it starts on. Unless
        # each piece of text holds exactly one of them, the quick path is not taken.
        by_line = {group.line: group for group in groups}
        if len(groups) == len(listings) and all(line in by_line for line, _ in listings):
            self._known = {chunk: by_line[line] for line, chunk in listings}
            self._head, self._day = head, today
        return groups

    def _quick(self, listings: list[tuple[int, str]]) -> list[Group] | None:
        """The groups, reading only new listings; None when the full load must decide."""
        changed = [(line, chunk) for line, chunk in listings if chunk not in self._known]
        if len(changed) > MAX_CHANGED:
            return None
        known: dict[str, Group] = {}
        for line, chunk in changed:
            group = self._read_one(line, chunk)
            if group is None:
                return None
            known[chunk] = group
        groups = []
        for line, chunk in listings:
            group = known.get(chunk) or self._known[chunk]
            if group.line != line:  # moved up or down by an edit above it
                group = dataclasses.replace(group, line=line)
            known[chunk] = group
            groups.append(group)
        if _repeats(groups, self._url_keys):
            return None
        self._known = known
        return groups

    def _read_one(self, line: int, chunk: str) -> Group | None:
        """The one valid listing in ``chunk``, which starts on ``line`` of the file, or None.

        Blank lines in front put it on its own line, so its group (and any problem, were
        there one) says where it is in the whole file.
        """
        try:
            groups = validate_text("\n" * (line - 1) + chunk, "", self.taxonomy, self._day)
        except CatalogError:
            return None
        return groups[0] if len(groups) == 1 else None


def split_listings(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text before the first listing, and each listing's first line and text."""
    starts = [match.start() for match in _LISTING_START.finditer(text)]
    if not starts:
        return text, []
    listings = []
    line = text.count("\n", 0, starts[0]) + 1
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        listings.append((line, chunk))
        line += chunk.count("\n")
    return text[: starts[0]], listings


def _repeats(groups: list[Group], url_keys: dict[str, str]) -> bool:
    """Whether two groups share an id or a web address (the full load says which).
    ``url_keys`` remembers each address's key from one load to the next."""
    ids = {group.id for group in groups}
    urls = set()
    for group in groups:
        key = url_keys.get(group.url)
        if key is None:
            key = url_keys[group.url] = url_key(group.url)
        urls.add(key)
    return len(ids) < len(groups) or len(urls) < len(groups)
