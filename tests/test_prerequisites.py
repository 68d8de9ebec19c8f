"""`make test` first checks for what pip cannot install and names exactly what is missing;
.ci/run and the pull request workflow install the same list."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.test_workflows import workflow

SCRIPT = ROOT / "scripts" / "check-prerequisites"
# Each program the check looks for, and the Debian package it names when it is missing (the
# full chromium serves the browser tests where it is found, but the shell is what is asked for).
TOOLS = {
    "python3": "python3",
    "make": "make",
    "node": "nodejs",
    "npm": "npm",
    "java": "default-jre-headless",
    "nginx": "nginx-light",
    "chromium-headless-shell": "chromium-headless-shell",
    "chromium": "chromium",
}
BROWSERS = {"chromium-headless-shell", "chromium"}


def check(
    tmp_path: Path, without: set[str] = frozenset(), *args: str, **env: str
) -> subprocess.CompletedProcess:
    """Run the check with a PATH holding only the tools it looks for, minus ``without``."""
    tools = tmp_path / "bin"
    tools.mkdir(parents=True)
    for name in set(TOOLS) - without:
        real = sys.executable if name == "python3" else shutil.which(name)
        if real is None and name in BROWSERS:  # CI installs one of the two: the check only
            real = "/bin/true"  # asks whether the other is there
        assert real, f"{name} is needed on this machine to test the check"
        (tools / name).symlink_to(real)
    return subprocess.run(
        ["/bin/sh", str(SCRIPT), *args],
        env={"PATH": str(tools), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_complete_machine_passes_silently(tmp_path: Path) -> None:
    result = check(tmp_path, set(), CI="true")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_missing_java_is_named_with_the_package_to_install(tmp_path: Path) -> None:
    result = check(tmp_path, {"java"})
    assert result.returncode == 2
    assert "java: runs the Nu HTML checker" in result.stderr
    assert result.stderr.strip().endswith("apt-get install default-jre-headless")


def test_everything_missing_is_named_in_one_install_line(tmp_path: Path) -> None:
    result = check(tmp_path, {"node", "npm", "java"} | BROWSERS, CI="true")
    assert result.returncode == 2
    for tool in ("node", "npm", "java", "chromium-headless-shell"):
        assert f"  - {tool}: " in result.stderr
    assert "apt-get install nodejs npm default-jre-headless chromium-headless-shell\n" in (
        result.stderr
    )


def test_without_chromium_locally_the_browser_tests_are_skipped_not_failed(
    tmp_path: Path,
) -> None:
    result = check(tmp_path, BROWSERS)
    assert result.returncode == 0
    assert "browser tests will be skipped" in result.stderr


def test_the_full_chromium_serves_where_its_headless_shell_is_missing(tmp_path: Path) -> None:
    """The tests can run in it, in CI too; CI is still told to install the faster shell."""
    for where, env in (("local", {}), ("ci", {"CI": "true"})):
        result = check(tmp_path / where, {"chromium-headless-shell"}, **env)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), where
    packages = check(tmp_path / "again", {"chromium-headless-shell"}, "--packages")
    assert (packages.returncode, packages.stdout) == (0, "chromium-headless-shell\n")


def test_a_browser_named_by_chromium_path_needs_neither_package(tmp_path: Path) -> None:
    browser = str(tmp_path / "my-chromium")
    result = check(tmp_path, BROWSERS, CI="true", CHROMIUM_PATH=browser)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    packages = check(tmp_path / "again", BROWSERS, "--packages", CHROMIUM_PATH=browser)
    assert (packages.returncode, packages.stdout) == (0, "")


def test_a_missing_python_is_named(tmp_path: Path) -> None:
    result = check(tmp_path, {"python3"})
    assert result.returncode == 2
    assert "apt-get install python3 python3-venv" in result.stderr


def test_packages_mode_lists_what_ci_must_install(tmp_path: Path) -> None:
    result = check(tmp_path, {"java"} | BROWSERS, "--packages")
    assert (result.returncode, result.stdout) == (
        0,
        "default-jre-headless chromium-headless-shell\n",
    )


def test_make_test_checks_prerequisites_before_installing_anything() -> None:
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "test"],
        cwd=ROOT,
        env={**os.environ, "MAKEFLAGS": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    commands = [line for line in result.stdout.splitlines() if line.strip()]
    assert "check-prerequisites" in commands[0], commands


def test_ci_installs_what_the_check_names() -> None:
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/check-prerequisites --packages" in ci_run
    assert ci_run.index("apt-get update") < ci_run.index("apt-get install")
    assert ci_run.index("apt-get install") < ci_run.index("make test")
    steps = workflow("pr.yml")["jobs"]["check"]["steps"]
    install = next(s["run"] for s in steps if "apt-get install" in s.get("run", ""))
    assert "scripts/check-prerequisites --packages" in install
    assert install.index("apt-get update") < install.index("apt-get install")


def test_the_readme_names_every_package_in_one_line(tmp_path: Path) -> None:
    bare_machine = check(tmp_path, set(TOOLS), "--packages").stdout.split()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("apt-get install"))
    assert set(bare_machine) <= set(line.split()), bare_machine
