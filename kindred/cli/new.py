"""`kindred new`: add a listing to the end of the catalog (the work is in
kindred.tools.new_listing)."""

from __future__ import annotations

import argparse

from kindred.tools import new_listing


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new",
        help="add a listing to the end of the catalog, by prompts or from options",
        description=new_listing.__doc__.splitlines()[0],
        epilog="Exit status: 0 added, 1 invalid answers or file (nothing written), 2 usage.",
    )
    new_listing.add_arguments(parser)
    parser.set_defaults(run=new_listing.run)
