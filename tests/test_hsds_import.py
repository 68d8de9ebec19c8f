"""`kindred export` and `kindred import hsds` as people and scripts use them: the round trip,
another directory's data, and every way an input or a destination can be wrong."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from kindred.catalog import Catalog, load_catalog
from kindred.cli import main
from kindred.opendata.files import export_files
from kindred.opendata.source import Source
from tests.conftest import EXAMPLE_OVERLAY, GROUPS, ROOT, TAXONOMY, overlay_catalog
from tests.hsds_schemas import examples_folder
from tests.test_catalog import VALID, second
from tests.test_cli import kindred

# Every optional field, values in an order of their own, and text a folded block would
# change (two spaces, a line break): the round trip must keep all of it.
EVERYTHING = (
    VALID.replace("conditions: [depression, anxiety]", "conditions: [anxiety, depression]")
    .replace("languages: [en]", "languages: [fr, en]")
    .replace("regions: [global]", "regions: [gb, ie]")
    .replace("availability: [anytime]", "availability: [scheduled, anytime]")
    .replace(
        "description: A friendly forum for people living with depression.",
        'description: "Two  spaces, then a line break:\\nand a long enough text to need more '
        'than one line if it were folded, which it must not be, or the spacing is lost."',
    )
    + """\
  cost_note: Free, with a paid plan for extra features that nobody needs to join.
  anonymity_note: A nickname is enough.
  funding_note: Paid for by donations.
  eligibility: People over 16 who live in the UK or Ireland.
  minimum_age: 16
  maximum_age: 99
  safety_note: If you are in danger now, call 999.
  last_verified: 2026-02-01
"""
)


def hsds_folder(catalog: Catalog, folder: Path) -> Path:
    for path, data in export_files(catalog, Source(), ("hsds",)):
        file = folder / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    return folder / "hsds"


def comparable(catalog: Catalog) -> list[Any]:
    return [dataclasses.replace(group, line=0) for group in catalog.groups]


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([*args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --- The round trip ------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["services.json", "services/<each>.json"])
def test_exporting_the_catalog_and_importing_it_into_an_empty_one_gives_every_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], page: str
) -> None:
    original = load_catalog(GROUPS, TAXONOMY)
    hsds = hsds_folder(original, tmp_path)
    if page != "services.json":  # one service file at a time, as a list
        services = [json.loads(p.read_text("utf-8")) for p in (hsds / "services").glob("*.json")]
        (hsds / "list.json").write_text(json.dumps(services), encoding="utf-8")
        page = "list.json"
    empty = tmp_path / "groups.yaml"
    code, out = run("import", "hsds", str(hsds / page), "--catalog", str(empty), capsys=capsys)
    assert code == 0, out
    assert "not mapped" not in out
    assert comparable(load_catalog(empty, TAXONOMY)) == comparable(original)


def test_the_round_trip_keeps_every_optional_field_and_its_exact_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.yaml"
    source.write_text(EVERYTHING + "\n" + second(), encoding="utf-8")
    original = load_catalog(source, TAXONOMY)
    assert original.group("calm-harbour").description.count("  ") == 1
    hsds = hsds_folder(original, tmp_path)
    empty = tmp_path / "groups.yaml"
    empty.write_text("# Listings imported from another directory.\n", encoding="utf-8")
    code, out = run(
        "import", "hsds", str(hsds / "services.json"), "--catalog", str(empty), capsys=capsys
    )
    assert code == 0, out
    assert comparable(load_catalog(empty, TAXONOMY)) == comparable(original)
    assert empty.read_text("utf-8").startswith(
        "# Listings imported from another directory.\n\n- id"
    )


def test_a_file_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows tools often start a UTF-8 file with a byte order mark."""
    original = load_catalog(GROUPS, TAXONOMY)
    hsds = hsds_folder(original, tmp_path)
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + (hsds / "services.json").read_bytes())
    empty = tmp_path / "groups.yaml"
    code, out = run("import", "hsds", str(marked), "--catalog", str(empty), capsys=capsys)
    assert code == 0, out
    assert len(load_catalog(empty, TAXONOMY).groups) == len(original.groups)


# --- Another directory's data --------------------------------------------------------------


def foreign_service(**changes: Any) -> dict[str, Any]:
    """A service as another directory might publish it: its own ids and taxonomy, with terms
    and fields named the way Kindred names its values."""
    service = {
        "id": "11111111-2222-4333-8444-555555555555",
        "name": "Riverside Carers' Circle",
        "description": "A video group for people who care for someone with dementia.",
        "url": "https://riverside-carers.example.org/",
        "status": "active",
        "email": "hello@riverside-carers.example.org",
        "application_process": "Book a place on the website.",
        "organization": {
            "id": "6f0f8f9e-0c1a-4b7e-9d55-1d2b3c4d5e6f",
            "name": "Riverside Trust",
            "description": "A local charity.",
            "legal_status": "Charity or non-profit",
            "website": "https://riverside.example.org/",
        },
        "phones": [{"id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "number": "0100 000 000"}],
        "languages": [
            {"id": "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "English", "code": "en"},
            {"id": "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "Urdu", "code": "ur"},
        ],
        "service_areas": [{"id": "aa1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "United Kingdom"}],
        "cost_options": [{"id": "ba1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "option": "Free"}],
        "schedules": [
            {"id": "ca1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "description": "Scheduled live sessions"}
        ],
        "attributes": [
            {
                "id": f"da1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4{n}",
                "taxonomy_term": {
                    "id": f"ea1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4{n}",
                    "name": name,
                    "description": "-",
                },
            }
            for n, name in enumerate(
                [
                    "Dementia",
                    "Video meeting",
                    "Identified",
                    "Caregivers and family",
                    "Professionally facilitated",
                    "Walking football",
                ]
            )
        ],
    }
    service.update(changes)
    return service


def test_another_directorys_service_is_added_after_the_last_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "groups.yaml"
    catalog.write_bytes(GROUPS.read_bytes())
    before = catalog.read_bytes()
    source = tmp_path / "page.json"
    source.write_text(json.dumps({"total_items": 1, "contents": [foreign_service()]}), "utf-8")
    code, out = run("import", "hsds", str(source), "--catalog", str(catalog), capsys=capsys)
    assert code == 0, out
    after = catalog.read_bytes()
    assert after.startswith(before)  # every earlier byte kept
    added = load_catalog(catalog, TAXONOMY).group("riverside-carers-circle")
    assert added.organization == "Riverside Trust"
    assert added.how_to_join == "Book a place on the website."
    assert added.slugs("condition") == ("dementia",)
    assert added.slugs("language") == ("en",)
    assert added.slugs("region") == ("gb",)
    assert added.slugs("cost") == ("free",)
    assert added.slugs("availability") == ("scheduled",)
    assert added.slugs("operator") == ("charity",)
    assert "1. Riverside Carers' Circle: becomes 'riverside-carers-circle'" in out
    for unmapped in (
        "organization's website",
        "attribute 'Walking football'",
        "languages entry 'ur'",
        "email",
        "phones",
    ):
        assert unmapped in out


def test_the_official_example_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = examples_folder() / "service_full.json"
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    code, out = run("import", "hsds", str(example), "--catalog", str(catalog), capsys=capsys)
    assert code == 1
    assert catalog.read_text("utf-8") == VALID
    assert "1. Community Counselling: cannot be added" in out
    assert "not mapped:" in out and "phones" in out and "service_at_locations" in out
    assert "nothing in it gives 'formats' (format)" in out
    assert "Nothing was written" in out


def test_a_service_the_validator_refuses_stops_the_import_unless_told_to_skip_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    too_long = foreign_service(
        name="Long Talk", url="https://long.example.org/", description="word " * 120
    )
    source = tmp_path / "list.json"
    source.write_text(json.dumps([foreign_service(), too_long]), encoding="utf-8")
    code, out = run("import", "hsds", str(source), "--catalog", str(catalog), capsys=capsys)
    assert code == 1
    assert "2. Long Talk: cannot be added" in out
    assert "'description' is 599 characters long; the limit is 500" in out
    assert catalog.read_text("utf-8") == VALID
    code, out = run(
        "import", "hsds", str(source), "--catalog", str(catalog), "--skip-invalid", capsys=capsys
    )
    assert code == 1
    assert [g.id for g in load_catalog(catalog, TAXONOMY).groups] == [
        "calm-harbour",
        "riverside-carers-circle",
    ]


def test_a_group_already_listed_is_skipped_and_a_dry_run_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    source = tmp_path / "one.json"
    source.write_text(
        json.dumps(foreign_service(url="https://calm-harbour.example.org/join")), "utf-8"
    )
    code, out = run("import", "hsds", str(source), "--catalog", str(catalog), capsys=capsys)
    assert code == 0 and "skipped: already listed as 'calm-harbour'" in out
    source.write_text(json.dumps(foreign_service()), "utf-8")
    code, out = run(
        "import", "hsds", str(source), "--catalog", str(catalog), "--dry-run", capsys=capsys
    )
    assert code == 0 and "- id: riverside-carers-circle" in out
    assert catalog.read_text("utf-8") == VALID


def test_a_service_that_has_closed_is_not_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    source = tmp_path / "list.json"
    source.write_text(json.dumps([foreign_service(status="defunct")]), "utf-8")
    code, out = run("import", "hsds", str(source), "--catalog", str(catalog), capsys=capsys)
    assert code == 0 and "skipped: its status is 'defunct'" in out
    assert catalog.read_text("utf-8") == VALID


HOSTILE_SERVICES = {
    "not an object": 5,
    "a name that is a number": {**foreign_service(), "name": 5},
    "attributes that are not a list": {**foreign_service(), "attributes": "Dementia"},
    "an attribute that is not an object": {**foreign_service(), "attributes": ["Dementia"]},
    "languages that are not a list": {**foreign_service(), "languages": {"code": "en"}},
    "an organization that is a list": {**foreign_service(), "organization": ["Riverside"]},
    "an age that is text": {**foreign_service(), "minimum_age": "sixteen"},
    "a url of another scheme": {**foreign_service(), "url": "javascript:alert(1)"},
    "a date that is not one": {**foreign_service(), "assured_date": "yesterday"},
    "markup in the name": {**foreign_service(), "name": "<script>alert(1)</script>\u202e"},
    "an age that is not a number": {**foreign_service(), "maximum_age": float("inf")},
    "a terminal escape in the name": {**foreign_service(), "name": "\x1b[2J\x1b]0;owned\x07"},
    "a terminal escape in a field's name": {**foreign_service(), "\x1b[2J": "x", "name": 1},
}


@pytest.mark.parametrize("service", HOSTILE_SERVICES.values(), ids=HOSTILE_SERVICES.keys())
def test_a_service_of_any_shape_is_reported_never_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], service: Any
) -> None:
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    source = tmp_path / "list.json"
    source.write_text(json.dumps([service]), encoding="utf-8")
    code, out = run("import", "hsds", str(source), "--catalog", str(catalog), capsys=capsys)
    assert code == 1, out
    assert "cannot be added" in out and "Traceback" not in out
    assert "\x1b" not in out and "\x07" not in out
    assert catalog.read_text("utf-8") == VALID


UNREADABLE = {
    "not JSON": (b'{"contents": [', 2, "is not JSON (line 1, column 15"),
    "not UTF-8": (b"\xff\xfe{}", 2, "is not UTF-8 text"),
    "nested too deeply": (b"[" * 100_000, 2, "nested too deeply"),
    "no services": (b'{"total_items": 0}', 1, "holds no HSDS services"),
}


@pytest.mark.parametrize(("data", "code", "message"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_is_not_hsds_is_refused_with_its_exit_code(
    tmp_path: Path, data: bytes, code: int, message: str
) -> None:
    source = tmp_path / "services.json"
    source.write_bytes(data)
    catalog = tmp_path / "groups.yaml"
    catalog.write_text(VALID, encoding="utf-8")
    result = kindred("import", "hsds", str(source), "--catalog", str(catalog))
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert catalog.read_text("utf-8") == VALID
    missing = kindred("import", "hsds", str(tmp_path / "none.json"), "--catalog", str(catalog))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


# --- kindred export ------------------------------------------------------------------------


def test_export_writes_each_format_as_the_site_does(tmp_path: Path) -> None:
    catalog = load_catalog(GROUPS, TAXONOMY)
    expected = dict(export_files(catalog, Source("Kindred", "", "en")))
    result = kindred("export", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.encode("utf-8") == expected["data/groups.json"]
    assert kindred("export", "--format", "csv", "-o", str(tmp_path / "g.csv")).returncode == 0
    assert (tmp_path / "g.csv").read_bytes() == expected["data/groups.csv"]
    folder = tmp_path / "hsds"
    result = kindred("export", "--format", "hsds", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    written = {f"hsds/{p.relative_to(folder)}": p.read_bytes() for p in folder.rglob("*.json")}
    assert written == {
        p: d for p, d in expected.items() if p.startswith("hsds/") and p.endswith(".json")
    }
    # Again into the same folder: replaced whole, nothing of the old left behind.
    (folder / "services" / "stale.json").write_text("{}", encoding="utf-8")
    assert kindred("export", "--format", "hsds", "-o", str(folder)).returncode == 0
    assert not (folder / "services" / "stale.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "hsds"]


def test_export_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "groups.yaml"
    bad.write_text(VALID.replace("cost: free", "cost: gratis"), encoding="utf-8")
    invalid = kindred("export", str(bad), "--format", "json")
    assert invalid.returncode == 1 and "'gratis' is not a known cost" in invalid.stdout
    assert kindred("export", "--format", "xml").returncode == 2
    no_folder = kindred("export", "--format", "hsds")
    assert no_folder.returncode == 2 and "-o FOLDER" in no_folder.stderr
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = kindred("export", "--format", "hsds", "-o", str(mine))
    assert refused.returncode == 2 and "was not written by `kindred export`" in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    nowhere = kindred("export", "--format", "csv", "-o", str(tmp_path / "no" / "such" / "g.csv"))
    assert nowhere.returncode == 2 and "cannot write" in nowhere.stderr
    settings = kindred("export", "--format", "csv", "--settings", str(tmp_path / "none.py"))
    assert settings.returncode == 2 and "cannot read the settings file" in settings.stderr
    assert "Traceback" not in invalid.stderr + no_folder.stderr + refused.stderr + nowhere.stderr


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_exports_are_readable_as_any_new_file_is(tmp_path: Path) -> None:
    """Not private to their owner, as temporary files are: a web server must read them."""
    new_file, new_folder = 0o666 & ~umask(), 0o777 & ~umask()
    assert kindred("export", "--format", "csv", "-o", str(tmp_path / "g.csv")).returncode == 0
    assert stat.S_IMODE((tmp_path / "g.csv").stat().st_mode) == new_file
    kept = tmp_path / "kept.json"
    kept.write_text("{}", encoding="utf-8")
    kept.chmod(0o640)  # a file written over keeps its mode
    assert kindred("export", "--format", "json", "-o", str(kept)).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    link = tmp_path / "link.json"  # a link is written through, and stays a link
    link.symlink_to(kept.name)
    assert kindred("export", "--format", "csv", "-o", str(link)).returncode == 0
    assert link.is_symlink() and kept.read_text("utf-8").startswith("\ufeff")
    folder = tmp_path / "hsds"
    for _ in range(2):  # made, then replaced
        assert kindred("export", "--format", "hsds", "-o", str(folder)).returncode == 0
        assert stat.S_IMODE(folder.stat().st_mode) == new_folder
        for path in folder.rglob("*"):
            wanted = new_folder if path.is_dir() else new_file
            assert stat.S_IMODE(path.stat().st_mode) == wanted, path


def settings_file(folder: Path, extra: str) -> Path:
    """Settings as an organisation writes them: the project's, with its own additions."""
    path = folder / "edition.py"
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(ROOT / 'content')!r}\n" + extra,
        encoding="utf-8",
    )
    return path


def test_export_writes_an_organisations_edition_as_its_site_does(tmp_path: Path) -> None:
    """Listings its overlay hides are not exported; its own are."""
    settings = settings_file(tmp_path, f"KINDRED_OVERLAY = {str(EXAMPLE_OVERLAY)!r}\n")
    result = kindred("export", "--format", "json", "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    exported = {listing["id"] for listing in json.loads(result.stdout)["groups"]}
    assert exported == {group.id for group in overlay_catalog().groups}
    assert exported != {group.id for group in load_catalog(GROUPS, TAXONOMY).groups}
    # An overlay its build would refuse is refused here too, for the same reason.
    edition = tmp_path / "edition"
    shutil.copytree(EXAMPLE_OVERLAY, edition)
    overlay = edition / "overlay.yaml"
    overlay.write_text(overlay.read_text("utf-8").replace('"#6b2c91"', '"#b48fd0"'), "utf-8")
    settings = settings_file(tmp_path, f"KINDRED_OVERLAY = {str(edition)!r}\n")
    refused = kindred("export", "--format", "json", "--settings", str(settings))
    assert refused.returncode == 1 and "WCAG AA needs at least 4.5:1" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("settings.yaml", "SITENAME: x\n", "is not a settings file"),
        ("broken.py", "SITENAME = \n", "broken.py:1:12: the settings file is not valid Python"),
        ("elsewhere.py", "PATH = 'no/such/content'\n", "cannot use the settings file"),
    ],
)
def test_settings_that_cannot_be_used_are_named_without_a_traceback(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for command in (("export", "--format", "csv"), ("serve", "--port", "0")):
        result = kindred(*command, "--settings", str(path))
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
