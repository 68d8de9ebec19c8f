"""Reading the listings file again after an edit (the dev server's quick path) gives exactly
what a full load gives: the same groups on the same lines, or the same problems."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from kindred.catalog import load_catalog
from kindred.catalog.problems import CatalogError
from kindred.catalog.reload import ListingsReloader, split_listings
from kindred.catalog.taxonomy import load_taxonomy
from tests.conftest import GROUPS, TAXONOMY


def outcome(load) -> tuple:
    """What a load gives: every group with its line, or every problem."""
    try:
        catalog = load()
    except CatalogError as error:
        return ("problems", [str(problem) for problem in error.problems])
    return ("groups", catalog.groups, [group.line for group in catalog.groups])


@pytest.fixture
def groups_file(tmp_path: Path) -> Path:
    path = tmp_path / "groups.yaml"
    path.write_bytes(GROUPS.read_bytes())
    return path


def assert_same_as_full_load(reloader: ListingsReloader, path: Path) -> tuple:
    quick = outcome(reloader.load)
    full = outcome(lambda: load_catalog(path, TAXONOMY))
    assert quick == full
    return quick


def listings_of(path: Path) -> tuple[str, list[str]]:
    head, listings = split_listings(path.read_text(encoding="utf-8"))
    return head, [text for _, text in listings]


def write(path: Path, head: str, listings: list[str]) -> None:
    path.write_text(head + "".join(listings), encoding="utf-8")


def renamed(text: str, suffix: str) -> str:
    return re.sub(r"(?m)^  name: (.*)$", lambda m: f"  name: {m.group(1)}{suffix}", text, count=1)


def copied(text: str, number: int) -> str:
    """The listing under a new id and address."""
    text = re.sub(r"(?m)^- id: (\S+)", lambda m: f"- id: {m.group(1)}-copy-{number}", text, count=1)
    return re.sub(
        r"(?m)^  url: (\S+)", lambda m: f"  url: {m.group(1)}?copy={number}", text, count=1
    )


def longer(text: str) -> str:
    """The same listing over one more line (its description folded)."""
    folded = lambda m: f"  description: >-\n    {m.group(1)}"  # noqa: E731
    return re.sub(r"(?m)^  description: (.*)$", folded, text, count=1)


EDITS = {
    "rename one": lambda head, items, rng: (head, _at(items, rng, lambda t: renamed(t, " X"))),
    "one line longer": lambda head, items, rng: (head, _at(items, rng, longer)),
    "delete one": lambda head, items, rng: (head, _without(items, rng)),
    "add a copy": lambda head, items, rng: (
        head,
        [*items, copied(rng.choice(items), rng.randrange(10**6))],
    ),
    "swap two": lambda head, items, rng: (head, rng.sample(items, len(items))),
    "comment above": lambda head, items, rng: ("# edited\n" + head, items),
    "repeat an id": lambda head, items, rng: (head, [*items, rng.choice(items)]),
    "unknown value": lambda head, items, rng: (
        head,
        _at(items, rng, lambda t: t.replace("cost: free", "cost: gratis", 1)),
    ),
    "tab indent": lambda head, items, rng: (
        head,
        _at(items, rng, lambda t: t.replace("\n  name:", "\n\tname:", 1)),
    ),
}


def _at(items: list[str], rng: random.Random, change) -> list[str]:
    index = rng.randrange(len(items))
    return [*items[:index], change(items[index]), *items[index + 1 :]]


def _without(items: list[str], rng: random.Random) -> list[str]:
    index = rng.randrange(len(items))
    return items[:index] + items[index + 1 :]


@pytest.mark.parametrize("seed", range(2))
def test_edit_after_edit_gives_what_a_full_load_gives(groups_file: Path, seed: int) -> None:
    rng = random.Random(seed)
    reloader = ListingsReloader(groups_file, load_taxonomy(TAXONOMY))
    assert assert_same_as_full_load(reloader, groups_file)[0] == "groups"
    seen = set()
    for _ in range(20):
        name = rng.choice(list(EDITS))
        head, items = listings_of(groups_file)
        write(groups_file, *EDITS[name](head, items, rng))
        seen.add(assert_same_as_full_load(reloader, groups_file)[0])
        if seen == {"problems"} or rng.random() < 0.3:  # back to a valid file now and then
            write(groups_file, *listings_of(GROUPS))
            assert_same_as_full_load(reloader, groups_file)


def test_a_mistake_then_its_fix(groups_file: Path) -> None:
    reloader = ListingsReloader(groups_file, load_taxonomy(TAXONOMY))
    reloader.load()
    good = groups_file.read_text(encoding="utf-8")
    groups_file.write_text(good.replace("cost: free", "cost: gratis", 1), encoding="utf-8")
    kind, problems = assert_same_as_full_load(reloader, groups_file)
    assert kind == "problems" and "'gratis' is not a known cost" in problems[0]
    groups_file.write_text(good.replace("\n  name: ", "\n  name: Renamed ", 1), encoding="utf-8")
    kind, groups, _ = assert_same_as_full_load(reloader, groups_file)
    assert any(group.name.startswith("Renamed ") for group in groups)


@pytest.mark.parametrize(
    "text",
    [
        "- id: a\n  name: [unclosed\n- id: b\n",  # a listing's text that cannot stand alone
        "[{id: a}, {id: b}]\n",  # not a list of listings line by line
        "-\n  id: calm\n",  # a listing whose fields start on the next line
        "- id: a\r\n  name: A\r\n-\r\n  id: b\r\n",  # Windows line ends
    ],
)
def test_files_of_other_shapes_are_left_to_the_full_load(groups_file: Path, text: str) -> None:
    reloader = ListingsReloader(groups_file, load_taxonomy(TAXONOMY))
    reloader.load()
    for content in (text, GROUPS.read_text(encoding="utf-8").replace("\n", "\r\n")):
        groups_file.write_bytes(content.encode("utf-8"))
        assert_same_as_full_load(reloader, groups_file)
        groups_file.write_bytes(content.encode("utf-8") + b"# end\n")
        assert_same_as_full_load(reloader, groups_file)


# Edits each listing's text would pass alone, but the whole file not, or not the same way.
TRICKY_EDITS = {
    "every listing deleted": lambda head, items: (head, []),
    "emptied": lambda head, items: ("", []),
    "a document end inside a listing": lambda head, items: (
        head,
        [*items[:3], items[3] + "...\n", *items[4:]],
    ),
    "a document start inside a listing": lambda head, items: (
        head,
        [*items[:3], items[3] + "---\n", *items[4:]],
    ),
    "a new listing whose fields start on its second line": lambda head, items: (
        head,
        [*items[:2], copied(items[2], 7).replace("- id:", "- # added\n  id:", 1), *items[2:]],
    ),
}


@pytest.mark.parametrize("edit", TRICKY_EDITS)
def test_edits_only_the_whole_file_can_judge(groups_file: Path, edit: str) -> None:
    reloader = ListingsReloader(groups_file, load_taxonomy(TAXONOMY))
    reloader.load()
    write(groups_file, *TRICKY_EDITS[edit](*listings_of(groups_file)))
    assert_same_as_full_load(reloader, groups_file)
    # and the next save, from whatever the reloader kept of that one
    head, items = listings_of(groups_file)
    if items:
        write(groups_file, head, [renamed(items[0], " again"), *items[1:]])
    assert_same_as_full_load(reloader, groups_file)
