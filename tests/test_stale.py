"""`kindred stale` and the staleness rule the site shares with it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kindred.catalog import load_catalog
from kindred.catalog.staleness import (
    NEVER,
    RECENT,
    STALE,
    is_stale,
    stale_report,
    verification_status,
)
from kindred.cli import main
from tests.conftest import ROOT, TAXONOMY
from tests.site_helpers import build_site, read_page
from tests.test_catalog import second


def listing(listing_id: str, added: dt.date, verified: dt.date | None = None) -> str:
    text = second(listing_id, f"https://{listing_id}.example.org/").replace(
        "added: 2026-01-15\n", f"added: {added.isoformat()}\n"
    )
    return text + (f"  last_verified: {verified.isoformat()}\n" if verified else "")


def write_catalog(path: Path, today: dt.date) -> Path:
    """Verified 10, 200 and 400 days ago; two never verified, added 30 and 300 days ago."""
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    path.write_text(
        listing("checked-lately", ago(500), ago(10))
        + listing("checked-last-year", ago(500), ago(400))
        + listing("checked-half-year", ago(500), ago(200))
        + listing("new-unchecked", ago(30))
        + listing("old-unchecked", ago(300)),
        encoding="utf-8",
    )
    return path


def test_stale_means_more_than_the_given_days_since_verification(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 22)
    path = tmp_path / "groups.yaml"
    path.write_text(
        listing("on-the-day", dt.date(2025, 1, 1), today - dt.timedelta(days=180))
        + listing("a-day-over", dt.date(2025, 1, 1), today - dt.timedelta(days=181))
        + listing("never-checked", dt.date(2025, 1, 1)),
        encoding="utf-8",
    )
    groups = {g.id: g for g in load_catalog(path, TAXONOMY, today=today).groups}
    assert verification_status(groups["on-the-day"], today, 180) == RECENT
    assert verification_status(groups["a-day-over"], today, 180) == STALE
    assert verification_status(groups["never-checked"], today, 180) == NEVER
    assert verification_status(groups["on-the-day"], today, 179) == STALE
    assert is_stale(groups["a-day-over"], today, 180)
    assert not is_stale(groups["never-checked"], today, 0)  # never verified is its own list
    report = stale_report(list(groups.values()), today, 180)
    assert [g.id for g in report.stale] == ["a-day-over"]
    assert [g.id for g in report.never] == ["never-checked"]


def run_stale(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["stale", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_command_lists_stale_oldest_first_then_never_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today()
    catalog = write_catalog(tmp_path / "groups.yaml", today)
    json_path = tmp_path / "stale.json"
    code, out, _ = run_stale(capsys, str(catalog), "--json", str(json_path))
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines() if line.split()]
    order = [i for i in ids if i in {"checked-last-year", "checked-half-year", "old-unchecked"}]
    assert order == ["checked-last-year", "checked-half-year", "old-unchecked"]
    assert ids.index("old-unchecked") < ids.index("new-unchecked")  # oldest added first
    assert "checked-lately" not in out
    assert out.index("more than 180 days ago (2):") < out.index("Never verified (2):")
    assert out.rstrip().endswith("2 stale (older than 180 days), 2 never verified.")

    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["today"] == today.isoformat() and data["days"] == 180
    assert [(item["id"], item["days_since"]) for item in data["stale"]] == [
        ("checked-last-year", 400),
        ("checked-half-year", 200),
    ]
    assert data["stale"][0]["last_verified"] == (today - dt.timedelta(days=400)).isoformat()
    assert [item["id"] for item in data["never_verified"]] == ["old-unchecked", "new-unchecked"]
    assert data["never_verified"][1]["url"] == "https://new-unchecked.example.org/"


def test_days_option_moves_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = write_catalog(tmp_path / "groups.yaml", dt.date.today())
    code, out, _ = run_stale(capsys, str(catalog), "--days", "5")
    assert code == 0
    assert "more than 5 days ago (3):" in out and "checked-lately" in out
    code, out, _ = run_stale(capsys, str(catalog), "--days", "1000")
    assert code == 0
    assert "No listing was last verified more than 1000 days ago." in out


def test_usage_and_io_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("-1", "soon"):
        with pytest.raises(SystemExit) as exit_info:
            main(["stale", "--days", bad])
        assert exit_info.value.code == 2
    code, _, err = run_stale(capsys, str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read" in err
    catalog = write_catalog(tmp_path / "groups.yaml", dt.date.today())
    code, _, err = run_stale(capsys, str(catalog), "--json", str(tmp_path / "no" / "s.json"))
    assert code == 2 and "cannot write" in err


def test_the_site_shows_its_notice_on_exactly_the_stale_listings(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "groups.yaml", dt.date.today())
    output = build_site(tmp_path / "output", groups=catalog, KINDRED_STALE_DAYS=300)
    notice = "Some details may have changed since this listing was last checked."
    with_notice = {
        page.parent.name
        for page in (output / "groups").glob("*/index.html")
        if notice in " ".join("".join(read_page(page).text).split())
    }
    assert with_notice == {"checked-last-year"}


def test_the_json_report_lists_every_fact_to_check(tmp_path: Path) -> None:
    listing = second("checked-one").replace(
        "  added:",
        "  eligibility: Only for people living in the UK.\n"
        "  minimum_age: 16\n"
        "  safety_note: Members can be as young as 16.\n"
        "  added:",
    )
    groups = tmp_path / "groups.yaml"
    groups.write_text(listing, encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["stale", str(groups), "--taxonomy", str(TAXONOMY), "--json", str(report)]) == 0
    facts = json.loads(report.read_text())["never_verified"][0]["to_check"]
    assert facts["eligibility"] == "Only for people living in the UK."
    assert facts["minimum_age"] == 16
    assert facts["safety_note"] == "Members can be as young as 16."
    catalog = load_catalog(groups, TAXONOMY)
    for facet in catalog.taxonomy.facets:  # who runs it, cost, formats … as listed
        assert facts[facet.field] == list(catalog.groups[0].slugs(facet.key))


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`kindred stale | head -c 10`: the pipe closing early is no mistake of the reader's.
    (The list is longer than a pipe holds, so the writer is still writing when it closes.)"""
    from kindred.catalog.taxonomy import load_taxonomy
    from kindred.tools.synthetic import write_synthetic

    many = write_synthetic(load_taxonomy(TAXONOMY), 3000, tmp_path / "groups.yaml")
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(
        [sys.executable, "-m", "kindred.cli", "stale", str(many), "--days", "0"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        check=False,
    )
    reader.stdin.close()
    reader.wait()
    assert writer.returncode == 0, writer.stderr
    assert b"Traceback" not in writer.stderr and b"cannot read" not in writer.stderr
