"""The kindred command: validate the catalog, generate its JSON Schema, serve the site.

Exit codes scripts can rely on: 0 success, 1 invalid data, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kindred import forms, link_report, links, new_listing, stale
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
    serve.add_argument(
        "--port", type=_port, default=8000, help="port to serve on, 0 for any free one"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    serve.set_defaults(run=_serve)

    # Commands whose work lives in their own modules add themselves here.
    check = commands.add_parser(
        "check-links",
        help="check that every listing's web address still works",
        description=(
            "Check every listing's web address, several at once: HEAD first (GET where HEAD "
            "is refused), redirects followed, retries with backoff for timeouts, connection "
            "errors and 5xx. Prints a table; progress goes to standard error."
        ),
        epilog=(
            "Exit status: 0 when nothing is definitely broken, 1 when a listing is gone "
            "(404/410) or its host name does not resolve (or the catalog is invalid), 2 on "
            "usage or I/O errors. Timeouts, "
            "server errors, TLS errors and redirects are reported but do not by themselves "
            "fail the run: they are often temporary."
        ),
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"listings file (default: {DEFAULT_GROUPS})",
    )
    _add_taxonomy_option(check)
    check.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    check.add_argument(
        "--markdown", type=Path, metavar="FILE", help="write a Markdown report of the problems"
    )
    check.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=links.DEFAULT_TIMEOUT,
        help="seconds to wait for each request (default: %(default)g)",
    )
    check.add_argument(
        "--retries",
        type=_count,
        default=links.DEFAULT_RETRIES,
        help="retries after a timeout, connection error or 5xx (default: %(default)d)",
    )
    check.add_argument(
        "--backoff",
        type=_seconds,
        default=links.DEFAULT_BACKOFF,
        help="seconds before the first retry, doubling each time (default: %(default)g)",
    )
    check.add_argument(
        "--concurrency",
        type=_positive_count,
        default=links.DEFAULT_CONCURRENCY,
        help="addresses checked at once (default: %(default)d)",
    )
    check.set_defaults(run=link_report.run)

    stale_cmd = commands.add_parser(
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
    stale_cmd.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"listings file (default: {DEFAULT_GROUPS})",
    )
    _add_taxonomy_option(stale_cmd)
    stale_cmd.add_argument(
        "--days",
        type=_count,
        default=stale.DEFAULT_DAYS,
        help="stale when last verified more than this many days ago (default: %(default)d)",
    )
    stale_cmd.add_argument("--json", type=Path, metavar="FILE", help="write the report as JSON")
    stale_cmd.set_defaults(run=stale.run)

    new = commands.add_parser(
        "new",
        help="add a listing to the end of the catalog, by prompts or from options",
        description=new_listing.__doc__.splitlines()[0],
        epilog="Exit status: 0 added, 1 invalid answers or file (nothing written), 2 usage.",
    )
    new_listing.add_arguments(new)
    new.set_defaults(run=new_listing.run)

    forms_cmd = commands.add_parser(
        "forms",
        help="write the suggest-a-group issue form and CONTRIBUTING.md's field reference",
        description=forms.__doc__.splitlines()[0],
    )
    forms.add_arguments(forms_cmd)
    forms_cmd.set_defaults(run=forms.run)
    return parser


def _add_taxonomy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=DEFAULT_TAXONOMY,
        help=f"taxonomy file (default: {DEFAULT_TAXONOMY})",
    )


def _count(text: str) -> int:
    """A whole number, 0 or more, for argparse."""
    value = int(text) if text.strip().isdigit() else -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not '{text}'")
    return value


def _positive_count(text: str) -> int:
    value = _count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return value


def _port(text: str) -> int:
    """A TCP port number, 0 to 65535, for argparse."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 5 and int(digits) <= 65535):
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, not '{text}'")
    return int(digits)


def _seconds(text: str) -> float:
    """A number of seconds, 0 or more (fractions allowed), for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not '{text}'")
    return value


def _positive_seconds(text: str) -> float:
    value = _seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected more than 0 seconds")
    return value


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
