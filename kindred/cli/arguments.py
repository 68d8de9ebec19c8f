"""What the commands share: exit codes, the catalog arguments and checked option types."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

from kindred.catalog import DEFAULT_GROUPS, DEFAULT_TAXONOMY

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_catalog_arguments(parser: argparse.ArgumentParser) -> None:
    """The listings file (an optional first argument) and --taxonomy."""
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_GROUPS,
        help=f"listings file (default: {DEFAULT_GROUPS})",
    )
    add_taxonomy_argument(parser)


def add_taxonomy_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=DEFAULT_TAXONOMY,
        help=f"taxonomy file (default: {DEFAULT_TAXONOMY})",
    )


def whole_number(low: int, high: int) -> Callable[[str], int]:
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


def seconds(high: float, zero_allowed: bool) -> Callable[[str], float]:
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


port = whole_number(0, 65535)  # a TCP port; 0 asks for any free one
