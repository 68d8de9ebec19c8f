"""``kindred stale``: the report of listings due for an editor's check (the rule itself is in
kindred.catalog.staleness)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from kindred.catalog import load_catalog
from kindred.catalog.model import Group
from kindred.catalog.staleness import StaleReport, stale_report
from kindred.tools.table import format_table

EXIT_OK, EXIT_USAGE = 0, 2


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


# The facts an editor re-checks on the group's own site, besides its address and how to join.
CHECKED_FIELDS = ("how_to_join", "cost_note", "funding_note", "eligibility", "minimum_age")
CHECKED_FIELDS += ("maximum_age", "safety_note")


def facts_to_check(group: Group) -> dict[str, object]:
    """What the listing claims, as the editor will compare it with the group's site: every
    facet's values and every checked field it has."""
    assert group.taxonomy is not None
    facts: dict[str, object] = {f.field: list(group.slugs(f.key)) for f in group.taxonomy.facets}
    for name in CHECKED_FIELDS:
        if getattr(group, name) is not None:
            facts[name] = getattr(group, name)
    return facts


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
                "to_check": facts_to_check(g),
            }
            for g in report.stale
        ],
        "never_verified": [
            {
                "id": g.id,
                "name": g.name,
                "url": g.url,
                "added": g.added.isoformat(),
                "to_check": facts_to_check(g),
            }
            for g in report.never
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    """``kindred stale``: a report, so it exits 0 whatever it finds (2 on usage or I/O errors)."""
    today = dt.date.today()  # ages count from here; dates are checked as everywhere else
    catalog = load_catalog(args.path, args.taxonomy)
    report = stale_report(catalog.groups, today, args.days)
    print(format_report(report))
    if args.json is not None:
        try:
            Path(args.json).write_text(report_json(report), encoding="utf-8")
        except OSError as error:
            print(f"kindred: error: cannot write {args.json}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK
