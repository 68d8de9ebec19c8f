"""`kindred export`: the open data files without building the site (the work is in
kindred.tools.export)."""

from __future__ import annotations

import argparse

from kindred.cli.arguments import add_catalog_arguments
from kindred.tools import export


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="write the catalog as JSON, CSV or Open Referral HSDS 3, as the site publishes it",
        description=export.__doc__.splitlines()[0],
        epilog="Exit status: 0 written, 1 the catalog is invalid, 2 usage or I/O error.",
    )
    add_catalog_arguments(parser)
    export.add_arguments(parser)
    parser.set_defaults(run=export.run)
