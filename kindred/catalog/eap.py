"""An employer's Employee Assistance Programme (EAP): the one set of rules for its contact,
whether it comes from the settings (KINDRED_EAP) or from an organisation's overlay."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kindred.catalog.phones import number_in

EAP_FIELDS = ("name", "phone", "url", "hours", "note")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{1,20}[0-9]$")


def field_problem(field: str, text: str) -> str | None:
    """What is wrong with one field of the EAP's contact, or None."""
    if field == "phone" and not PHONE.match(text):
        return "'phone' must be a phone number: digits, spaces and hyphens"
    number = number_in(text) if field in ("hours", "note") else None
    if number:
        return (
            f"'{field}' holds the number '{number}': put the number to call in 'phone', "
            "so staff can tap it"
        )
    return None


def missing_problems(found: Mapping[str, str]) -> list[str]:
    """What the contact lacks: a name, and a way to reach it."""
    problems = []
    if not found.get("name"):
        problems.append("'eap' needs a 'name': what staff call the programme")
    if not (found.get("phone") or found.get("url")):
        problems.append("'eap' needs a 'phone' or a 'url', so staff can reach it")
    return problems
