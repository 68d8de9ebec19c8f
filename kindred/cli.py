"""The ``kindred`` command: validate the catalog, generate its JSON Schema, serve the site.

Exit codes scripts can rely on: 0 success, 1 invalid data, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kindred.catalog import DEFAULT_GROUPS, DEFAULT_TAXONOMY, load_catalog
from kindred.problems import CatalogError
from kindred.schema import schema_json
from kindred.taxonomy import load_taxonomy

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CatalogError as error:
        _print_problems(error)
        return EXIT_INVALID
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"kindred: error: cannot read{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kindred", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the catalog and report every problem")
    validate.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"listings file (default: {DEFAULT_GROUPS})",
    )
    _add_taxonomy_option(validate)
    validate.set_defaults(run=_validate)

    schema = commands.add_parser("schema", help="write the JSON Schema for the listings file")
    schema.add_argument(
        "-o", "--output", type=Path, help="write to this file instead of standard output"
    )
    schema.add_argument(
        "--check", action="store_true", help="exit 1 if the --output file is not up to date"
    )
    _add_taxonomy_option(schema)
    schema.set_defaults(run=_schema)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    serve.set_defaults(run=_serve)

    # Commands whose work lives in their own modules add themselves here.
    # (listing maintenance: check-links, stale)
    # (contributor workflow: new)
    return parser


def _add_taxonomy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=DEFAULT_TAXONOMY,
        help=f"taxonomy file (default: {DEFAULT_TAXONOMY})",
    )


def _validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.path, args.taxonomy)
    organizations = {group.organization for group in catalog.groups}
    print(
        f"{args.path}: {len(catalog.groups)} listings from {len(organizations)} organizations, "
        f"{len(catalog.taxonomy.facets)} facets: all valid."
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
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


def _serve(args: argparse.Namespace) -> int:
    from kindred.devserver import serve  # imports Pelican: only for this command

    return serve(args.settings, args.host, args.port)


def _print_problems(error: CatalogError) -> None:
    for problem in error.problems:
        print(problem)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in error.problems:
            print(problem.github_annotation())
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found.")


if __name__ == "__main__":
    sys.exit(main())
