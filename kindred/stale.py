"""Which listings are due for an editor's check: ``kindred stale``, and the site's notice.

This is the one place that decides staleness. A listing is stale when its ``last_verified``
date is more than ``days`` days ago; a listing never verified is reported separately, since
nobody has confirmed it at all (and the real catalog records no dates yet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kindred.catalog import load_catalog
from kindred.model import Group
from kindred.table import format_table

DEFAULT_DAYS = 180
RECENT, STALE, NEVER = "recent", "stale", "never"
EXIT_OK, EXIT_USAGE = 0, 2


def verification_status(group: Group, today: dt.date, days: int = DEFAULT_DAYS) -> str:
    """'recent', 'stale' (last verified more than ``days`` days before today) or 'never'."""
    if group.last_verified is None:
        return NEVER
    return STALE if (today - group.last_verified).days > days else RECENT


def is_stale(group: Group, today: dt.date, days: int = DEFAULT_DAYS) -> bool:
    return verification_status(group, today, days) == STALE


@dataclass(frozen=True, slots=True)
class StaleReport:
    """Stale listings, oldest verification first, then those never verified, oldest added first
    (the longest without anyone looking)."""

    today: dt.date
    days: int
    stale: tuple[Group, ...]
    never: tuple[Group, ...]


def stale_report(groups: Sequence[Group], today: dt.date, days: int = DEFAULT_DAYS) -> StaleReport:
    stale = [group for group in groups if is_stale(group, today, days)]
    never = [group for group in groups if group.last_verified is None]
    return StaleReport(
        today,
        days,
        tuple(sorted(stale, key=lambda g: (g.last_verified, g.id))),
        tuple(sorted(never, key=lambda g: (g.added, g.id))),
    )


def format_report(report: StaleReport) -> str:
    lines = []
    if report.stale:
        lines.append(f"Last verified more than {report.days} days ago ({len(report.stale)}):")
        rows = [
            (g.id, g.last_verified, (report.today - g.last_verified).days, g.name)  # type: ignore[operator]
            for g in report.stale
        ]
        lines += [format_table(("id", "last verified", "days ago", "name"), rows), ""]
    else:
        lines += [f"No listing was last verified more than {report.days} days ago.", ""]
    if report.never:
        lines.append(f"Never verified ({len(report.never)}):")
        rows = [(g.id, g.added, g.name) for g in report.never]
        lines += [format_table(("id", "added", "name"), rows), ""]
    else:
        lines += ["Every listing has been verified at least once.", ""]
    lines.append(
        f"{len(report.stale)} stale (older than {report.days} days), "
        f"{len(report.never)} never verified."
    )
    return "\n".join(lines)


def report_json(report: StaleReport) -> str:
    data = {
        "today": report.today.isoformat(),
        "days": report.days,
        "stale": [
            {
                "id": g.id,
                "name": g.name,
                "url": g.url,
                "last_verified": g.last_verified.isoformat(),  # type: ignore[union-attr]
                "days_since": (report.today - g.last_verified).days,  # type: ignore[operator]
            }
            for g in report.stale
        ],
        "never_verified": [
            {"id": g.id, "name": g.name, "url": g.url, "added": g.added.isoformat()}
            for g in report.never
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    """``kindred stale``: a report, so it exits 0 whatever it finds (2 on usage or I/O errors)."""
    today = dt.date.today()
    catalog = load_catalog(args.path, args.taxonomy, today=today)
    report = stale_report(catalog.groups, today, args.days)
    print(format_report(report))
    if args.json is not None:
        try:
            Path(args.json).write_text(report_json(report), encoding="utf-8")
        except OSError as error:
            print(f"kindred: error: cannot write {args.json}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK
