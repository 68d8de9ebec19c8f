"""Lists of groups split into pages, at base/, base/page/2/, base/page/3/, …

Without JavaScript every list must stay usable on a phone: at 10,000 listings one facet value
can hold thousands of groups, far too many for one page. Two shapes:

* paginate: every page shows full cards (the directory, /groups/);
* paginate_names: the first page shows full cards, the following ones the rest of the list
  as names only, A to Z (a facet value's page). Every group sits in the lists of a dozen
  facet values; repeating its whole card in each would make the site many times the size of
  its listings, while a name links to the group's own page at a fraction of the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kindred.catalog.model import Group

# Names on each page after the first in a list of names: about 40 KB of HTML, less than two
# pages of cards, and few enough to read through on a phone.
NAMES_PER_PAGE = 500


@dataclass(frozen=True)
class ListPage:
    path: str
    groups: tuple[Group, ...]
    number: int  # 1-based
    count: int  # how many pages the list has
    total: int  # how many groups the whole list has
    first: int  # 1-based position of this page's first group in the list
    previous: str | None
    next: str | None
    names_only: bool = False  # this page lists names, not cards

    @property
    def last(self) -> int:
        return self.first + len(self.groups) - 1


def page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginate(base: str, groups: Sequence[Group], size: int) -> list[ListPage]:
    """The pages of one list, ``size`` cards to a page; an empty list still has its first
    page."""
    return _pages(base, groups, [(start, size, False) for start in range(0, len(groups), size)])


def paginate_names(
    base: str, groups: Sequence[Group], size: int, names: int = NAMES_PER_PAGE
) -> list[ListPage]:
    """The pages of one list: ``size`` cards first, then ``names`` names to a page."""
    slices = [(0, size, False)]
    slices += [(start, names, True) for start in range(size, len(groups), names)]
    return _pages(base, groups, slices)


def _pages(
    base: str, groups: Sequence[Group], slices: list[tuple[int, int, bool]]
) -> list[ListPage]:
    """One ListPage per (start, length, names_only) slice of ``groups``."""
    slices = slices or [(0, 0, False)]
    count = len(slices)
    return [
        ListPage(
            path=page_path(base, number),
            groups=tuple(groups[start : start + length]),
            number=number,
            count=count,
            total=len(groups),
            first=start + 1,
            previous=page_path(base, number - 1) if number > 1 else None,
            next=page_path(base, number + 1) if number < count else None,
            names_only=names_only,
        )
        for number, (start, length, names_only) in enumerate(slices, start=1)
    ]
