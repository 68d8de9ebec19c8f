"""`kindred stale`: list listings not verified for a while, and those never verified."""

from __future__ import annotations

import argparse
from pathlib import Path

from kindred.catalog.staleness import DEFAULT_DAYS
from kindred.cli.arguments import add_catalog_arguments, whole_number
from kindred.tools import stale_report

MAX_STALE_DAYS = 3650  # ten years; anything longer is surely a typing mistake


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "stale",
        help="list listings not verified for a while, and those never verified",
        description=(
            "List the listings last verified more than --days ago, oldest first, then those "
            "never verified, oldest added first."
        ),
        epilog=(
            "Exit status: 0 whatever it finds (it is a report), 1 if the catalog is invalid, "
            "2 on usage or I/O errors."
        ),
    )
    add_catalog_arguments(parser)
    parser.add_argument(
        "--days",
        type=whole_number(0, MAX_STALE_DAYS),
        default=DEFAULT_DAYS,
        help=(
            "stale when last verified more than this many days ago, at most "
            f"{MAX_STALE_DAYS} (default: %(default)d)"
        ),
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the report as JSON")
    parser.set_defaults(run=stale_report.run)
