"""`kindred forms`: write the suggest-a-group issue form and CONTRIBUTING.md's field reference."""

from __future__ import annotations

import argparse

from kindred.tools import forms


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "forms",
        help="write the suggest-a-group issue form and CONTRIBUTING.md's field reference",
        description=forms.__doc__.splitlines()[0],
    )
    forms.add_arguments(parser)
    parser.set_defaults(run=forms.run)
