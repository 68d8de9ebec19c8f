"""Every KINDRED_* setting is checked when Pelican starts: a wrong one stops the build at once
with a message naming it, and a missing one takes its default."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site_helpers import build_site, read_page
from tests.test_catalog import VALID

BUILD_WITHOUT_REPORT_URL = """
import sys
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings(sys.argv[1], override={"OUTPUT_PATH": sys.argv[2],
    "KINDRED_GROUPS": sys.argv[3]})
del settings["KINDRED_REPORT_URL"]  # a deployment that never set it
Pelican(settings).run()
"""


def pelican(output: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    overrides = [part for setting in settings for part in ("-e", setting)]
    return subprocess.run(
        [sys.executable, "-m", "pelican", "-o", str(output), *overrides],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ('KINDRED_PAGE_SIZE="twenty"', "KINDRED_PAGE_SIZE must be a whole number from 1 to 500"),
        ("KINDRED_STALE_DAYS=0", "KINDRED_STALE_DAYS must be a whole number"),
        ('KINDRED_QUICK_EXIT_URL="javascript:alert(1)"', "KINDRED_QUICK_EXIT_URL must be"),
        ('KINDRED_REPORT_URL="https://example.org/issues"', "KINDRED_REPORT_URL must contain {id}"),
        ('KINDRED_EAP={"phone": "0800"}', "KINDRED_EAP must be None or a dictionary with"),
        # As in an overlay: a number that can be tapped, and a way to reach the programme.
        ('KINDRED_EAP={"name": "Acme", "phone": "call HR"}', "KINDRED_EAP 'phone' must be"),
        (
            'KINDRED_EAP={"name": "Acme", "phone": "0800 1", "hours": "or call 0800 111 2222"}',
            "KINDRED_EAP 'hours' holds the number '0800 111 2222'",
        ),
        ('KINDRED_EAP={"name": "Acme EAP"}', "KINDRED_EAP needs a 'phone' or a 'url'"),
        ('KINDRED_CRISIS_REGIONS="gb"', "KINDRED_CRISIS_REGIONS must be a list"),
        ("KINDRED_PAGESIZE=10", "KINDRED_PAGESIZE is not a Kindred setting"),
    ],
)
def test_a_wrong_setting_stops_the_build_naming_it(
    tmp_path: Path, setting: str, named: str
) -> None:
    result = pelican(tmp_path / "site", setting)
    assert result.returncode == 2, result.stderr
    assert f"kindred: error: setting {named}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_crisis_regions_must_have_helplines(tmp_path: Path) -> None:
    result = pelican(tmp_path / "site", 'KINDRED_CRISIS_REGIONS=["gb", "atlantis"]')
    assert result.returncode == 2
    assert "KINDRED_CRISIS_REGIONS names atlantis" in result.stderr


def test_a_deployment_chooses_the_regions_its_crisis_band_shows(tmp_path: Path) -> None:
    groups = tmp_path / "groups.yaml"
    groups.write_text(VALID, encoding="utf-8")
    output = build_site(tmp_path / "site", groups=groups, KINDRED_CRISIS_REGIONS=["nl", "de"])
    band = [a["href"] for a in read_page(output / "index.html").attrs("a") if "tel:" in a["href"]]
    # The first crisis line of each chosen region, in the order chosen, then nothing else.
    assert band == ["tel:113", "tel:08001110111"]


def test_a_missing_setting_takes_its_default(tmp_path: Path) -> None:
    groups = tmp_path / "groups.yaml"
    groups.write_text(VALID, encoding="utf-8")
    settings = str(ROOT / "pelicanconf.py")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD_WITHOUT_REPORT_URL,
            settings,
            str(tmp_path / "site"),
            str(groups),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "groups" / "calm-harbour" / "index.html").read_text()
    assert "Report a problem" not in page  # no link rather than a broken one
    assert json.dumps("Calm Harbour") in page


def test_the_readme_documents_every_setting() -> None:
    from kindred.site.settings import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in readme] == []
