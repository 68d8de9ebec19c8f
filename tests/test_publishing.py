"""Publishing never loses anything: refused outputs, concurrent builds, crashes mid-swap,
a stuck or incomplete search index, and a full disk. Every build here is a real Pelican run
in its own process, as `pelican` or `kindred serve` would run it."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kindred.site import staging
from kindred.site.search_index import check_index
from tests.conftest import GROUPS, ROOT, TAXONOMY
from tests.test_catalog import VALID

BUILD = """
import sys
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings(sys.argv[1], override={"OUTPUT_PATH": sys.argv[2],
    "KINDRED_GROUPS": sys.argv[3], "KINDRED_TAXONOMY": sys.argv[4]})
Pelican(settings).run()
"""

# Stops the process dead (no clean-up, like a power cut) after the named step of the swap.
CRASH_AFTER_STEP = """
import functools, os, sys
import kindred.site.staging as staging
step, atomic = sys.argv.pop(), sys.argv.pop() == "atomic"
def crash(name):
    if name == step:
        os._exit(9)
staging.publish = functools.partial(staging.publish, after_step=crash, atomic=atomic)
""" + BUILD.replace("import sys\n", "")


def catalog(tmp_path: Path, name: str = "Calm Harbour") -> Path:
    path = tmp_path / f"groups-{name.split()[0].lower()}.yaml"
    path.write_text(VALID.replace("name: Calm Harbour", f"name: {name}"), encoding="utf-8")
    return path


def command(output: Path, groups: Path, *extra: str, script: str = BUILD) -> list[str]:
    """The command line that builds the site from ``groups`` into ``output``."""
    settings = str(ROOT / "pelicanconf.py")
    return [sys.executable, "-c", script, settings, str(output), str(groups), str(TAXONOMY), *extra]


def pelican(
    output: Path, groups: Path, *extra: str, script: str = BUILD, **options: object
) -> subprocess.CompletedProcess[str]:
    """Build the site in a fresh process and wait for it."""
    return subprocess.run(
        command(output, groups, *extra, script=script),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        **options,  # type: ignore[call-overload]
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_complete(site: Path, name: str) -> None:
    """A whole site: every kind of page, its search index, the marker, and the right data."""
    for path in ("index.html", "groups/index.html", "groups/calm-harbour/index.html"):
        assert (site / path).is_file(), path
    assert (site / staging.MARKER).is_file()
    articles = len(list((ROOT / "content" / "guidance").glob("*.md")))
    check_index(site / "pagefind", 1 + articles)
    assert name in (site / "groups" / "calm-harbour" / "index.html").read_text()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built once from the catalog of "Calm Harbour", for the tests that replace one."""
    folder = tmp_path_factory.mktemp("first-build")
    result = pelican(folder / "site", catalog(folder))
    assert result.returncode == 0, result.stderr
    return folder / "site"


def previous_site(tmp_path: Path, first_build: Path) -> Path:
    """A copy of ``first_build`` at ``tmp_path``/site: the site a build is about to replace
    (a copy, since each test's build replaces or keeps it)."""
    return Path(shutil.copytree(first_build, tmp_path / "site", symlinks=True))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "kindred-" in p.name)


def test_a_fresh_build_publishes_a_marked_site(tmp_path: Path) -> None:
    result = pelican(tmp_path / "site", catalog(tmp_path))
    assert result.returncode == 0, result.stderr
    assert_complete(tmp_path / "site", "Calm Harbour")
    assert leftovers(tmp_path) == []


def test_the_site_is_readable_by_a_web_server_running_as_another_user(tmp_path: Path) -> None:
    """Folders and files get the modes `mkdir` and a new file get, never the private ones of
    a temporary folder, on a first build and on each build that replaces it."""
    mask = os.umask(0)
    os.umask(mask)
    site = tmp_path / "site"
    for _ in range(2):
        result = pelican(site, catalog(tmp_path))
        assert result.returncode == 0, result.stderr
        for path in [site, *site.rglob("*")]:
            wanted = (0o777 if path.is_dir() else 0o666) & ~mask
            assert stat.S_IMODE(path.stat().st_mode) == wanted, path


@pytest.mark.parametrize("kind", ["foreign folder", "current folder", "home", "parent of data"])
def test_refuses_an_output_it_did_not_build_and_touches_nothing(tmp_path: Path, kind: str) -> None:
    project = tmp_path / "project"
    (project / "notes").mkdir(parents=True)
    (project / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    groups = catalog(project)
    output = {
        "foreign folder": project / "notes",
        "current folder": Path("."),
        "home": project,
        "parent of data": project,
    }[kind]
    before = snapshot(project)
    settings = ["-s", str(ROOT / "pelicanconf.py"), "-o", str(output)]
    data = [f"KINDRED_GROUPS={json.dumps(str(groups))}"]
    data += [f"KINDRED_TAXONOMY={json.dumps(str(TAXONOMY))}"]
    result = subprocess.run(
        [sys.executable, "-m", "pelican", *settings, "-e", *data],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HOME": str(project if kind == "home" else tmp_path / "elsewhere")},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "kindred: error: will not publish into" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_refuses_a_file_as_output(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder", encoding="utf-8")
    result = pelican(tmp_path / "site", catalog(tmp_path))
    assert result.returncode == 2
    assert "it is not a folder" in result.stderr
    assert (tmp_path / "site").read_text() == "not a folder"


def test_an_empty_folder_and_a_previous_build_may_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    assert pelican(tmp_path / "site", catalog(tmp_path)).returncode == 0
    result = pelican(tmp_path / "site", catalog(tmp_path, "Quiet Cove"))
    assert result.returncode == 0, result.stderr
    assert_complete(tmp_path / "site", "Quiet Cove")


def test_builds_at_once_each_publish_a_complete_site(tmp_path: Path) -> None:
    output = tmp_path / "site"
    names = ["Calm Harbour", "Quiet Cove", "Still Water"]
    runs = [
        subprocess.Popen(
            command(output, catalog(tmp_path, name)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    published = (output / "groups" / "calm-harbour" / "index.html").read_text()
    name = next(name for name in names if name in published)
    assert_complete(output, name)
    assert leftovers(tmp_path) == []


SWAPS = {
    "atomic": ["exchange", "remove-old"],
    "two-renames": ["move-old-aside", "move-new-in", "remove-old"],
}


@pytest.mark.parametrize(
    ("mode", "step"), [(mode, step) for mode, steps in SWAPS.items() for step in steps]
)
def test_a_crash_at_any_step_of_the_swap_loses_no_site(
    tmp_path: Path, first_build: Path, mode: str, step: str
) -> None:
    output = previous_site(tmp_path, first_build)
    old = snapshot(output)
    crashed = pelican(output, catalog(tmp_path, "Quiet Cove"), mode, step, script=CRASH_AFTER_STEP)
    assert crashed.returncode == 9, crashed.stderr
    if output.is_dir():  # a whole site, old or new, at every instant
        assert_complete(output, "Calm Harbour" if snapshot(output) == old else "Quiet Cove")
    else:  # only between the two renames: the next build puts the old site back first
        assert mode == "two-renames"
        assert step == "move-old-aside"
        broken = tmp_path / "broken.yaml"
        broken.write_text(VALID.replace("cost: free", "cost: gratis"), encoding="utf-8")
        assert pelican(output, broken).returncode == 1
        assert snapshot(output) == old
    # the next good build publishes and clears whatever the crash left behind
    assert pelican(output, catalog(tmp_path, "Still Water")).returncode == 0
    assert_complete(output, "Still Water")
    assert leftovers(tmp_path) == []


INDEX_TIMES_OUT = BUILD.replace("sys.argv[4]}", "sys.argv[4], 'KINDRED_INDEX_TIMEOUT': 0.01}")
INDEX_TOO_NARROW = (
    """
import kindred.site.search_index as index
index.INDEXED_PAGES = "groups/*/index.html"  # leaves the articles out of the index
"""
    + BUILD
)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("timeout", "Pagefind took longer than"),
        ("incomplete", "were meant to be indexed"),
    ],
)
def test_a_stuck_or_incomplete_index_fails_the_build_and_keeps_the_site(
    tmp_path: Path, first_build: Path, how: str, message: str
) -> None:
    output = previous_site(tmp_path, first_build)
    old = snapshot(output)
    script = INDEX_TOO_NARROW if how == "incomplete" else INDEX_TIMES_OUT
    result = pelican(output, catalog(tmp_path, "Quiet Cove"), script=script)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == old
    assert leftovers(tmp_path) == []


def _small_file_limit() -> None:
    """In the child: writes past 8 KB fail with EFBIG instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))


def test_a_failed_write_stops_cleanly_and_removes_the_staging(
    tmp_path: Path, first_build: Path
) -> None:
    """The kernel refuses a write part-way through, as on a full disk."""
    output = previous_site(tmp_path, first_build)
    old = snapshot(output)
    result = pelican(output, catalog(tmp_path, "Quiet Cove"), preexec_fn=_small_file_limit)
    assert result.returncode != 0
    assert "kindred: error: could not" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == old
    assert leftovers(tmp_path) == []


def _limit_below_the_open_data() -> None:
    """In the child: every page and index file fits, but not the larger downloads."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_failed_write_of_the_open_data_stops_cleanly(tmp_path: Path, first_build: Path) -> None:
    """The downloads are written while the search index is built: a failure there stops the
    build like any other."""
    output = previous_site(tmp_path, first_build)
    old = snapshot(output)
    result = pelican(output, GROUPS, preexec_fn=_limit_below_the_open_data)
    assert result.returncode == 1, result.stderr
    assert "kindred: error: could not write the site: File too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == old
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 200 KB file system: too small for the site. Needs root (as in CI); skipped elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a small file system: {made.stderr!r}")
        pytest.skip("mounting a small file system needs root")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_stops_cleanly_and_removes_the_staging(
    tmp_path: Path, small_disk: Path
) -> None:
    result = pelican(small_disk / "site", catalog(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(small_disk.iterdir()) == []
