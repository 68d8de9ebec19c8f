"""Lists of groups split into pages of a fixed size, at base/, base/page/2/, base/page/3/, …

Without JavaScript every list must stay usable on a phone: at 10,000 listings one facet value
can hold thousands of groups, far too many for one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kindred.catalog.model import Group


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

    @property
    def last(self) -> int:
        return self.first + len(self.groups) - 1


def page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginate(base: str, groups: Sequence[Group], size: int) -> list[ListPage]:
    """The pages of one list; an empty list still has its first page."""
    count = max(1, -(-len(groups) // size))
    return [
        ListPage(
            path=page_path(base, number),
            groups=tuple(groups[(number - 1) * size : number * size]),
            number=number,
            count=count,
            total=len(groups),
            first=(number - 1) * size + 1,
            previous=page_path(base, number - 1) if number > 1 else None,
            next=page_path(base, number + 1) if number < count else None,
        )
        for number in range(1, count + 1)
    ]
