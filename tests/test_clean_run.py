"""A clean run says nothing it should not: no warnings of our own making, no markup in the
command's help, and the README calls each listing field by its name."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from kindred.catalog.model import LEADING_FIELDS, TRAILING_FIELDS
from kindred.cli import main, parser
from tests.conftest import ROOT


def _subcommands() -> list[str]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize("command", [[], *([name] for name in _subcommands())])
def test_help_is_plain_text(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--help"])
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: kindred")
    assert "``" not in text, text  # reStructuredText markup from a docstring


def test_the_package_builds_without_deprecation_warnings(tmp_path: Path) -> None:
    """Packaging metadata as the build backend reads it (offline: the installed setuptools)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "kindred", source / "kindred")
    build = (
        "import sys, setuptools.build_meta as b; b.prepare_metadata_for_build_wheel(sys.argv[1])"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", build, str(tmp_path)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [metadata] = tmp_path.glob("kindred-*.dist-info/METADATA")
    assert "License-Expression: MIT" in metadata.read_text(encoding="utf-8")


def test_our_own_warnings_are_errors() -> None:
    with pytest.raises(UserWarning):
        warnings.warn("a warning raised by the project's own code", stacklevel=1)


def test_the_browser_tests_base_url_raises_no_deprecation(base_url: str | None) -> None:
    # Requesting it would fail here (warnings are errors) if the deprecated fallback ran.
    assert base_url is None or base_url.startswith("http")


def test_the_readme_names_listing_fields_as_they_are_spelled() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Add a listing", 1)[1].split("\n## ", 1)[0]
    required = [spec.name for spec in (*LEADING_FIELDS, *TRAILING_FIELDS) if spec.required]
    for name in required:
        assert f"`{name}`" in section, f"the README's steps do not name `{name}`"
    british = {name.replace("iz", "is") for name in required if "iz" in name}
    assert not british & set(re.findall(r"\w+", section)), "spell the field as the data does"
