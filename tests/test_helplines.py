"""The helplines file: every number in it can be tapped, and mistakes are named with their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from kindred.catalog.helplines import load_helplines
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import Taxonomy
from tests.conftest import HELPLINES
from tests.site_helpers import read_page

ANYWHERE = """\
- region: anywhere
  lines:
    - {name: Find A Helpline, kind: crisis, url: "https://findahelpline.com"}
"""


def _load(tmp_path: Path, taxonomy: Taxonomy, text: str):
    path = tmp_path / "helplines.yaml"
    path.write_text(text, encoding="utf-8")
    return load_helplines(path, taxonomy)


def test_every_number_on_the_get_help_page_is_a_link(relative_site: Path, taxonomy) -> None:
    hrefs = {a.get("href") for a in read_page(relative_site / "get-help/index.html").attrs("a")}
    numbers = 0
    for region in load_helplines(HELPLINES, taxonomy):
        for line in region.lines:
            for uri in (line.call_uri, line.also_call_uri, line.text_uri):
                if uri:
                    numbers += 1
                    assert uri in hrefs, f"{line.name}: {uri} is not a link"
    assert numbers > 30


def test_a_second_number_is_read_and_made_a_link(tmp_path: Path, taxonomy: Taxonomy) -> None:
    text = ANYWHERE + (
        "- region: ie\n  lines:\n"
        '    - {name: Emergency services, kind: emergency, call: "112", also_call: "999"}\n'
    )
    line = _load(tmp_path, taxonomy, text)[1].lines[0]
    assert (line.call_uri, line.also_call_uri) == ("tel:112", "tel:999")


@pytest.mark.parametrize(
    ("fields", "at", "message"),
    [
        (
            'url: "https://x.example", note: "Also 0800 111 0 222."',
            '"Also',
            "the number '0800 111 0 222'",
        ),
        ('url: "https://x.example", hours: Call 116 123 at night', "Call", "the number '116 123'"),
        ('text: "116123", also_call: "999"', '"999"', "'also_call' needs a 'call' number first"),
        ('call: "112", also_call: "12a"', '"12a"', "'also_call' must be a phone number"),
    ],
)
def test_a_number_out_of_place_is_named_where_it_is(
    tmp_path: Path, taxonomy: Taxonomy, fields: str, at: str, message: str
) -> None:
    """Only the number fields become links, so a number written anywhere else is refused."""
    line = "    - {name: Samaritans, kind: crisis, " + fields + "}"
    text = ANYWHERE + "- region: gb\n  lines:\n" + line + "\n"
    with pytest.raises(CatalogError) as raised:
        _load(tmp_path, taxonomy, text)
    problems = raised.value.problems
    assert [(p.line, p.col) for p in problems] == [(6, line.index(at) + 1)], problems
    assert message in problems[0].message


@pytest.mark.parametrize(
    "fields",
    [
        "note: For ages 12 to 25.",
        "note: For ages 11-18.",
        "note: Running since 1986.",
        'hours: "08:00-23:00"',
        "hours: Mon-Fri 10-22",
    ],
)
def test_ages_times_and_years_are_not_numbers_to_call(
    tmp_path: Path, taxonomy: Taxonomy, fields: str
) -> None:
    text = ANYWHERE + (
        "- region: fr\n  lines:\n"
        f'    - {{name: Fil Santé Jeunes, kind: youth, call: "0 800 235 236", {fields}}}\n'
    )
    line = _load(tmp_path, taxonomy, text)[1].lines[0]
    assert fields.split(": ", 1)[1].strip('"') in (line.note, line.hours)


def test_validate_checks_the_helplines_too(tmp_path: Path, capsys) -> None:
    """A contributor's one command names the helplines' mistakes with the listings'."""
    from kindred.cli import main
    from tests.conftest import GROUPS

    helplines = tmp_path / "helplines.yaml"
    helplines.write_text(
        HELPLINES.read_text(encoding="utf-8").replace(
            "note: Free to call.", "note: Or 0800 123 4567.", 1
        ),
        encoding="utf-8",
    )
    code = main(["validate", str(GROUPS), "--helplines", str(helplines)])
    out = capsys.readouterr()
    assert code == 1
    assert f"{helplines}:" in out.out + out.err and "'0800 123 4567'" in out.out + out.err
    assert main(["validate", str(GROUPS), "--helplines", str(HELPLINES)]) == 0
    assert "helplines.yaml" in capsys.readouterr().out
