"""The catalog loader names every mistake in groups.yaml with its line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kindred.catalog import load_catalog
from kindred.problems import CatalogError
from tests.conftest import TAXONOMY

TODAY = dt.date(2026, 11, 22)

# A valid listing, one field a line. Tests swap or add lines to make one mistake at a time.
VALID = """\
- id: calm-harbour
  name: Calm Harbour
  organization: Harbour Network
  url: https://calm-harbour.example.org/join
  description: A friendly forum for people living with depression.
  how_to_join: Sign up with an email address and choose a nickname.
  conditions: [depression, anxiety]
  formats: [forum]
  cost: free
  anonymity: pseudonymous
  audience: [people-affected]
  moderation: community
  availability: [anytime]
  languages: [en]
  regions: [global]
  added: 2026-01-15
"""


def second(listing_id: str = "second-one", url: str = "https://second.example.org/") -> str:
    """Another valid listing, with its own id and URL unless told otherwise."""
    return (
        VALID.replace("calm-harbour.example.org/join", url.split("://", 1)[1])
        .replace("id: calm-harbour", f"id: {listing_id}")
        .replace("https://", url.split("://", 1)[0] + "://", 1)
    )


def problems_in(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "groups.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    try:
        load_catalog(path, TAXONOMY, today=TODAY)
    except CatalogError as error:
        return [str(problem).replace(str(path), "groups.yaml") for problem in error.problems]
    return []


def test_valid_listing_loads_into_typed_immutable_groups(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(VALID + second(), encoding="utf-8")
    catalog = load_catalog(path, TAXONOMY, today=TODAY)
    group = catalog.group("calm-harbour")
    assert group.added == dt.date(2026, 1, 15)
    assert group.slugs("condition") == ("depression", "anxiety")
    assert [v.label for v in group.values("condition")] == ["Depression", "Anxiety"]
    assert group.value("cost").label == "Free"
    assert catalog.groups_with("format", "forum") == catalog.groups
    with pytest.raises(AttributeError):
        group.name = "Changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        group.facets["cost"] = ("paid",)  # type: ignore[index]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert problems_in(tmp_path, b"\xef\xbb\xbf" + VALID.encode()) == []


CASES = {
    "yaml syntax error": (
        VALID.replace("formats: [forum]", "formats: [forum"),
        [
            "groups.yaml:9:7: error: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence that started at line 8, column 12)"
        ],
    ),
    "tab indentation": (
        VALID.replace("  cost: free", "\tcost: free"),
        ["groups.yaml:9:1: error: tab character in indentation"],
    ),
    "duplicate key": (
        VALID + "  name: Another name\n",
        ["groups.yaml:17:3: error: duplicate field 'name' (first given at line 2)"],
    ),
    "anchor": (
        VALID.replace("  conditions: [depression, anxiety]", "  conditions: &c [depression]"),
        ["groups.yaml:7:15: error: anchors (&c) are not allowed"],
    ),
    "alias": (
        VALID.replace("  conditions: [depression, anxiety]", "  conditions: &c [depression]")
        + second().replace("  conditions: [depression, anxiety]", "  conditions: *c"),
        [
            "groups.yaml:7:15: error: anchors (&c) are not allowed",
            "groups.yaml:23:15: error: aliases (*c) are not allowed",
        ],
    ),
    "custom tag": (
        VALID.replace("name: Calm Harbour", "name: !shout Calm Harbour"),
        ["groups.yaml:2:9: error: YAML tags such as '!shout' are not allowed"],
    ),
    "unknown field with suggestion": (
        VALID.replace("  description:", "  descripton:"),
        [
            "groups.yaml:1:3: error: listing 'calm-harbour' is missing required field: description",
            "groups.yaml:5:3: error: unknown field 'descripton'; did you mean 'description'?",
        ],
    ),
    "missing required fields": (
        VALID.replace("  url: https://calm-harbour.example.org/join\n", "").replace(
            "  added: 2026-01-15\n", ""
        ),
        ["groups.yaml:1:3: error: listing 'calm-harbour' is missing required fields: url, added"],
    ),
    "text given a number": (
        VALID.replace("name: Calm Harbour", "name: 988"),
        ["groups.yaml:2:9: error: 'name' must be text, not a number; put it in quotes"],
    ),
    "list given where text belongs": (
        VALID.replace("organization: Harbour Network", "organization: [A, B]"),
        ["groups.yaml:3:17: error: 'organization' must be text, not a list"],
    ),
    "value not in taxonomy": (
        VALID.replace("[depression, anxiety]", "[depresion, anxiety]"),
        [
            "groups.yaml:7:16: error: 'depresion' is not a known condition; did you mean "
            "'depression'? Allowed: alcohol-use, drug-addiction,"
        ],
    ),
    "label given instead of slug": (
        VALID.replace("formats: [forum]", "formats: [Discussion forum]"),
        [
            "groups.yaml:8:13: error: 'Discussion forum' is not a known format; "
            "did you mean 'forum'?"
        ],
    ),
    "list given to a one-value facet": (
        VALID.replace("cost: free", "cost: [free, paid]"),
        [
            "groups.yaml:9:9: error: 'cost' takes one value, not a list; choose one of: "
            "free, freemium, donation, paid"
        ],
    ),
    "single value where a list belongs": (
        VALID.replace("formats: [forum]", "formats: forum"),
        ["groups.yaml:8:12: error: 'formats' must be a list, for example [forum]"],
    ),
    "empty list": (
        VALID.replace("regions: [global]", "regions: []"),
        ["groups.yaml:15:12: error: 'regions' must list at least one value"],
    ),
    "duplicate id": (
        VALID + second(listing_id="calm-harbour"),
        ["groups.yaml:17:7: error: duplicate id 'calm-harbour' (already used at line 1)"],
    ),
    "duplicate url": (
        VALID + second(url="https://CALM-harbour.example.org/join/"),
        [
            "groups.yaml:20:8: error: duplicate url 'https://CALM-harbour.example.org/join/' "
            "(already used at line 4)"
        ],
    ),
    "id not a slug": (
        VALID.replace("id: calm-harbour", "id: Calm_Harbour"),
        ["groups.yaml:1:7: error: id 'Calm_Harbour' must be a lowercase slug"],
    ),
    "javascript url": (
        VALID.replace("https://calm-harbour.example.org/join", "javascript:alert(1)"),
        ["groups.yaml:4:8: error: 'url' must be an absolute http:// or https:// address"],
    ),
    "data url": (
        VALID.replace("https://calm-harbour.example.org/join", "data:text/html,hi"),
        ["groups.yaml:4:8: error: 'url' must be an absolute http:// or https:// address"],
    ),
    "relative url": (
        VALID.replace("https://calm-harbour.example.org/join", "/join"),
        ["groups.yaml:4:8: error: 'url' must be an absolute http:// or https:// address"],
    ),
    "markup in url": (
        VALID.replace("https://calm-harbour.example.org/join", 'https://x.org/"><img src=x>'),
        ["groups.yaml:4:8: error: 'url' contains spaces or characters such as < > \""],
    ),
    "date not iso": (
        VALID.replace("added: 2026-01-15", "added: 15/01/2026"),
        ["groups.yaml:16:10: error: 'added' must be a date written YYYY-MM-DD, not '15/01/2026'"],
    ),
    "impossible date": (
        VALID.replace("added: 2026-01-15", "added: 2026-02-30"),
        ["groups.yaml:16:10: error: 'added' must be a date written YYYY-MM-DD"],
    ),
    "future date": (
        VALID + "  last_verified: 2027-01-01\n",
        ["groups.yaml:17:18: error: 'last_verified' is 2027-01-01, which is in the future"],
    ),
    "empty text": (
        VALID.replace(
            "how_to_join: Sign up with an email address and choose a nickname.",
            'how_to_join: "   "',
        ),
        ["groups.yaml:6:16: error: 'how_to_join' must not be empty"],
    ),
    "null text": (
        VALID.replace("name: Calm Harbour", "name:"),
        ["groups.yaml:2:8: error: 'name' must not be empty"],
    ),
    "over-long text": (
        VALID.replace("A friendly forum for people living with depression.", "word " * 120),
        ["groups.yaml:5:16: error: 'description' is 599 characters long; the limit is 500"],
    ),
    "not utf-8": (
        VALID.replace("Calm Harbour\n", "Caf\udce9 Harbour\n").encode("utf-8", "surrogateescape"),
        ["groups.yaml:2:12: error: this file is not valid UTF-8 (byte 0xE9)"],
    ),
    "top level not a list": (
        "id: calm-harbour\nname: Calm Harbour\n",
        ["groups.yaml:1:1: error: the top level must be a list of listings"],
    ),
    "empty file": ("", ["groups.yaml:1:1: error: the file is empty"]),
    "listing not a mapping": (
        VALID + "- just a string\n",
        ["groups.yaml:17:3: error: each listing must be a set of fields, not text"],
    ),
    "age out of range": (
        VALID + "  minimum_age: 0\n",
        ["groups.yaml:17:16: error: 'minimum_age' must be between 1 and 99, not 0"],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_named_with_its_line_and_column(
    tmp_path: Path, text: str | bytes, expected: list[str]
) -> None:
    found = problems_in(tmp_path, text)
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(start), f"{problem!r} should start with {start!r}"


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        VALID.replace("cost: free", "cost: gratis").replace("id: calm-harbour", "id: Calm")
        + second(url="ftp://second.example.org/")
        + "  colour: blue\n"
    )
    found = problems_in(tmp_path, text)
    assert [p.split(": error")[0] for p in found] == [
        "groups.yaml:1:7",
        "groups.yaml:9:9",
        "groups.yaml:20:8",
        "groups.yaml:33:3",
    ]
