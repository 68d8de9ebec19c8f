"""Build into a fresh folder and swap it in only when the whole build has succeeded.

A failed build (invalid catalog, template error, indexer failure) must never leave a
half-written site where a good one stood: the previous output stays exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pelican import Pelican

_TARGET = "_kindred_target_output"


def staging_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.building")


def start(pelican: Pelican) -> None:
    """Point this run's writers at an empty staging folder beside the real output."""
    target = Path(getattr(pelican, _TARGET, None) or pelican.output_path).resolve()
    setattr(pelican, _TARGET, str(target))
    staging = staging_path(target)
    if staging.exists():  # left over from a build that failed
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    pelican.output_path = str(staging)


def publish(pelican: Pelican) -> None:
    """Replace the real output with the finished staging folder."""
    target = Path(getattr(pelican, _TARGET))
    staging = Path(pelican.output_path)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    pelican.output_path = str(target)
    if old.exists():
        shutil.rmtree(old)


def discard(path: str) -> None:
    """Remove a staging folder after a failed build, leaving the real output untouched."""
    folder = Path(path)
    if folder.name.endswith(".building") and folder.is_dir():
        shutil.rmtree(folder)
