"""`kindred check-links`: check that every listing's web address still works (the work is in
kindred.tools.links and kindred.tools.link_report)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kindred.cli.arguments import add_catalog_arguments, seconds, whole_number
from kindred.tools import link_report, links


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
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
    add_catalog_arguments(parser)
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="write a Markdown report of the problems"
    )
    parser.add_argument(
        "--timeout",
        type=seconds(links.MAX_TIMEOUT, zero_allowed=False),
        default=links.DEFAULT_TIMEOUT,
        help=(
            "seconds for each attempt at an address, redirects included, at most "
            f"{links.MAX_TIMEOUT:g} (default: %(default)g)"
        ),
    )
    parser.add_argument(
        "--retries",
        type=whole_number(0, links.MAX_RETRIES),
        default=links.DEFAULT_RETRIES,
        help=(
            f"retries after a timeout, connection error or 5xx, at most {links.MAX_RETRIES} "
            "(default: %(default)d)"
        ),
    )
    parser.add_argument(
        "--backoff",
        type=seconds(links.MAX_BACKOFF, zero_allowed=True),
        default=links.DEFAULT_BACKOFF,
        help=(
            f"seconds before the first retry, doubling each time, at most {links.MAX_BACKOFF:g} "
            "(default: %(default)g)"
        ),
    )
    parser.add_argument(
        "--concurrency",
        type=whole_number(1, links.MAX_CONCURRENCY),
        default=links.DEFAULT_CONCURRENCY,
        help=f"addresses checked at once, at most {links.MAX_CONCURRENCY} (default: %(default)d)",
    )
    parser.set_defaults(run=link_report.run)
