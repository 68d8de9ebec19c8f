"""Which listings are due for an editor's check: the rule behind ``kindred stale`` and the
site's notice.

This is the one place that decides staleness. A listing is stale when its ``last_verified``
date is more than ``days`` days ago; a listing never verified is reported separately, since
nobody has confirmed it at all (and the real catalog records no dates yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kindred.catalog.model import Group

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
