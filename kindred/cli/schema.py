"""`kindred schema`: write the JSON Schema for the listings file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kindred.catalog.schema import schema_json
from kindred.catalog.taxonomy import load_taxonomy
from kindred.cli.arguments import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_taxonomy_argument


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("schema", help="write the JSON Schema for the listings file")
    parser.add_argument(
        "-o", "--output", type=Path, help="write to this file instead of standard output"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the --output file is not up to date"
    )
    add_taxonomy_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = schema_json(load_taxonomy(args.taxonomy))
    if args.check:
        if args.output is None:
            print("kindred: error: --check needs --output FILE", file=sys.stderr)
            return EXIT_USAGE
        if args.output.read_text(encoding="utf-8") != text:
            print(f"{args.output} is out of date; run: kindred schema -o {args.output}")
            return EXIT_INVALID
        print(f"{args.output} is up to date.")
    elif args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK
