"""The kindred command: validate, serve and look after the catalog of support groups.

Each command is a module here with a register() that adds its own arguments (the shared ones
are in kindred.cli.arguments). Exit codes scripts can rely on: 0 success, 1 invalid data, 2
usage or I/O error.
"""

from __future__ import annotations

import argparse
import os
import select
import stat
import sys
from collections.abc import Sequence

from kindred.catalog.problems import CatalogError
from kindred.cli import (
    check_links,
    export,
    forms,
    import_,
    new,
    schema,
    serve,
    stale,
    validate,
)
from kindred.cli.arguments import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from kindred.tools.writing import WriteFailed

COMMANDS = (validate, schema, serve, check_links, stale, new, forms, export, import_)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CatalogError as error:
        _print_problems(error)
        return EXIT_INVALID
    except WriteFailed as error:
        print(f"kindred: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError as error:
        if not _reader_gone():
            print(f"kindred: error: {error.strerror or error}", file=sys.stderr)
            return EXIT_USAGE
        # The reader of the output stopped early (`kindred stale | head`): not a mistake.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush
        return EXIT_OK
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"kindred: error: cannot read{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reading end has been closed."""
    try:
        if not stat.S_ISFIFO(os.fstat(sys.stdout.fileno()).st_mode):
            return False
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLERR)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kindred", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return top


def _print_problems(error: CatalogError) -> None:
    for problem in error.problems:
        print(problem)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in error.problems:
            print(problem.github_annotation())
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found.")
