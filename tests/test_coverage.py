"""The catalog covers people's needs in balance. These are the editorial rules of
CONTRIBUTING.md, checked on the real data: every number below is a rule, never a count of
what the catalog happens to hold."""

from __future__ import annotations

from collections import Counter

from pelican.settings import read_settings

from kindred.catalog import Catalog
from tests.conftest import ROOT

MIN_PER_CONDITION = 5  # someone who arrives with a need finds a real choice
MIN_PER_VALUE = 3  # a filter value nobody uses is removed, not offered
MIN_OTHER_LANGUAGE_LISTINGS = 40
MIN_OTHER_LANGUAGES = 6
MAX_FAMILY_SHARE = 0.25  # no one family of needs crowds out the rest


def _counts(catalog: Catalog, key: str) -> dict[str, int]:
    return {slug: len(groups) for slug, groups in catalog.by_value[key].items()}


def test_every_condition_has_a_real_choice(catalog: Catalog) -> None:
    facet = catalog.taxonomy.with_role("similar")[0]  # the facet of needs (conditions)
    counts = _counts(catalog, facet.key)
    assert {slug: n for slug, n in counts.items() if n < MIN_PER_CONDITION} == {}


def test_every_value_of_every_facet_is_used(catalog: Catalog) -> None:
    thin = {
        f"{facet.key}={slug}": n
        for facet in catalog.taxonomy.facets
        for slug, n in _counts(catalog, facet.key).items()
        if n < MIN_PER_VALUE
    }
    assert thin == {}


def test_listings_in_other_languages_with_regions_to_match(catalog: Catalog) -> None:
    language = catalog.taxonomy.with_role("language")[0]
    site_language = read_settings(str(ROOT / "pelicanconf.py"))["DEFAULT_LANG"]
    other = [g for g in catalog.groups if set(g.slugs(language.key)) - {site_language}]
    languages = Counter(s for g in other for s in g.slugs(language.key) if s != site_language)
    assert len(other) >= MIN_OTHER_LANGUAGE_LISTINGS
    assert len([s for s, n in languages.items() if n >= MIN_PER_VALUE]) >= MIN_OTHER_LANGUAGES
    # Groups held only in another language say where they are open.
    location = catalog.taxonomy.location()
    assert all(g.slugs(location.key) for g in other)


def test_no_family_of_needs_crowds_out_the_rest(catalog: Catalog) -> None:
    facet = catalog.taxonomy.with_role("similar")[0]
    family_of = {value.slug: value.family for value in facet.values}
    assert all(family_of.values()), "every condition belongs to a family"
    per_family = Counter(
        family
        for group in catalog.groups
        for family in {family_of[slug] for slug in group.slugs(facet.key)}
    )
    share = {family: n / len(catalog.groups) for family, n in per_family.items()}
    assert {f: round(s, 3) for f, s in share.items() if s > MAX_FAMILY_SHARE} == {}
