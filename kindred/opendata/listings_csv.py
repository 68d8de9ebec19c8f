"""groups.csv: one row per listing, one column per field, for spreadsheets.

RFC 4180: comma-separated, fields quoted when they hold a comma, quote or line break, lines
ending CRLF, a header row of field names. UTF-8 with a byte-order mark: without it Excel reads
the file as the local legacy encoding and "español" arrives as "espaÃ±ol"; with it Excel,
LibreOffice, Numbers and Google Sheets all open it with every character intact, and CSV readers
that expect plain UTF-8 (Python's "utf-8-sig", R, pandas) skip the mark.

A facet with several values is one cell, its slugs joined with "; ". A text cell that starts
with =, +, - or @ would be run as a formula by a spreadsheet: it gets a leading apostrophe so
it is shown as text (groups.json has every value exactly).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kindred.catalog import Catalog
from kindred.catalog.model import field_order

CSV_PATH = "data/groups.csv"
SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def groups_csv(catalog: Catalog, records: list[dict[str, Any]]) -> bytes:
    """The file; ``records`` are the catalog's listing records."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    names = field_order(catalog.taxonomy)
    writer.writerow(names)
    writer.writerows([cell(record[name]) for name in names] for record in records)
    return out.getvalue().encode("utf-8-sig")


def cell(value: object) -> str:
    """A value as spreadsheet text: lists joined, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
