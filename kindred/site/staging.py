"""Build into a private folder and swap it in only when the whole build has succeeded.

The promises, and how they are kept:

* A failed build (invalid catalog, template error, indexer failure, full disk) never leaves a
  half-written site where a good one stood: every build writes into its own staging folder
  beside the output, and only a finished build replaces the output.
* The build only ever replaces a site it built itself. A finished build carries a marker file;
  an output folder that is not empty and has no marker, or that holds the project itself (the
  current folder, a parent of the content or data, the home folder), is refused before
  anything is touched.
* Two builds at once (``kindred serve`` and ``make build``, say) each stage privately and
  publish one at a time, under a lock beside the output.
* At every instant the output path holds a complete site, old or new. On Linux the swap is
  one atomic exchange of two folders (renameat2 with RENAME_EXCHANGE). Elsewhere it takes two
  renames; a crash between them leaves the old site under a recovery name, and the next build
  puts it back before doing anything else.
* Staging folders of builds that died are removed by the next build: a live build holds a lock
  on its own staging folder, so a folder whose lock can be taken belongs to nobody.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kindred.modes import as_new_folder

MARKER = ".kindred-build"
MARKER_TEXT = "This folder is a site built by Kindred; the next build may replace it.\n"

_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


class OutputRefused(Exception):
    """The output path is somewhere a build must not replace; the message says why."""


@dataclass
class Build:
    """One build in progress: where it publishes, and the private folder it writes to."""

    target: Path
    staging: Path
    lock_fd: int
    # Filled in by the site generator: how many pages the search index must hold, and the
    # group pages (in catalog order) whose index ids the finder needs.
    indexed_pages: int | None = None
    group_pages: tuple[str, ...] = ()


# Builds in progress, by staging path, so the generator (which only knows its output path)
# and the finishing step reach the same Build.
_BUILDS: dict[str, Build] = {}


def staging_prefix(target: Path) -> str:
    return f".{target.name}.kindred-building-"


def recovery_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.kindred-old")


def check_target(target: Path, protected: Iterable[Path]) -> None:
    """Raise OutputRefused unless ``target`` may be replaced by a build.

    ``protected`` are the folders and files the site is made from; the output may not be one
    of them or contain one of them.
    """
    target = target.resolve()
    home = Path.home().resolve()
    reasons = {
        Path.cwd().resolve(): "it is the current folder",
        home: "it is your home folder",
        Path(target.anchor): "it is the root of the file system",
    }
    if target in reasons:
        raise OutputRefused(f"will not publish into {target}: {reasons[target]}")
    for path in protected:
        path = path.resolve()
        if path == target or target in path.parents:
            raise OutputRefused(
                f"will not publish into {target}: it holds {path}, which the site is built from"
            )
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputRefused(f"will not publish into {target}: it is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputRefused(
            f"will not publish into {target}: it holds files that no Kindred build made "
            f"(no {MARKER} marker). Choose an empty or new folder, or empty this one yourself."
        )


@contextlib.contextmanager
def publish_lock(target: Path) -> Iterator[None]:
    """Hold the lock that lets one build at a time change the output; others wait.

    The lock is on the folder that holds the output, so no lock file is left lying about.
    """
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def start(target: Path, protected: Iterable[Path]) -> Build:
    """Check the output path, tidy up after builds that died, and open a staging folder."""
    target = target.resolve()
    check_target(target, protected)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Made and locked under the publish lock, so another build's clean-up cannot mistake it
    # for the leftover of a dead build in the instant between the two.
    with publish_lock(target):
        recover(target)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
        as_new_folder(staging)  # it becomes the site: readable by the web server
        lock_fd = os.open(staging, os.O_RDONLY)
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ours alone: it was just made
    build = Build(target, staging, lock_fd)
    _BUILDS[str(staging)] = build
    return build


def build_for(output_path: str | Path) -> Build | None:
    """The build writing to ``output_path``, if one is in progress."""
    return _BUILDS.get(str(output_path))


def recover(target: Path) -> None:
    """Put back a site left under the recovery name by a crash, and remove dead staging."""
    old = recovery_path(target)
    if old.is_dir():
        if target.exists():
            shutil.rmtree(old)
        else:
            old.rename(target)
    for folder in target.parent.glob(staging_prefix(target) + "*"):
        if folder.is_dir() and not in_use(folder):
            shutil.rmtree(folder, ignore_errors=True)


def in_use(folder: Path) -> bool:
    """Whether a live build holds the lock on ``folder`` (one that died holds none)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


# Each step of the swap is a named function, so a test can stop the publish after any one.
Step = Callable[[Build], None]


class _NoExchange(Exception):
    """This file system (or system) cannot swap two folders atomically."""


def publish(
    build: Build, after_step: Callable[[str], None] | None = None, atomic: bool = True
) -> None:
    """Replace the output with the finished staging folder, one build at a time.

    ``after_step`` is called with each step's name once it is done (tests stop there);
    ``atomic=False`` takes the two-rename path that systems without an exchange use.
    """
    (build.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    with publish_lock(build.target):
        recover(build.target)
        check_target(build.target, ())  # someone may have put files there meanwhile
        try:
            _run(build, _swap_steps(build, atomic and _renameat2 is not None), after_step)
        except _NoExchange:
            _run(build, _swap_steps(build, False), after_step)
    _close(build)


def _run(build: Build, steps: list[tuple[str, Step]], after: Callable[[str], None] | None):
    for name, step in steps:
        step(build)
        if after:
            after(name)


def _swap_steps(build: Build, atomic: bool) -> list[tuple[str, Step]]:
    if not build.target.exists():
        return [("move-new-in", lambda b: b.staging.rename(b.target))]
    if atomic:
        return [("exchange", _exchange), ("remove-old", lambda b: shutil.rmtree(b.staging))]
    return [
        ("move-old-aside", lambda b: b.target.rename(recovery_path(b.target))),
        ("move-new-in", lambda b: b.staging.rename(b.target)),
        ("remove-old", lambda b: shutil.rmtree(recovery_path(b.target))),
    ]


def _exchange(build: Build) -> None:
    """Swap the staging folder and the output in one atomic step."""
    assert _renameat2 is not None
    source, target = os.fsencode(build.staging), os.fsencode(build.target)
    if _renameat2(_AT_FDCWD, source, _AT_FDCWD, target, _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise _NoExchange
        raise OSError(code, os.strerror(code), str(build.target))


def _load_renameat2() -> Callable[..., int] | None:
    """glibc's renameat2, where there is one (Linux); None elsewhere."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def discard(build: Build) -> None:
    """Remove a failed build's staging folder, leaving the real output untouched."""
    _close(build)
    shutil.rmtree(build.staging, ignore_errors=True)


def _close(build: Build) -> None:
    _BUILDS.pop(str(build.staging), None)
    if build.lock_fd >= 0:
        os.close(build.lock_fd)
        build.lock_fd = -1
