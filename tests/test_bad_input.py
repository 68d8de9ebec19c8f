"""Every command that reads the catalog answers a mistake in it the same way: the validator's
FILE:LINE:COL message and exit status 1, never a traceback. Run as users run them: `kindred`
in a subprocess, and a real Pelican build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TAXONOMY
from tests.site_helpers import build_site
from tests.test_catalog import VALID
from tests.test_new_listing import OPTIONS

BAD_CATALOGS = {
    "octal-looking age 010": (
        VALID + "  minimum_age: 010\n",
        "18:16: error: 'minimum_age' must be a whole number from 1 to 99 written without a "
        "leading zero",
    ),
    "octal-looking age 017": (
        VALID + "  minimum_age: 017\n",
        "18:16: error: 'minimum_age' must be a whole number from 1 to 99 written without a "
        "leading zero",
    ),
    "superscript age": (
        VALID + "  minimum_age: ²\n",
        "18:16: error: 'minimum_age' must be a whole number from 1 to 99 written with the "
        "digits 0-9, not '²'",
    ),
    "age of thousands of digits": (
        VALID + "  minimum_age: " + "7" * 5000 + "\n",
        "18:16: error: 'minimum_age' must be between 1 and 99, not 77777777777777777777…",
    ),
    "a raw NUL": (
        VALID.replace("Harbour Network", "Harbour\x00Network"),
        "3:24: error: control character U+0000 NULL is not allowed; delete it",
    ),
    "a right-to-left override": (
        VALID.replace("Calm Harbour", "Calm \u202eHarbour"),
        "2:14: error: invisible character U+202E RIGHT-TO-LEFT OVERRIDE is not allowed",
    ),
}
CASES = [pytest.param(text, message, id=case) for case, (text, message) in BAD_CATALOGS.items()]


def kindred(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kindred.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groups.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", CASES)
def test_validate_names_it(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    result = kindred("validate", str(path), "--taxonomy", str(TAXONOMY))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{path}:{message}")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, message", CASES)
def test_stale_names_it(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    result = kindred("stale", str(path), "--taxonomy", str(TAXONOMY))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{path}:{message}")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, message", CASES)
def test_new_names_it_and_writes_nothing(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    options = [part for pair in OPTIONS.items() for part in pair]
    result = kindred("new", str(path), "--taxonomy", str(TAXONOMY), "--yes", *options)
    assert result.returncode == 1, result.stderr
    assert f"{path}:{message}" in result.stdout
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("text, message", CASES)
def test_the_build_stops_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SystemExit) as stopped:  # any other exception is a traceback
        build_site(tmp_path / "output", groups=path)
    assert stopped.value.code == 1
    assert f"{path}:{message}" in capsys.readouterr().err
    assert not (tmp_path / "output").exists()


def test_the_build_refuses_a_named_pipe_at_once_with_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "groups.yaml"
    os.mkfifo(fifo)  # before, the build waited here for a writer that never came
    setting = f"KINDRED_GROUPS={json.dumps(str(fifo))}"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-o", str(tmp_path / "output"), "-e", setting],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert f"cannot read {fifo}: it is a named pipe (FIFO), not an ordinary file" in result.stderr
    assert "Traceback" not in result.stderr
