"""`kindred import hsds PATH`: add another directory's HSDS services to the catalog (the work
is in kindred.tools.hsds_import)."""

from __future__ import annotations

import argparse

from kindred.tools import hsds_import


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import",
        help="add the services of an Open Referral HSDS 3 file to the end of the catalog",
        description=hsds_import.__doc__.splitlines()[0],
        epilog=(
            "Exit status: 0 added (or nothing new), 1 a service cannot become a valid listing "
            "or the catalog is invalid, 2 usage or I/O error, or a file that is not JSON."
        ),
    )
    hsds_import.add_arguments(parser)
    parser.set_defaults(run=hsds_import.run)
