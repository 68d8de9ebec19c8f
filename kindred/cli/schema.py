"""`kindred schema`: write the JSON Schema for the listings file, or for groups.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kindred.catalog.schema import schema_json
from kindred.catalog.taxonomy import load_taxonomy
from kindred.cli.arguments import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_taxonomy_argument
from kindred.opendata.listings_json import export_schema_json
from kindred.tools.writing import writing


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("schema", help="write the JSON Schema for the listings file")
    parser.add_argument(
        "-o", "--output", type=Path, help="write to this file instead of standard output"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the --output file is not up to date"
    )
    parser.add_argument(
        "--export",
        action="store_true",
        help="the schema of the groups.json download instead of data/groups.yaml's",
    )
    add_taxonomy_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    text = export_schema_json(taxonomy) if args.export else schema_json(taxonomy)
    if args.check:
        if args.output is None:
            print("kindred: error: --check needs --output FILE", file=sys.stderr)
            return EXIT_USAGE
        if args.output.read_text(encoding="utf-8") != text:
            again = "--export " if args.export else ""
            print(f"{args.output} is out of date; run: kindred schema {again}-o {args.output}")
            return EXIT_INVALID
        print(f"{args.output} is up to date.")
    elif args.output:
        with writing(args.output):
            args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK
