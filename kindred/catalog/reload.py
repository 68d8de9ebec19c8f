"""Reading the listings file again after a small edit, quickly: the dev server's fast path.

A full load parses and checks every listing: over a second at 10,000 listings. After a save
that changes one listing, all the others are the same text as before, so this keeps each
valid listing by its text and reads only the listings whose text is new. A listing is the
text from one line starting with "- " at the left margin up to the next such line: in a
file whose top level is a list of listings (as it must be) no other line can start so.

Anything this cannot vouch for goes through the full load, which stays the one authority on
what is valid and on every message: a problem anywhere, a change before the first listing,
no listing at all, a line at the left margin inside a changed listing (a document marker
such as "..." changes how everything after it reads), a repeated id or address, a new day
(checks of dates depend on it), or many changed listings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from kindred.catalog.listings import (
    Catalog,
    build_catalog,
    latest_today,
    split_listings,
    validate_text,
)
from kindred.catalog.model import Group
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import Taxonomy
from kindred.catalog.urls import url_key
from kindred.catalog.yamltree import gc_paused, read_text_file

# A line inside a listing that is neither indented, blank nor a comment.
_AT_MARGIN = re.compile(r"[^\s#]")
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
        today = latest_today()
        head, listings = split_listings(text)
        with gc_paused():
            groups = None
            if listings and head == self._head and today == self._day:
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
        fresh: dict[str, Group] = {}
        for line, chunk in changed:
            group = self._read_one(line, chunk)
            if group is None:
                return None
            fresh[chunk] = group
        groups = []
        for line, chunk in listings:
            group = fresh.get(chunk) or self._known[chunk]
            if group.line != line:  # moved up or down by an edit above it
                group = dataclasses.replace(group, line=line)
            groups.append(group)
        url_keys = _url_keys(groups, self._url_keys)
        if _repeats(groups, url_keys):
            return None
        self._known = {chunk: group for (_, chunk), group in zip(listings, groups, strict=True)}
        self._url_keys = url_keys
        return groups

    def _read_one(self, line: int, chunk: str) -> Group | None:
        """The one valid listing in ``chunk``, which starts on ``line`` of the file, or None.

        Read alone, so the group's line is counted from the chunk's start. A line at the left
        margin other than a comment (a document marker such as "..." or "---") would change
        how the rest of the file reads: only the full load can judge that.
        """
        if any(_AT_MARGIN.match(rest) for rest in chunk.splitlines()[1:]):
            return None
        try:
            groups = validate_text(chunk, "", self.taxonomy, self._day)
        except CatalogError:
            return None
        if len(groups) != 1 or groups[0].line != 1:  # its fields start on a later line
            return None
        return dataclasses.replace(groups[0], line=line)


def _url_keys(groups: list[Group], known: dict[str, str]) -> dict[str, str]:
    """Each group's web address and its key (see url_key), reusing the keys in ``known``."""
    return {group.url: known.get(group.url) or url_key(group.url) for group in groups}


def _repeats(groups: list[Group], url_keys: dict[str, str]) -> bool:
    """Whether two groups share an id or a web address (the full load says which)."""
    ids = {group.id for group in groups}
    return len(ids) < len(groups) or len(set(url_keys.values())) < len(groups)
