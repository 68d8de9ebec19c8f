"""`kindred new` appends a valid listing to a copy of the real catalog, by options or prompts,
without changing a byte of what was there, and refuses anything the validator would refuse."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kindred.catalog import load_catalog
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import load_taxonomy
from kindred.cli import main
from kindred.tools.new_listing import append_listing, derive_id, listing_text
from tests.conftest import GROUPS, ROOT, TAXONOMY
from tests.test_catalog import VALID

OPTIONS = {
    "--name": "Night Owls Circle",
    "--organization": "Owl Trust",
    "--url": "https://night-owls.example.org/join",
    "--description": "A chat room for people who are awake and struggling at night. " * 4,
    "--how-to-join": "Open the website, pick a nickname and say hello.",
    "--conditions": "loneliness,depression",
    "--formats": "chat",
    "--cost": "free",
    "--anonymity": "pseudonymous",
    "--audience": "people-affected",
    "--moderation": "trained-peers",
    "--availability": "anytime",
    "--languages": "en",
    "--regions": "global",
    "--run-by": "charity",
}


# The facet asked for first, and where one of its values stands in the numbered choices.
CONDITION = load_taxonomy(TAXONOMY).facets[0]
LONELINESS = CONDITION.slugs.index("loneliness") + 1


@pytest.fixture(autouse=True)
def at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Like every kindred default, the per-facet options come from data/ in the current folder.
    monkeypatch.chdir(ROOT)


@pytest.fixture
def groups(tmp_path: Path) -> Path:
    copy = tmp_path / "groups.yaml"
    shutil.copyfile(GROUPS, copy)
    return copy


def new(path: Path, options: dict[str, str] | None = None, *extra: str) -> int:
    flat = [part for pair in (options or OPTIONS).items() for part in pair]
    return main(["new", str(path), "--taxonomy", str(TAXONOMY), "--yes", *flat, *extra])


def last_listing(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))[-1]


def test_appends_a_valid_listing_and_keeps_every_earlier_byte(groups: Path, capsys) -> None:
    before = groups.read_bytes()
    assert new(groups) == 0
    after = groups.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].startswith(b"\n- id: night-owls-circle\n  name: Night Owls")
    group = load_catalog(groups, TAXONOMY).group("night-owls-circle")
    assert group.description == OPTIONS["--description"].strip()
    assert group.slugs("condition") == ("loneliness", "depression")
    assert group.slugs("cost") == ("free",) and group.added == dt.date.today()
    first_new_line = before.count(b"\n") + 2
    assert f"Added 'night-owls-circle' at line {first_new_line}" in capsys.readouterr().out


def test_writes_the_files_own_style(groups: Path) -> None:
    new(groups, OPTIONS, "--cost-note", "Always free.", "--last-verified", "2026-01-02")
    added = groups.read_text(encoding="utf-8").split("\n\n")[-1]
    lines = added.splitlines()
    assert "  conditions: [loneliness, depression]" in lines
    assert "  cost: free" in lines and "  description: >-" in lines
    assert lines.index("  cost_note: Always free.") == lines.index("  cost: free") + 1
    assert lines[-2:] == [f"  added: {dt.date.today()}", "  last_verified: 2026-01-02"]
    assert all(len(line) <= 100 for line in lines)


def test_id_comes_from_the_name_and_is_made_unique(groups: Path) -> None:
    again = {**OPTIONS, "--url": "https://night-owls.example.org/another"}
    assert new(groups) == 0 and new(groups, again) == 0
    assert last_listing(groups)["id"] == "night-owls-circle-2"
    taken = {"cafe-friends-circle", "cafe-friends-circle-2"}
    assert derive_id("Café Friends' Circle", taken) == "cafe-friends-circle-3"
    assert derive_id("  --Alzheimer\u2019s & Carers!  ", set()) == "alzheimers-carers"
    assert derive_id("日本語", set()) == "group"
    # A name with no Latin letters: the web address's host says whose listing it is.
    assert derive_id("日本語", set(), "https://www.nihongo-kai.jp/forum") == "nihongo-kai-jp"
    long = derive_id("word " * 40, {derive_id("word " * 40, set())})
    assert len(long) <= 64 and long.endswith("-2") and "--" not in long


def test_awkward_text_is_written_so_it_reads_back_unchanged(groups: Path) -> None:
    awkward = {
        "--name": "yes",
        "--organization": "Owls: a #1 trust 'for' \"all\"",
        "--how-to-join": "- [ ] {not: a list} & *star @at %pct ` back",
        "--description": "Say: hello # not a comment, — “quoted” ünïcode. " * 6,
    }
    assert new(groups, {**OPTIONS, **awkward}) == 0
    listing = last_listing(groups)
    for option, value in awkward.items():
        assert listing[option[2:].replace("-", "_")] == " ".join(value.split())


def test_an_invalid_answer_exits_1_naming_it_and_leaves_the_file_alone(groups, capsys) -> None:
    before = groups.read_bytes()
    assert new(groups, {**OPTIONS, "--cost": "gratis", "--conditions": "depresion"}) == 1
    out = capsys.readouterr().out
    assert "--cost: 'gratis' is not a known cost" in out
    assert "--conditions: 'depresion' is not a known condition; did you mean 'depression'?" in out
    assert groups.read_bytes() == before


def test_a_group_already_listed_is_refused(groups: Path, capsys) -> None:
    before = groups.read_bytes()
    assert new(groups, {**OPTIONS, "--url": "https://wrongplanet.net"}) == 1
    assert "already listed as 'wrong-planet'" in capsys.readouterr().out
    assert groups.read_bytes() == before


def test_missing_required_options_exit_2_with_the_list(groups: Path, capsys) -> None:
    before = groups.read_bytes()
    options = {k: v for k, v in OPTIONS.items() if k not in ("--url", "--regions")}
    assert new(groups, options) == 2
    assert "missing: --url, --regions" in capsys.readouterr().err
    assert groups.read_bytes() == before


def test_a_file_without_a_final_newline_gets_a_blank_line_first(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(VALID.rstrip("\n"))
    assert new(path) == 0
    text = path.read_text()
    assert text.startswith(VALID.rstrip("\n") + "\n\n- id: night-owls-circle\n")
    assert len(load_catalog(path, TAXONOMY).groups) == 2


def test_the_real_validator_has_the_last_word_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(VALID)
    broken = listing_text({"id": "second", "name": "Second", "colour": "red"})
    with pytest.raises(CatalogError) as caught:
        append_listing(path, TAXONOMY, broken)
    messages = [str(problem) for problem in caught.value.problems]
    assert f"{path}:21:3: error: unknown field 'colour'" in messages
    assert path.read_text() == VALID
    assert os.listdir(tmp_path) == ["groups.yaml"]  # no temporary file left behind


def test_a_file_the_listing_cannot_join_is_refused_with_exit_1(tmp_path: Path, capsys) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text("[]\n")  # valid, but a flow list cannot be continued with "- id:"
    assert new(path) == 1
    out = capsys.readouterr().out
    assert "The listing was not added" in out
    assert f"{path}:1:1: error: the listings are written in brackets" in out  # where they are
    assert path.read_text() == "[]\n"


def answers(cost: str = "1") -> str:
    return "\n".join(
        [
            "Night Owls Circle",
            "Owl Trust",
            "night-owls.example.org",  # wrong: no https://, asked again
            "https://night-owls.example.org/join",
            "A chat room for people who are awake and struggling at night.",
            "Open the website, pick a nickname and say hello.",
            "99",  # wrong: there is no choice 99, asked again
            f"{LONELINESS}, depression",
            "chat",
            "gratis",  # wrong: asked again
            cost,
            "",  # no cost note
            "Nickname account",  # a label is accepted too
            "",
            "1",
            "2",
            "anytime",
            "en",
            "global",
            "charity",
            "",  # no funding note
            "",  # no eligibility
            "",  # no minimum age
            "",  # no maximum age
            "",  # no safety note
            "",  # no last_verified
            "y",
        ]
    )


def test_interactive_answers_from_stdin_with_wrong_ones_asked_again(groups: Path) -> None:
    before = groups.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "kindred.cli", "new", str(groups), "--taxonomy", str(TAXONOMY)],
        input=answers(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "'url' must be an absolute http:// or https:// address" in out
    assert f"there is no choice 99; choose 1 to {len(CONDITION.values)}. Please try again." in out
    assert "'gratis' is not a known cost. Allowed: free, freemium, donation, paid." in out
    assert "  22. loneliness" in out  # choices are shown numbered, with labels
    assert groups.read_bytes().startswith(before)
    listing = last_listing(groups)
    assert listing["conditions"] == ["loneliness", "depression"]
    assert listing["cost"] == "free" and listing["anonymity"] == "pseudonymous"
    assert listing["moderation"] == "trained-peers" and "cost_note" not in listing


def test_interactive_can_be_declined_or_cut_short_without_writing(groups, monkeypatch) -> None:
    before = groups.read_bytes()
    declined = answers().rsplit("\n", 1)[0] + "\nn\n"
    for text, code in ((declined, 1), ("Night Owls Circle\n", 2)):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        assert main(["new", str(groups), "--taxonomy", str(TAXONOMY)]) == code
        assert groups.read_bytes() == before


@pytest.mark.parametrize("age", ["²", "١٢", "twelve", "0x10"])
def test_an_age_not_written_in_digits_is_a_usage_error(groups: Path, capsys, age: str) -> None:
    before = groups.read_bytes()
    assert new(groups, {**OPTIONS, "--minimum-age": age}) == 2
    err = capsys.readouterr().err
    assert "--minimum-age: 'minimum_age' must be a whole number from 1 to 99" in err
    assert f"not '{age}'" in err
    assert groups.read_bytes() == before


def test_an_age_is_read_as_the_number_typed(groups: Path, capsys) -> None:
    before = groups.read_bytes()
    assert new(groups, {**OPTIONS, "--minimum-age": "9" * 5000}) == 1
    out = capsys.readouterr().out
    assert "'minimum_age' must be between 1 and 99, not 99999999999999999999…" in out
    assert len(out) < 500 and groups.read_bytes() == before
    assert new(groups, {**OPTIONS, "--minimum-age": "016"}) == 0  # sixteen, not octal 14
    assert "  minimum_age: 16\n" in groups.read_text(encoding="utf-8")
    assert last_listing(groups)["minimum_age"] == 16


def test_odd_digits_for_a_choice_are_an_unknown_value(groups: Path, capsys) -> None:
    before = groups.read_bytes()
    assert new(groups, {**OPTIONS, "--cost": "²", "--formats": "9" * 5000}) == 1
    out = capsys.readouterr().out
    assert "--cost: '²' is not a known cost" in out
    assert "--formats: there is no choice" in out or "is not a known format" in out
    assert groups.read_bytes() == before


def test_an_option_that_is_not_utf_8_is_a_usage_error(groups: Path) -> None:
    flat = [part.encode() for pair in OPTIONS.items() for part in pair]
    flat[1] = b"Caf\xe9 \xff Circle"  # the value of --name, as a Latin-1 terminal sends it
    result = subprocess.run(
        [sys.executable, "-m", "kindred.cli", "new", str(groups), "--yes", *flat],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "--name: 'name' has bytes that are not valid UTF-8 (0xE9 0xFF)" in err
    assert "Traceback" not in err
    assert groups.read_bytes() == GROUPS.read_bytes()


def test_an_invisible_character_in_an_option_is_refused(groups: Path, capsys) -> None:
    assert new(groups, {**OPTIONS, "--organization": "Owl\u202e Trust"}) == 1
    out = capsys.readouterr().out
    assert "--organization: 'organization' contains invisible character U+202E" in out
    assert groups.read_bytes() == GROUPS.read_bytes()


def test_interactive_asks_again_at_once_for_unreadable_or_invisible_characters(
    groups: Path,
) -> None:
    lines = [line.encode() for line in answers().split("\n")]
    name = lines.index(b"Night Owls Circle")
    lines[name:name] = [b"Night \xff Owls", b"Night\x00Owls", b"Night \xe2\x80\x8bOwls"]
    age = len(lines) - 5  # minimum_age: ², Arabic-Indic 12, then 16
    lines[age : age + 1] = [b"\xc2\xb2", "١٢".encode(), b"016"]
    result = subprocess.run(
        [sys.executable, "-m", "kindred.cli", "new", str(groups), "--taxonomy", str(TAXONOMY)],
        input=b"\r\n".join(lines) + b"\r\n",  # as saved on Windows, too
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "'name' has bytes that are not valid UTF-8 (0xFF); write it in UTF-8. Please try" in out
    assert "'name' contains control character U+0000 NULL; delete it. Please try again." in out
    assert "'name' contains invisible character U+200B ZERO WIDTH SPACE; delete it." in out
    assert "written with the digits 0-9, not '²'. Please try again." in out
    assert "written with the digits 0-9, not '١٢'. Please try again." in out
    listing = last_listing(groups)
    assert listing["name"] == "Night Owls Circle" and listing["minimum_age"] == 16


def test_a_listing_added_anywhere_on_earth_is_valid_wherever_it_is_checked(groups: Path) -> None:
    """East of UTC a contributor's today is tomorrow in UTC, where CI checks it."""
    flat = [part for pair in OPTIONS.items() for part in pair]

    def kindred(zone: str, *args: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "TZ": zone}
        command = [sys.executable, "-m", "kindred.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment)

    added = kindred("Pacific/Kiritimati", "new", str(groups), "--yes", *flat)  # UTC+14
    assert added.returncode == 0, added.stdout + added.stderr
    assert (
        last_listing(groups)["added"] == dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()
    )
    for zone in ("UTC", "Etc/GMT+12"):  # UTC, and UTC-12, where the date is earliest
        for command in ("validate", "stale"):
            checked = kindred(zone, command, str(groups))
            assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_catalog_reached_by_a_link_is_added_to_where_the_link_leads(groups: Path) -> None:
    link = groups.with_name("link.yaml")
    link.symlink_to(groups.name)
    before = groups.read_bytes()
    assert new(link) == 0
    assert link.is_symlink() and os.readlink(link) == groups.name
    assert groups.read_bytes().startswith(before)
    assert last_listing(groups)["name"] == OPTIONS["--name"]


def test_a_catalog_with_crlf_line_ends_gets_crlf_lines(groups: Path) -> None:
    crlf = groups.read_bytes().replace(b"\n", b"\r\n")
    groups.write_bytes(crlf)
    assert new(groups) == 0
    written = groups.read_bytes()
    assert written.startswith(crlf)
    assert b"\n" not in written.replace(b"\r\n", b"")  # no line ends in LF alone
    assert last_listing(groups)["name"] == OPTIONS["--name"]
