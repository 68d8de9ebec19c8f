"""Plain-text tables for command output: aligned columns, readable in a terminal and a CI log."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces; None shows as an empty cell.

    The last column is not padded, so a long note or URL at the end of a row leaves no
    trailing spaces behind it.
    """
    cells = [[str(h) for h in headers]]
    cells += [
        ["" if value is None else " ".join(str(value).split()) for value in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths[:-1], strict=True)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return "\n".join(lines)
