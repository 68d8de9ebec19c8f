"""Phone numbers written in running text (notes, hours), which no one could tap: the data
files keep numbers in their own fields, where they become links."""

from __future__ import annotations

import re

# A phone number in running text, which would not become a link a person can tap: five
# digits or more (spaces or hyphens between), or a short number right after a word for
# calling ("or call 999"). Times ("08:00-23:00", "0900-1700"), ages ("11-18") and years are
# not numbers to call.
NUMBER_IN_TEXT = re.compile(
    r"\b(?:call|text|dial|ring|phone)\s+(?P<after>[0-9](?:[ -]?[0-9]){2,})"
    r"|(?<![0-9:])(?P<long>[0-9](?:[ -]?[0-9]){4,})(?![0-9:])",
    re.IGNORECASE,
)


# Four digits, a hyphen and four more, rising: hours ("0900-1700") or years ("2019-2024"),
# where a number to call ("0800-0113") need not rise.
_RANGE = re.compile(r"([0-9]{4})-([0-9]{4})")


def number_in(text: str) -> str | None:
    """The first phone number written in ``text``, if any."""
    for found in NUMBER_IN_TEXT.finditer(text):
        number = found.group("after") or found.group("long")
        span = _RANGE.fullmatch(number)
        if not (span and int(span.group(2)) > int(span.group(1))):
            return number
    return None
