"""The Nu HTML checker over the whole built site, and the example edition: zero errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(relative_site: Path, edition_site: Path, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        message = "the Nu HTML checker needs java and node_modules/vnu-jar (run `npm ci`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    output = relative_site
    # An organisation's edition fills more of the page frame: its brand, welcome and EAP.
    edition = edition_site
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 100
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(output),
            str(edition),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert result.returncode == 0
