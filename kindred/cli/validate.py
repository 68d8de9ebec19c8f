"""`kindred validate`: check the catalog (and the helplines) and report every problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from kindred.catalog import DEFAULT_TAXONOMY
from kindred.catalog.helplines import DEFAULT_HELPLINES, load_helplines
from kindred.catalog.listings import build_catalog, latest_today, validate_groups
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.taxonomy import load_taxonomy
from kindred.cli.arguments import EXIT_OK, add_catalog_arguments


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="check the catalog and report every problem")
    add_catalog_arguments(parser)
    parser.add_argument(
        "--helplines",
        type=Path,
        help=(
            f"helplines file, checked too (default: {DEFAULT_HELPLINES}, when there is one and "
            "the taxonomy is the site's own)"
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Every problem of the listings and of the helplines, together; the taxonomy's first."""
    taxonomy = load_taxonomy(args.taxonomy)
    problems: list[Problem] = []
    try:
        catalog = build_catalog(taxonomy, validate_groups(args.path, taxonomy, latest_today()))
    except CatalogError as error:
        problems += error.problems
        catalog = None
    # The helplines are checked against the site's own taxonomy: by default, only with it.
    site_taxonomy = args.taxonomy.resolve() == DEFAULT_TAXONOMY.resolve()
    default = DEFAULT_HELPLINES if site_taxonomy and DEFAULT_HELPLINES.is_file() else None
    helplines_path = args.helplines or default
    helplines = ()
    if helplines_path is not None:
        try:
            helplines = load_helplines(helplines_path, taxonomy)
        except CatalogError as error:
            problems += error.problems
    if problems or catalog is None:
        raise CatalogError(problems)
    organizations = {group.organization for group in catalog.groups}
    checked = [
        f"{args.path}: {len(catalog.groups)} listings from {len(organizations)} "
        f"organization{'s' if len(organizations) != 1 else ''}, "
        f"{len(catalog.taxonomy.facets)} facets"
    ]
    if helplines_path is not None:
        checked.append(f"{helplines_path}: helplines for {len(helplines)} regions")
    print("; ".join(checked) + ": all valid.")
    return EXIT_OK
