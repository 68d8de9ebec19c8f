"""`kindred serve`: build, serve on 127.0.0.1 and rebuild on changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from kindred.cli.arguments import port


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    parser.add_argument(
        "--port", type=port, default=8000, help="port to serve on, 0 for any free one"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kindred.site.devserver import serve  # imports Pelican: only for this command

    return serve(args.settings, args.host, args.port)
