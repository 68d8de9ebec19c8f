"""The kindred command: validate the catalog, generate its JSON Schema, serve the site.

Exit codes scripts can rely on: 0 success, 1 invalid data, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kindred import forms, link_report, links, new_listing, stale
from kindred.catalog import DEFAULT_GROUPS, DEFAULT_TAXONOMY, load_catalog
from kindred.problems import CatalogError
from kindred.schema import schema_json
from kindred.taxonomy import load_taxonomy

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
MAX_STALE_DAYS = 3650  # ten years; anything longer is surely a typing mistake


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
            f"is refused), up to {links.MAX_REDIRECTS} redirects followed, retries with "
            "backoff for timeouts, "
            "connection errors and 5xx (after the server's Retry-After, when it is short). "
            "Only public http(s) hosts are contacted: an address or redirect leading to a "
            "loopback, private or link-local address is reported as blocked. Each listing's "
            "check ends within (retries + 1) x timeout plus the backoff pauses. Prints a "
            "table; progress goes to standard error."
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
        type=_seconds(links.MAX_TIMEOUT, zero_allowed=False),
        default=links.DEFAULT_TIMEOUT,
        help=(
            "seconds for each attempt at an address, redirects included, at most "
            f"{links.MAX_TIMEOUT:g} (default: %(default)g)"
        ),
    )
    check.add_argument(
        "--retries",
        type=_whole_number(0, links.MAX_RETRIES),
        default=links.DEFAULT_RETRIES,
        help=(
            f"retries after a timeout, connection error or 5xx, at most {links.MAX_RETRIES} "
            "(default: %(default)d)"
        ),
    )
    check.add_argument(
        "--backoff",
        type=_seconds(links.MAX_BACKOFF, zero_allowed=True),
        default=links.DEFAULT_BACKOFF,
        help=(
            f"seconds before the first retry, doubling each time, at most {links.MAX_BACKOFF:g} "
            "(default: %(default)g)"
        ),
    )
    check.add_argument(
        "--concurrency",
        type=_whole_number(1, links.MAX_CONCURRENCY),
        default=links.DEFAULT_CONCURRENCY,
        help=f"addresses checked at once, at most {links.MAX_CONCURRENCY} (default: %(default)d)",
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
        type=_whole_number(0, MAX_STALE_DAYS),
        default=stale.DEFAULT_DAYS,
        help=(
            "stale when last verified more than this many days ago, at most "
            f"{MAX_STALE_DAYS} (default: %(default)d)"
        ),
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


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from low to high, or a message giving that range."""

    def parse(text: str) -> int:
        digits = text.strip()
        # ASCII digits, and few: int() would also read '٣', or a number of 4,000 digits.
        ascii_digits = digits.isascii() and digits.isdigit() and len(digits) <= 9
        if not (ascii_digits and low <= int(digits) <= high):
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}, not '{text}'"
            )
        return int(digits)

    return parse


def _seconds(high: float, zero_allowed: bool) -> Callable[[str], float]:
    """An argparse type: seconds (fractions allowed) up to high, or a message giving the range."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan  # fails both comparisons below, as does a NaN given as such
        above_low = value >= 0 if zero_allowed else value > 0
        if not (above_low and value <= high):
            allowed = f"from 0 to {high:g}" if zero_allowed else f"more than 0 and at most {high:g}"
            raise argparse.ArgumentTypeError(f"expected seconds {allowed}, not '{text}'")
        return value

    return parse


_port = _whole_number(0, 65535)  # a TCP port; 0 asks for any free one


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
