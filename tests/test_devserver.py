"""`kindred serve`: builds, serves on 127.0.0.1, rebuilds on changes, survives bad data."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HELPLINES, ROOT, TAXONOMY
from tests.test_catalog import VALID


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_until(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the dev server")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "data"
    data.mkdir()
    groups = data / "groups.yaml"
    groups.write_text(VALID, encoding="utf-8")
    settings = tmp_path / "devconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n"
        f"KINDRED_GROUPS = {str(groups)!r}\nKINDRED_TAXONOMY = {str(TAXONOMY)!r}\n"
        f"KINDRED_HELPLINES = {str(HELPLINES)!r}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kindred.cli", "serve", "--port", "0", "--settings", str(settings)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = None
    for line in process.stdout:  # the build runs first, then the address is printed
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            url = found.group(0)
            break
    assert url, "the dev server did not start"
    try:
        yield url, groups
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serves_rebuilds_on_change_and_keeps_the_last_good_build(
    server: tuple[str, Path],
) -> None:
    url, groups = server
    assert 'data-group-id="calm-harbour"' in fetch(url + "groups/")
    groups.write_text(VALID.replace("Calm Harbour", "Quiet Harbour"), encoding="utf-8")
    wait_until(lambda: "Quiet Harbour" in fetch(url + "groups/calm-harbour/"))
    groups.write_text(VALID.replace("cost: free", "cost: gratis"), encoding="utf-8")
    time.sleep(3)  # an invalid save: the last good build keeps being served
    assert "Quiet Harbour" in fetch(url + "groups/calm-harbour/")
    groups.write_text(VALID.replace("Calm Harbour", "Still Harbour"), encoding="utf-8")
    wait_until(lambda: "Still Harbour" in fetch(url + "groups/calm-harbour/"))
