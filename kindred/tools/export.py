"""`kindred export`: write the open data files without building the site.

JSON and CSV are one file each, written to standard output or to a file (replaced only once
the new one is complete). HSDS is a folder of files laid out as on the site (hsds/): it is
written beside its destination and swapped in when complete, and it replaces only an empty
folder or one that `kindred export` wrote before, which a marker file in it tells.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kindred.catalog import Catalog, load_catalog
from kindred.modes import as_new_folder, as_replacing_file
from kindred.opendata.files import FORMATS, export_files
from kindred.opendata.hsds_files import HSDS_FOLDER
from kindred.opendata.source import Source
from kindred.site.settings import SettingsUnreadable, apply_defaults, read_site_settings

EXIT_OK, EXIT_USAGE = 0, 2
MARKER = ".kindred-export"  # in a folder of HSDS files this command wrote
DEFAULT_SETTINGS = Path("pelicanconf.py")


class Refused(Exception):
    """The destination cannot be written; the message says why."""


def run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args.settings)
    except SettingsUnreadable as error:
        print(f"kindred export: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    catalog = _edition(args.path, args.taxonomy, settings)
    try:
        files = export_files(catalog, _source(settings), (args.format,))
        if args.format == "hsds":
            if args.output is None:
                raise Refused("--format hsds writes a folder: name it with -o FOLDER")
            count = write_folder(args.output, files)
            print(f"Wrote {count} HSDS files for {len(catalog.groups)} listings to {args.output}/.")
            return EXIT_OK
        _, data = next(iter(files))  # the one file (`kindred schema --export` gives JSON's schema)
        if args.output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_file(args.output, data)
    except Refused as refused:
        print(f"kindred export: error: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"kindred export: error: cannot write: {error.strerror or error}{where}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def _settings(settings_file: Path | None) -> dict[str, Any] | None:
    """The Pelican settings the site is built with: the file named, else pelicanconf.py if
    it is there, else none (Kindred's defaults)."""
    path = settings_file or DEFAULT_SETTINGS
    if settings_file is None and not path.is_file():
        return None
    settings = read_site_settings(path)
    apply_defaults(settings)
    return settings


def _edition(path: Path, taxonomy: Path, settings: dict[str, Any] | None) -> Catalog:
    """The catalog in ``path`` as the site built with ``settings`` publishes it: with an
    organisation's overlay (KINDRED_OVERLAY), checked as the build checks it."""
    if not settings or not settings["KINDRED_OVERLAY"]:
        return load_catalog(path, taxonomy)
    from kindred.site.plugin import load_edition  # Pelican's plugin: only for an edition

    files = {"KINDRED_GROUPS": str(path), "KINDRED_TAXONOMY": str(taxonomy)}
    catalog, _, _ = load_edition({**settings, **files})
    return catalog


def _source(settings: dict[str, Any] | None) -> Source:
    """The site's name, address and language, from its settings as the build reads them."""
    if settings is None:
        return Source()
    return Source(settings["SITENAME"], settings.get("SITEURL", ""), settings["DEFAULT_LANG"])


def write_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all."""
    if path.is_dir():
        raise Refused(f"{path} is a folder; name a file")
    path = path.resolve()  # through a symbolic link, to the file it names: the link stays
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        as_replacing_file(temporary, path)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_folder(target: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write every file into a new folder beside ``target``, then put it in its place."""
    if target.exists() and not _replaceable(target):
        raise Refused(
            f"{target} exists and was not written by `kindred export`; choose another folder "
            "or empty it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    as_new_folder(staging)
    count = 0
    try:
        prefix = HSDS_FOLDER + "/"
        for path, data in files:
            file = staging / path.removeprefix(prefix)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            count += 1
        (staging / MARKER).write_text("Written by `kindred export --format hsds`.\n", "utf-8")
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _replaceable(target: Path) -> bool:
    return target.is_dir() and ((target / MARKER).is_file() or not any(target.iterdir()))


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old."))
    os.rename(target, old / target.name)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="the file to write (json, csv; default: standard output) or the folder (hsds)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        help=f"the Pelican settings whose SITENAME, SITEURL and DEFAULT_LANG the files carry, and "
        f"whose KINDRED_OVERLAY they follow, as the site's do (default: {DEFAULT_SETTINGS}, "
        "if there)",
    )
