"""The catalog loader names every mistake in groups.yaml with its line and column."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kindred.catalog import ListingValidator, load_catalog
from kindred.catalog.model import FieldSpec
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import load_taxonomy
from kindred.catalog.urls import ALLOW_LOCAL_VARIABLE
from kindred.catalog.yamltree import Scalar, plain_kind
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
  run_by: charity
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
        ["groups.yaml:18:3: error: duplicate field 'name' (first given at line 2)"],
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
            "groups.yaml:24:15: error: aliases (*c) are not allowed",
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
    "a name YAML cuts short at a comment": (
        VALID.replace("name: Calm Harbour", "name: Calm Harbour #2"),
        [
            "groups.yaml:2:9: error: 'name' goes on after ' #', which YAML reads as the start "
            "of a comment and leaves out; if the # is part of the name, put the whole name in "
            "quotes, and if it is a comment, give it a line of its own"
        ],
    ),
    "another name given instead of the slug": (
        VALID.replace("regions: [global]", "regions: [UK]"),
        ["groups.yaml:15:13: error: 'UK' is not a known region; did you mean 'gb'?"],
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
        ["groups.yaml:18:7: error: duplicate id 'calm-harbour' (already used at line 1)"],
    ),
    "duplicate url": (
        VALID + second(url="https://CALM-harbour.example.org/join/"),
        [
            "groups.yaml:21:8: error: duplicate url 'https://CALM-harbour.example.org/join/' "
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
        ["groups.yaml:18:18: error: 'last_verified' is 2027-01-01, which is in the future"],
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
    "not utf-8, a run of bytes": (
        VALID.replace("Calm Harbour\n", "Calm \udce2\udc80 Harbour\n").encode(
            "utf-8", "surrogateescape"
        ),
        ["groups.yaml:2:14: error: this file is not valid UTF-8 (bytes 0xE2 0x80)"],
    ),
    "stray replacement character": (
        VALID.replace("[depression, anxiety]", "[depression, anx\ufffdiety]"),
        ["groups.yaml:7:31: error: U+FFFD REPLACEMENT CHARACTER (it marks text that was lost)"],
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
        ["groups.yaml:18:3: error: each listing must be a set of fields, not text"],
    ),
    "age out of range": (
        VALID + "  minimum_age: 0\n",
        ["groups.yaml:18:16: error: 'minimum_age' must be between 1 and 99, not 0"],
    ),
    "saved as UTF-16, as some editors save 'Unicode'": (
        VALID.encode("utf-16"),
        [
            'groups.yaml:1:1: error: this file is saved as UTF-16 ("Unicode" in some editors), '
            "not UTF-8; save it with UTF-8 encoding"
        ],
    ),
    "lines ending in a carriage return alone, as old Mac editors saved them": (
        VALID.replace("\n", "\r").replace("cost: free", "cost: gratis").encode("utf-8"),
        ["groups.yaml:9:9: error: 'gratis' is not a known cost"],
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
        "groups.yaml:21:8",
        "groups.yaml:35:3",
    ]


def with_age(value: str) -> str:
    return VALID + f"  minimum_age: {value}\n"


AGE_CASES = {
    "octal-looking 010": ("010", "written without a leading zero (YAML reads 010 as an octal"),
    "octal-looking 017": ("017", "written without a leading zero (YAML reads 017 as an octal"),
    "leading zero, not octal": ("019", "written without a leading zero (YAML reads 019 as text)"),
    "superscript two": ("²", "written with the digits 0-9, not '²'"),
    "arabic-indic digits": ("١٢", "written with the digits 0-9, not '١٢'"),
    "hexadecimal": ("0x10", "not '0x10'"),
    "underscored": ("1_0", "not '1_0'"),
    "sexagesimal": ("1:30", "not '1:30'"),
    "fraction": ("12.5", "not '12.5'"),
    "quoted": ('"18"', "not text; remove the quotes"),
    "empty": ("", "not nothing"),
    "a list": ("[18]", "not a list"),
    "negative": ("-4", "must be between 1 and 99, not -4"),
    "too large": ("100", "must be between 1 and 99, not 100"),
    "thousands of digits": ("9" * 5000, "must be between 1 and 99, not 99999999999999999999…"),
}


@pytest.mark.parametrize("value, expected", AGE_CASES.values(), ids=AGE_CASES.keys())
def test_a_whole_number_field_names_the_allowed_range_for_any_spelling(
    tmp_path: Path, value: str, expected: str
) -> None:
    found = problems_in(tmp_path, with_age(value))
    assert len(found) == 1, found
    assert found[0].startswith("groups.yaml:18:")
    assert "'minimum_age' must be" in found[0] and expected in found[0]
    assert "1 and 99" in found[0] or "from 1 to 99" in found[0]
    assert len(found[0]) < 300  # a value thousands of characters long is shortened


def test_a_plainly_written_age_is_read_as_the_number_it_shows(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(with_age("16") + second().replace("  added:", "  minimum_age: +18\n  added:"))
    ages = [group.minimum_age for group in load_catalog(path, TAXONOMY, today=TODAY).groups]
    assert ages == [16, 18]


def test_every_integer_field_is_checked_against_its_own_bounds(taxonomy) -> None:
    problems: list = []
    validator = ListingValidator("groups.yaml", taxonomy, TODAY, problems)
    spec = FieldSpec(
        "maximum_age", "integer", False, "Oldest age allowed.", minimum=18, maximum=120
    )
    for value in ("150", "0150", "²", "9" * 5000, "65"):
        validator.check_integer(spec, Scalar(value, plain_kind(value), 3, 16))
    messages = [str(problem) for problem in problems]
    assert len(messages) == 4
    assert messages[0] == (
        "groups.yaml:3:16: error: 'maximum_age' must be between 18 and 120, not 150"
    )
    assert messages[1].startswith(
        "groups.yaml:3:16: error: 'maximum_age' must be a whole number from 18 to 120 "
        "written without a leading zero"
    )
    assert messages[2] == (
        "groups.yaml:3:16: error: 'maximum_age' must be a whole number from 18 to 120 "
        "written with the digits 0-9, not '²'"
    )
    assert messages[3].startswith(
        "groups.yaml:3:16: error: 'maximum_age' must be between 18 and 120, not 9999"
    )
    assert validator.check_integer(spec, Scalar("65", plain_kind("65"), 3, 16)) == 65


# Characters nobody can see in an editor or a diff, and controls the parser chokes on.
INVISIBLE = {
    "\u200b": "invisible character U+200B ZERO WIDTH SPACE",
    "\u200c": "invisible character U+200C ZERO WIDTH NON-JOINER",
    "\u200d": "invisible character U+200D ZERO WIDTH JOINER",
    "\u2060": "invisible character U+2060 WORD JOINER",
    "\ufeff": "invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\u202a": "invisible character U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u202e": "invisible character U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "invisible character U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2069": "invisible character U+2069 POP DIRECTIONAL ISOLATE",
    "\u200e": "invisible character U+200E LEFT-TO-RIGHT MARK",
    "\u200f": "invisible character U+200F RIGHT-TO-LEFT MARK",
    "\u061c": "invisible character U+061C ARABIC LETTER MARK",
    "\u00ad": "invisible character U+00AD SOFT HYPHEN",
    "\u2028": "invisible character U+2028 LINE SEPARATOR",
    "\x80": "control character U+0080",
    "\x85": "control character U+0085 NEXT LINE",
    "\x9f": "control character U+009F",
    "\x00": "control character U+0000 NULL",
    "\x07": "control character U+0007 BELL",
    "\x1b": "control character U+001B ESCAPE",
    "\x7f": "control character U+007F DELETE",
    "\r": "control character U+000D CARRIAGE RETURN",
    "\ufffe": "noncharacter U+FFFE",
}


@pytest.mark.parametrize("char, described", INVISIBLE.items(), ids=[hex(ord(c)) for c in INVISIBLE])
def test_an_invisible_or_control_character_is_named_where_it_stands(
    tmp_path: Path, char: str, described: str
) -> None:
    text = VALID.replace("name: Calm Harbour", f"name: Calm {char}Harbour")
    assert problems_in(tmp_path, text) == [
        f"groups.yaml:2:14: error: {described} is not allowed; delete it"
    ]


WHERE = {
    "in an id": ("id: calm-harbour", "id: calm-\u200bharbour", "1:12"),
    "in a url's host": (
        "url: https://calm-harbour",
        "url: https://calm-\u202eharbour",
        "4:21",
    ),
    "in a facet value": ("[depression, anxiety]", "[depression, anx\u200diety]", "7:31"),
    "single-quoted": ("name: Calm Harbour", "name: 'Calm \u202eHarbour'", "2:15"),
    "double-quoted": ("name: Calm Harbour", 'name: "Calm \u202eHarbour"', "2:15"),
    "second line of a folded block": (
        "description: A friendly forum",
        "description: >-\n    A friendly\n    for\u200bum",
        "7:8",
    ),
    "in a comment": ("  cost: free", "  cost: free  # fr\u202eee", "9:19"),
    "a raw NUL after non-ASCII text": ("name: Calm Harbour", "name: Café\x00 Harbour", "2:13"),
}


@pytest.mark.parametrize("old, new, position", WHERE.values(), ids=WHERE.keys())
def test_the_column_is_the_characters_own_wherever_it_is(
    tmp_path: Path, old: str, new: str, position: str
) -> None:
    assert old in VALID
    found = problems_in(tmp_path, VALID.replace(old, new, 1))
    assert len(found) == 1, found
    assert found[0].startswith(f"groups.yaml:{position}: error: ")
    assert "character U+" in found[0] and "is not allowed; delete it" in found[0]


def test_an_escaped_invisible_character_is_named_where_its_value_starts(tmp_path: Path) -> None:
    text = (
        VALID.replace("name: Calm Harbour", 'name: "Calm\\u202eHarbour"')
        .replace("[depression, anxiety]", '[depression, "anxiety\\0"]')
        .replace("id: calm-harbour", 'id: "calm-harbour\\u200b"')
    )
    assert problems_in(tmp_path, text) == [
        "groups.yaml:1:7: error: 'id' contains invisible character U+200B ZERO WIDTH SPACE; "
        "delete it",
        "groups.yaml:2:9: error: 'name' contains invisible character U+202E RIGHT-TO-LEFT "
        "OVERRIDE; delete it",
        "groups.yaml:7:28: error: 'conditions' contains control character U+0000 NULL; delete it",
    ]


def test_invisible_characters_are_reported_with_every_other_problem(tmp_path: Path) -> None:
    text = (
        VALID.replace("cost: free", "cost: gratis")
        .replace("name: Calm Harbour", "name: Calm\x00 Harbour")
        .replace("  how_to_join:", "  how_to_join: \u202e\n  colour: red\n  how_to_join_:")
    )
    found = problems_in(tmp_path, text)
    assert [p.split(": error")[0] for p in found] == [
        "groups.yaml:2:13",
        "groups.yaml:6:16",
        "groups.yaml:7:3",
        "groups.yaml:8:3",
        "groups.yaml:11:9",
    ]


def test_a_flood_of_control_characters_gives_a_bounded_report(tmp_path: Path) -> None:
    found = problems_in(tmp_path, VALID + "# " + "\x00" * 5000 + "\n")
    assert len(found) == 101
    assert found[99].startswith("groups.yaml:18:102: error: control character U+0000 NULL")
    assert found[100] == (
        "groups.yaml:18:103: error: 4900 more control or invisible characters, or bytes that "
        "are not UTF-8, from here on; delete them"
    )


def test_windows_line_endings_are_not_control_characters(tmp_path: Path) -> None:
    assert problems_in(tmp_path, VALID.replace("\n", "\r\n")) == []
    found = problems_in(tmp_path, VALID.replace("Calm Harbour\n", "Calm\rHarbour\n"))
    assert found == [
        "groups.yaml:2:13: error: control character U+000D CARRIAGE RETURN is not allowed; "
        "delete it"
    ]


def test_the_taxonomy_refuses_invisible_characters_too(tmp_path: Path) -> None:
    lines = TAXONOMY.read_text(encoding="utf-8").splitlines(keepends=True)
    label = next(i for i, line in enumerate(lines) if line.strip().startswith("label:"))
    column = lines[label].index("label:") + len("label: ") + 1
    lines[label] = lines[label].replace("label: ", "label: \u202e", 1)
    question = next(i for i, line in enumerate(lines) if line.strip().startswith("question:"))
    lines[question] = lines[question].split("question:")[0] + 'question: "Who\\u200b?"\n'
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_taxonomy(bad)
    assert [str(p).replace(str(bad), "taxonomy.yaml") for p in caught.value.problems] == [
        f"taxonomy.yaml:{label + 1}:{column}: error: invisible character U+202E "
        "RIGHT-TO-LEFT OVERRIDE is not allowed; delete it",
        f"taxonomy.yaml:{question + 1}:{lines[question].index('question:') + 11}: error: "
        "'question' contains invisible character U+200B ZERO WIDTH SPACE; delete it",
    ]


def test_a_broken_field_name_is_named_with_the_character(tmp_path: Path) -> None:
    found = problems_in(tmp_path, VALID.replace("  cost: free", "  co\u2060st: free"))
    assert found == [
        "groups.yaml:1:3: error: listing 'calm-harbour' is missing required field: cost",
        "groups.yaml:9:5: error: invisible character U+2060 WORD JOINER is not allowed; delete it",
    ]


def with_url(url: str) -> str:
    return VALID.replace("https://calm-harbour.example.org/join", url)


REFUSED_URLS = {
    "port too large": ("https://calm.example.org:99999/", "invalid port ':99999'; a port is"),
    "port not a number": ("https://calm.example.org:abc/", "invalid port ':abc'"),
    "port zero": ("https://calm.example.org:0/", "invalid port ':0'"),
    "loopback": ("http://127.0.0.1/join", "points to 127.0.0.1, an address on this machine"),
    "loopback in short form": ("http://127.1/join", "invalid IP address '127.1'"),
    "loopback as one number": ("http://2130706433/", "invalid IP address '2130706433'"),
    "private 10/8": ("https://10.1.2.3/", "points to 10.1.2.3"),
    "private 192.168/16": ("https://192.168.1.1/", "points to 192.168.1.1"),
    "link-local": ("https://169.254.169.254/latest", "points to 169.254.169.254"),
    "unspecified": ("https://0.0.0.0/", "points to 0.0.0.0"),
    "ipv6 loopback": ("https://[::1]/", "points to ::1"),
    "ipv6 unique local": ("https://[fc00::1]/", "points to fc00::1"),
    "ipv6 link-local": ("https://[fe80::1]/", "points to fe80::1"),
    "ipv4-mapped loopback": ("https://[::ffff:127.0.0.1]/", "points to ::ffff:127.0.0.1"),
    "localhost": ("http://localhost:8000/", "points to 'localhost', a name that only works"),
    "localhost with a trailing dot": ("http://localhost./", "points to 'localhost.'"),
    "a .localhost name": ("https://app.localhost/", "points to 'app.localhost'"),
    "single label": ("https://intranet/groups", "points to 'intranet', a name that only"),
    "mdns name": ("https://printer.local/", "points to 'printer.local'"),
    "percent-encoded host": ("https://exa%E2%80%8Bmple.org/", "invalid host name"),
    "empty label": ("https://calm..example.org/", "invalid host name 'calm..example.org'"),
}


@pytest.mark.parametrize("url, expected", REFUSED_URLS.values(), ids=REFUSED_URLS.keys())
def test_an_address_that_is_not_a_public_site_is_refused(
    tmp_path: Path, url: str, expected: str
) -> None:
    found = problems_in(tmp_path, with_url(url))
    assert len(found) == 1, found
    assert found[0].startswith("groups.yaml:4:8: error: 'url' ")
    assert expected in found[0]


def test_a_host_with_an_invisible_character_is_refused_where_it_stands(tmp_path: Path) -> None:
    assert problems_in(tmp_path, with_url("https://exa\u200bmple.org/")) == [
        "groups.yaml:4:19: error: invisible character U+200B ZERO WIDTH SPACE is not allowed; "
        "delete it"
    ]
    escaped = problems_in(tmp_path, with_url('"https://exa\\u00admple.org/"'))
    assert escaped == [
        "groups.yaml:4:8: error: 'url' contains invisible character U+00AD SOFT HYPHEN; delete it"
    ]


def test_local_addresses_are_allowed_when_asked_for(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ALLOW_LOCAL_VARIABLE, "1")
    assert problems_in(tmp_path, with_url("http://127.0.0.1:8123/ok")) == []
    assert problems_in(tmp_path, with_url("http://localhost/")) == []
    assert "invalid port" in problems_in(tmp_path, with_url("http://127.0.0.1:99999/"))[0]


def test_public_addresses_pass(tmp_path: Path) -> None:
    for url in (
        "https://bücher.example/forum",
        "https://xn--bcher-kva.example:8443/forum",
        "http://8.8.8.8/",
        "https://[2606:4700::1111]/",
        "https://example.org./",
        "https://www.org/",
    ):
        assert problems_in(tmp_path, with_url(url)) == [], url


SAME_PLACE = {
    "default https port": ("https://calm.example.org/join", "https://calm.example.org:443/join"),
    "default http port": ("http://calm.example.org/join", "http://calm.example.org:80/join"),
    "trailing dot": ("https://calm.example.org/join", "https://calm.example.org./join"),
    "encoded tilde": ("https://calm.example.org/~join", "https://calm.example.org/%7Ejoin"),
    "encoded letter": ("https://calm.example.org/Join", "https://calm.example.org/%4Aoin"),
    "escape case": ("https://calm.example.org/a%2fb", "https://calm.example.org/a%2Fb"),
    "idn and punycode": ("https://bücher.example/join", "https://xn--bcher-kva.example/join"),
    "www": ("https://calm.example.org/join", "https://www.calm.example.org/join"),
    "http and https": ("http://calm.example.org/join", "https://calm.example.org/join"),
    "host case": ("https://calm.example.org/join", "https://CALM.Example.ORG/join/"),
}


@pytest.mark.parametrize("first, again", SAME_PLACE.values(), ids=SAME_PLACE.keys())
def test_one_address_written_two_ways_is_a_duplicate(
    tmp_path: Path, first: str, again: str
) -> None:
    found = problems_in(tmp_path, with_url(first) + second(url=again))
    assert found == [f"groups.yaml:21:8: error: duplicate url '{again}' (already used at line 4)"]


DIFFERENT_PLACES = {
    "path case": ("https://calm.example.org/join", "https://calm.example.org/Join"),
    "another port": ("https://calm.example.org/join", "https://calm.example.org:8443/join"),
    "encoded slash": ("https://calm.example.org/a/b", "https://calm.example.org/a%2Fb"),
    "another query": ("https://calm.example.org/?g=1", "https://calm.example.org/?g=2"),
}


@pytest.mark.parametrize("first, other", DIFFERENT_PLACES.values(), ids=DIFFERENT_PLACES.keys())
def test_addresses_that_differ_where_it_matters_are_both_kept(
    tmp_path: Path, first: str, other: str
) -> None:
    assert problems_in(tmp_path, with_url(first) + second(url=other)) == []


def test_an_age_range_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("added:", "minimum_age: 18\n  maximum_age: 16\n  added:")
    line = text[: text.index("maximum_age")].count("\n") + 1
    assert problems_in(tmp_path, text) == [
        f"groups.yaml:{line}:16: error: 'maximum_age' (16) is below 'minimum_age' (18)"
    ]


def _taxonomy_problems(tmp_path: Path, edit: tuple[str, str]) -> list[str]:
    text = TAXONOMY.read_text(encoding="utf-8")
    assert edit[0] in text
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_taxonomy(bad)
    return [p.message for p in caught.value.problems]


HSDS_ROLE_MISTAKES = {
    "an HSDS field that is not a place for values": (
        ("      hsds: schedules\n", "      hsds: phones\n"),
        "'hsds' must be one of languages, cost_options, service_areas, schedules, legal_status, "
        "not 'phones'",
    ),
    "two facets in one HSDS field": (
        ("      hsds: schedules\n", "      hsds: service_areas\n"),
        "'hsds: service_areas' is already the role of availability",
    ),
    "languages that are not language codes": (
        ("      hsds: schedules\n", "      hsds: languages\n"),
        "'hsds: languages' needs 'language: true' (codes as slugs)",
    ),
    "a note place without a note": (
        ("      hsds: schedules\n", "      hsds_note: funding\n"),
        "'hsds_note' needs a 'note_field' to take the note from",
    ),
    "a feed without pages": (
        ("      hsds: schedules\n", "      feed: true\n      filter: false\n"),
        "'feed' needs the facet's pages ('filter: true')",
    ),
    "a refining facet without a filter": (
        ("      hsds: schedules\n", "      refines: true\n      filter: false\n"),
        "'refines' needs the facet's filter ('filter: true')",
    ),
}


@pytest.mark.parametrize(
    ("edit", "message"), HSDS_ROLE_MISTAKES.values(), ids=HSDS_ROLE_MISTAKES.keys()
)
def test_open_data_roles_are_checked(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    assert message in _taxonomy_problems(tmp_path, edit)


ALIKE = "        alike: [[weed, cannabis, marijuana],"


@pytest.mark.parametrize(
    ("alike", "at", "message"),
    [
        (
            "        alike: [[weed, cannabis, skunk],",
            "skunk",
            "'skunk' is not a name or search term of this value; add it to 'search_terms' first",
        ),
        ("        alike: [[weed], [cannabis, marijuana],", "[weed]", "two or more names"),
        ("        alike: [weed, [cannabis, marijuana],", "weed", "two or more names"),
    ],
)
def test_an_alike_set_holds_two_or_more_of_the_values_own_words(
    tmp_path: Path, alike: str, at: str, message: str
) -> None:
    """Each mistake is named where it is: a search for one word of a set looks for the
    others, so a set may only hold words the value is already known by."""
    text = TAXONOMY.read_text(encoding="utf-8")
    assert ALIKE in text
    line = text[: text.index(ALIKE)].count("\n") + 1
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text(text.replace(ALIKE, alike, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_taxonomy(bad)
    found = [(p.line, p.col, p.message) for p in caught.value.problems]
    assert len(found) == 1, found
    assert found[0][:2] == (line, alike.index(at) + 1) and message in found[0][2]


def test_a_question_to_choose_by_must_be_a_filter(tmp_path: Path) -> None:
    """ "Help me choose" ends in the directory's filters: a facet that is none cannot be asked."""
    text = TAXONOMY.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "choose: true")
    bad = tmp_path / "taxonomy.yaml"
    role = "\n      choose: true\n"
    bad.write_text(text.replace(role, role + "      filter: false\n", 1), "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_taxonomy(bad)
    problems = [str(p).replace(str(bad), "taxonomy.yaml") for p in caught.value.problems]
    assert f"taxonomy.yaml:{line}:15: error: 'choose' needs a facet offered as a filter" in problems


def test_a_syntax_error_hides_no_other_listings_mistakes(tmp_path: Path) -> None:
    """A tab in the third listing stops the parser there; each listing is then read on its
    own, so the mistakes of the listings before and after it are named too, in file order."""
    first = VALID.replace("cost: free", "cost: gratis")
    broken = second("third-one", "https://third.example.org/").replace(
        "  cost: free", "\tcost: free"
    )
    after = second("fourth-one", "https://fourth.example.org/").replace("free", "gratis")
    text = first + second() + broken + after
    found = problems_in(tmp_path, text)
    tab_line = text.splitlines().index("\tcost: free") + 1
    assert "'gratis' is not a known cost" in found[0], found
    assert any(f":{tab_line}:" in p and "tab" in p for p in found), found
    assert len([p for p in found if "gratis" in p]) == 2, found  # the fourth is read too
    assert [p.split(":")[1] for p in found] == sorted((p.split(":")[1] for p in found), key=int)
    # An invisible character earlier in the file hides none of them.
    text = text.replace("name: Calm Harbour", "name: Calm\u200b Harbour", 1)
    found_too = problems_in(tmp_path, text)
    assert any("U+200B" in p for p in found_too), found_too
    assert any("'gratis' is not a known cost" in p for p in found_too), found_too


def test_a_listing_cut_short_by_a_slip_is_not_said_to_miss_its_fields(tmp_path: Path) -> None:
    """One space too few before a field stops the parser inside the second listing: that
    listing's slip is named where it is, with no false list of missing fields, and the
    listing after it is still checked."""
    slipped = second().replace("\n  name:", "\n name:", 1)
    after = second("third-one", "https://third.example.org/").replace("cost: free", "cost: gratis")
    text = VALID + slipped + after
    found = problems_in(tmp_path, text)
    slip_line = text.splitlines().index(" name: Calm Harbour", 5) + 1
    assert not any("missing" in p for p in found), found
    assert len(found) == 2, found
    assert f"groups.yaml:{slip_line}:" in found[0] and "YAML syntax error" in found[0], found
    assert "'gratis' is not a known cost" in found[1], found
    started = int(re.search(r"started at line (\d+)", found[0]).group(1))
    assert text.splitlines()[started - 1].startswith("- id: second-one"), found


@pytest.mark.parametrize(
    ("written", "held"), [('"Calm\\nHarbour"', "a line break"), ('"Calm\\tHarbour"', "a tab")]
)
def test_a_name_is_one_line(tmp_path: Path, written: str, held: str) -> None:
    found = problems_in(tmp_path, VALID.replace("name: Calm Harbour", f"name: {written}"))
    assert [p for p in found if f"'name' must be one line of text; it holds {held}" in p], found


def test_similar_groups_are_first_those_the_reader_can_read(tmp_path: Path) -> None:
    """Of the groups that share a need, those in a language the group's own readers read come
    first, even where another sorts nearer by name; then those sharing more values."""
    from kindred.catalog.related import related_groups

    def listing(name: str, languages: str, audience: str = "people-affected") -> str:
        slug = name.lower().replace(" ", "-")
        return (
            second(slug, f"https://{slug}.example.org/")
            .replace("name: Calm Harbour", f"name: {name}")
            .replace("languages: [en]", f"languages: [{languages}]")
            .replace("audience: [people-affected]", f"audience: [{audience}]")
        )

    text = "".join(
        [
            listing("Alpha Circle", "en"),
            listing("Beta Roda", "pt"),
            listing("Delta Circle", "en, es"),
            listing("Gamma Circle", "en", "caregivers-family"),
        ]
    )
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    related = related_groups(load_catalog(path, TAXONOMY))
    assert [g.name for g in related["alpha-circle"]] == [
        "Delta Circle",
        "Gamma Circle",
        "Beta Roda",
    ]
    assert related["beta-roda"][0].name == "Alpha Circle"  # none reads pt: most shared, by name


def test_similar_groups_are_the_same_on_every_build() -> None:
    """Two builds of the same catalog give the same pages: nothing depends on the order in
    which Python happens to keep a set."""
    import os
    import subprocess
    import sys

    from tests.conftest import GROUPS, ROOT

    script = (
        "from kindred.catalog import load_catalog\n"
        "from kindred.catalog.related import related_groups\n"
        f"c = load_catalog({str(GROUPS)!r}, {str(TAXONOMY)!r})\n"
        "print({k: [g.id for g in v] for k, v in related_groups(c).items()})\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
