"""The facts people choose a group by: what its card shows and its page leads with.

Which facets they are is the taxonomy's to say (the `card` role, and on printed cards the
`handout` role too); a language facet counts only when the group speaks more than the site's
own language; age limits come last. Worked out here once per group rather than by a template
macro walking every facet: cards and group pages need them for every group, and the macro
made up a tenth of a large build.
"""

from __future__ import annotations

from dataclasses import dataclass

from kindred.catalog.model import Group


@dataclass(frozen=True, slots=True)
class Fact:
    css_class: str  # card__fact (always shown) or print-only, and handout-fact when printed
    label: str
    text: str


def decision_facts(group: Group, language: str, handout: bool = False) -> list[Fact]:
    """The facts of ``group`` in taxonomy order; with ``handout``, the print-only ones too.
    ``language`` is the site's own."""
    assert group.taxonomy is not None
    facts = []
    for facet in group.taxonomy.facets:
        roles = facet.roles
        if not (roles.card or (handout and roles.handout)):
            continue
        values = group.values(facet.key)
        if roles.language and [value.slug for value in values] == [language]:
            continue
        css_class = "card__fact" if roles.card else "print-only"
        if roles.handout:
            css_class += " handout-fact"
        facts.append(Fact(css_class, facet.label, ", ".join(value.label for value in values)))
    ages = age_range(group.minimum_age, group.maximum_age)
    if ages:
        facts.append(Fact("card__fact", "Ages", ages))
    return facts


def age_range(minimum: int | None, maximum: int | None) -> str:
    """Age limits in words ("16 and over", "up to 25", "18 to 30"); "" when there are none."""
    if minimum is None and maximum is None:
        return ""
    if maximum is None:
        return f"{minimum} and over"
    if minimum is None:
        return f"up to {maximum}"
    return f"{minimum} to {maximum}"
