"""Lists split into pages: the directory's pages of cards, and a facet value's cards followed
by pages of names."""

from __future__ import annotations

import itertools

from kindred.site.pagination import ListPage, paginate, paginate_names


def _linked(pages: list[ListPage]) -> bool:
    """Each page links to the next and back; the first has no previous, the last no next."""
    pairs = itertools.pairwise(pages)
    return (
        pages[0].previous is None
        and pages[-1].next is None
        and all(a.next == b.path and b.previous == a.path for a, b in pairs)
    )


def test_a_long_list_shows_cards_first_then_every_other_group_by_name() -> None:
    groups = [f"group-{n}" for n in range(1234)]  # stand-ins: pagination only slices them
    pages = paginate_names("condition/x/", groups, 20, names=500)  # type: ignore[arg-type]
    assert [len(page.groups) for page in pages] == [20, 500, 500, 214]
    assert [page.names_only for page in pages] == [False, True, True, True]
    assert [g for page in pages for g in page.groups] == groups  # each once, in order
    assert [(page.first, page.last) for page in pages] == [
        (1, 20),
        (21, 520),
        (521, 1020),
        (1021, 1234),
    ]
    assert [page.path for page in pages] == [
        "condition/x/",
        "condition/x/page/2/",
        "condition/x/page/3/",
        "condition/x/page/4/",
    ]
    assert all(page.count == 4 and page.total == 1234 for page in pages)
    assert _linked(pages)


def test_short_and_empty_lists_are_one_page_of_cards() -> None:
    for size in (0, 1, 20):
        groups = [f"group-{n}" for n in range(size)]
        pages = paginate_names("cost/free/", groups, 20)  # type: ignore[arg-type]
        assert len(pages) == 1 and not pages[0].names_only
        assert list(pages[0].groups) == groups and pages[0].total == size
        assert _linked(pages)


def test_the_directory_pages_are_all_cards() -> None:
    groups = [f"group-{n}" for n in range(45)]
    pages = paginate("groups/", groups, 20)  # type: ignore[arg-type]
    assert [len(page.groups) for page in pages] == [20, 20, 5]
    assert not any(page.names_only for page in pages)
    assert [g for page in pages for g in page.groups] == groups
    assert _linked(pages)
