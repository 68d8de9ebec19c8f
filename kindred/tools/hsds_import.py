"""`kindred import hsds`: add the services of an HSDS 3 file to the end of the catalog.

The file may be a page of services as the HSDS API answers (such as another directory's
services.json), a list of services, or one service. Each service is mapped to a listing (see
kindred.opendata.hsds_read) and reported: what in it could not be mapped, and why it cannot
be added when it cannot. A service whose address is already listed is skipped.

The listings are written as `kindred new` writes one: appended as text after the last listing,
so every earlier byte of the file stays as it was, and only once the real validator has
accepted the whole resulting file. If any service cannot become a valid listing nothing is
written, unless --skip-invalid asks to add the others.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kindred.catalog import DEFAULT_GROUPS, DEFAULT_TAXONOMY, load_catalog, url_key
from kindred.catalog.listings import latest_today, validate_groups
from kindred.catalog.model import Group
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import Taxonomy, load_taxonomy
from kindred.catalog.yamltree import read_data_file, read_yaml
from kindred.opendata.hsds import ADDED_FIELD
from kindred.opendata.hsds_read import Reading, ServiceReader
from kindred.tools.new_listing import append_listing, derive_id, file_order, listing_text
from kindred.tools.writing import writing

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class Refused(Exception):
    """The input cannot be imported at all; the message says why, ``code`` is the exit."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@dataclass
class Candidate:
    """One service on its way to becoming a listing."""

    number: int
    reading: Reading
    text: str = ""  # the listing as it would be written
    skipped: str = ""  # why it is left out without being a mistake


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source_format", choices=["hsds"], help="the format of the file")
    parser.add_argument("source", type=Path, metavar="PATH", help="the file to import")
    parser.add_argument(
        "--catalog",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"the listings file to add to (default: {DEFAULT_GROUPS}); created if missing",
    )
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=DEFAULT_TAXONOMY,
        help=f"taxonomy file (default: {DEFAULT_TAXONOMY})",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="add the services that make valid listings even when others do not",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be added; write nothing"
    )


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    try:
        services = read_services(args.source)
    except Refused as refused:
        print(f"kindred import: error: {refused}", file=sys.stderr)
        return refused.code
    existing = _existing_groups(args.catalog, args.taxonomy)
    candidates = plan(services, taxonomy, existing, args.catalog)
    _validate(candidates, args.catalog, taxonomy)
    report(candidates)
    bad = [c for c in candidates if c.reading.problems]
    good = [c for c in candidates if not c.reading.problems and not c.skipped]
    if bad and not args.skip_invalid:
        print(
            f"Nothing was written to {args.catalog}: {len(bad)} of {len(candidates)} services "
            "cannot become valid listings (--skip-invalid adds the others)."
        )
        return EXIT_INVALID
    if not good:
        print(f"Nothing to add to {args.catalog}.")
        return EXIT_INVALID if bad else EXIT_OK
    text = "\n".join(candidate.text for candidate in good)
    if args.dry_run:
        print(f"\nThis would be added to the end of {args.catalog}:\n\n{text}")
        return EXIT_INVALID if bad else EXIT_OK
    if not args.catalog.exists():
        with writing(args.catalog):
            args.catalog.write_bytes(b"")
    line = append_listing(args.catalog, args.taxonomy, text)
    plural = "s" if len(good) != 1 else ""
    print(f"Added {len(good)} listing{plural} to {args.catalog}, from line {line}.")
    return EXIT_INVALID if bad else EXIT_OK


def read_services(path: Path) -> list[Any]:
    """The services in an HSDS file: a page's contents, a list, or one service."""
    try:
        data = json.loads(read_data_file(path).decode("utf-8-sig"))  # a BOM, as Windows writes
    except OSError as error:
        raise Refused(f"cannot read {path}: {error.strerror or error}", EXIT_USAGE) from None
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8 text", EXIT_USAGE) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise Refused(f"{path} is not JSON ({where}: {error.msg})", EXIT_USAGE) from None
    except RecursionError:
        raise Refused(f"{path} is nested too deeply to be HSDS", EXIT_USAGE) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "name" in data:
        return [data]
    raise Refused(
        f"{path} holds no HSDS services: expected a page of results (with 'contents'), a list "
        "of services or one service",
        EXIT_INVALID,
    )


def _existing_groups(catalog: Path, taxonomy: Path) -> tuple[Group, ...]:
    """The listings already in the catalog; none when it is missing or holds nothing yet."""
    if not catalog.exists():
        return ()
    root, problems = read_yaml(catalog)
    if root is None and not problems:  # only comments, or nothing at all
        return ()
    try:
        return load_catalog(catalog, taxonomy).groups
    except CatalogError:
        print(f"{catalog} already has problems; fix them first (kindred validate):")
        raise


def plan(
    services: list[Any], taxonomy: Taxonomy, existing: tuple[Group, ...], catalog: Path
) -> list[Candidate]:
    """Each service read, given an id and written out as listing text."""
    reader = ServiceReader(taxonomy)
    taken = {group.id for group in existing}
    listed = {url_key(group.url): group.id for group in existing}
    order = file_order(taxonomy)
    today = dt.date.today().isoformat()
    candidates = []
    for number, service in enumerate(services, 1):
        candidate = Candidate(number, reader.read(service))
        candidates.append(candidate)
        fields = candidate.reading.fields
        url = fields.get("url")
        if candidate.reading.closed:
            candidate.skipped = f"its status is '{candidate.reading.closed}'"
            candidate.reading.problems.clear()
            continue
        if isinstance(url, str) and url_key(url) in listed:
            candidate.skipped = f"already listed as '{listed[url_key(url)]}' ({catalog})"
            candidate.reading.problems.clear()
            continue
        if candidate.reading.problems:
            continue
        fields["id"] = _listing_id(fields, candidate.reading.name, taken)
        fields.setdefault(ADDED_FIELD, today)
        taken.add(str(fields["id"]))
        if isinstance(url, str):
            listed[url_key(url)] = str(fields["id"])
        written = {name: fields[name] for name in order if name in fields}
        written[ADDED_FIELD] = dt.date.fromisoformat(str(written[ADDED_FIELD]))
        candidate.text = listing_text(written)
    return candidates


def _listing_id(fields: dict[str, object], name: str, taken: set[str]) -> str:
    wanted = fields.get("id")
    if isinstance(wanted, str) and wanted not in taken:
        return wanted
    return derive_id(name, taken)


def _validate(candidates: list[Candidate], catalog: Path, taxonomy: Taxonomy) -> None:
    """Check every candidate listing with the real validator, in one file, and give each
    service the problems found on its own lines."""
    written = [c for c in candidates if c.text]
    if not written:
        return
    starts, line, parts = [], 1, []
    for candidate in written:
        starts.append(line)
        parts.append(candidate.text)
        line += candidate.text.count("\n") + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, catalog.name)
        path.write_text("\n".join(parts), encoding="utf-8")
        try:
            validate_groups(path, taxonomy, latest_today())
            return
        except CatalogError as error:
            problems = error.problems
    for problem in problems:
        index = max((i for i, start in enumerate(starts) if start <= problem.line), default=0)
        written[index].reading.problems.append(problem.message)


def report(candidates: list[Candidate]) -> None:
    for candidate in candidates:
        reading = candidate.reading
        if candidate.skipped:
            outcome = f"skipped: {candidate.skipped}"
        elif reading.problems:
            outcome = "cannot be added"
        else:
            outcome = f"becomes '{reading.fields['id']}'"
        print(f"{candidate.number}. {reading.name}: {outcome}")
        if reading.unmapped:
            print(f"   not mapped: {', '.join(reading.unmapped)}")
        for problem in reading.problems:
            print(f"   - {problem}")
