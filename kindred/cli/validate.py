"""`kindred validate`: check the catalog and report every problem."""

from __future__ import annotations

import argparse

from kindred.catalog import load_catalog
from kindred.cli.arguments import EXIT_OK, add_catalog_arguments


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="check the catalog and report every problem")
    add_catalog_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.path, args.taxonomy)
    organizations = {group.organization for group in catalog.groups}
    print(
        f"{args.path}: {len(catalog.groups)} listings from {len(organizations)} organizations, "
        f"{len(catalog.taxonomy.facets)} facets: all valid."
    )
    return EXIT_OK
