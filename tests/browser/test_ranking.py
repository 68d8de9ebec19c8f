"""Ranking, each case in a catalog of two groups made for it (two_groups): which of two
groups the same words put first, when a value is named inside a longer name, includes
another, is also for another kind of need, or is in the reader's language, and for partial
matches. Apart from test_search.py, which searches the real built site, so that the suite's
workers share the work (a test file per worker)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.taxonomy import normalise_term
from tests.browser.conftest import Site
from tests.browser.test_directory import result_ids, wait_for_results
from tests.conftest import GROUPS, TAXONOMY
from tests.site_helpers import build_site


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


def single_word_term(facet, skip_first: bool = True) -> tuple:
    """A value of ``facet`` (not its first, which two_groups gives every group) and one of its
    search terms of a single word."""
    return next(
        (v, normalise_term(t))
        for v in facet.values[1 if skip_first else 0 :]
        for t in v.search_terms
        if " " not in normalise_term(t) and len(t) > 3
    )


def test_a_word_for_who_it_is_for_ranks_a_needs_groups_and_does_not_narrow_them(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """In "my brother killed himself" the loss is what the person needs: a word naming a
    value of a refining facet (here who a group is for) puts the groups with it first and
    keeps the others that the words naming a need find. With no need among the words
    ("lgbtq uk"), it narrows as every word does."""
    taxonomy = catalog.taxonomy
    refining = taxonomy.with_role("refines")[0]
    inner = single_word_term(refining)
    need = next(f for f in taxonomy.with_role("similar") if not f.roles.refines)
    outer = single_word_term(need)
    other = next(
        f for f in taxonomy.with_role("filter") if not f.roles.similar and not f.roles.refines
    )
    shared = (other.values[0], normalise_term(other.values[0].label).split()[0])
    values = [
        {need.key: [outer[0].slug]},
        {need.key: [outer[0].slug], refining.key: [inner[0].slug]},
    ]
    groups = two_groups(tmp_path, taxonomy, values, [CALM, CALM])
    served = Site(build_site(tmp_path / "output", groups=groups))
    try:
        page = browser.new_page()
        query = f"{inner[1]} {outer[1]}"
        page.goto(f"{served.url}/groups/?q={quote(query)}")
        wait_for_results(page)
        assert result_ids(page) == ["group-1", "group-0"], query
        expect(page.locator("#finder-count")).to_have_text(
            f"2 groups match for \u201c{query}\u201d."
        )
        query = f"{inner[1]} {shared[1]}"  # no need named: the word for whom narrows
        page.goto(f"{served.url}/groups/?q={quote(query)}")
        wait_for_results(page)
        assert result_ids(page)[0] == "group-1", query  # the one matching every word, then
        expect(page.locator("#finder-count")).to_contain_text("match some of the words")
        page.close()
    finally:
        served.stop()


@pytest.mark.parametrize("reads", [0, 1])
def test_groups_in_the_readers_language_come_first(
    browser: Browser, tmp_path: Path, catalog: Catalog, reads: int
) -> None:
    """Of two groups that answer the words as well, the one in the language the browser says
    its reader reads comes first, whichever sorts first by name."""
    taxonomy = catalog.taxonomy
    facet = next(f for f in taxonomy.facets if f.roles.language)
    codes = [facet.values[0].slug, facet.values[1].slug]
    values = [{facet.key: [codes[0]]}, {facet.key: [codes[1]]}]
    groups = two_groups(tmp_path, taxonomy, values, [CALM, CALM])
    served = Site(build_site(tmp_path / "output", groups=groups))
    context = browser.new_context(locale=f"{codes[reads]}-XX")
    try:
        page = context.new_page()
        page.goto(f"{served.url}/groups/?q=calm")
        wait_for_results(page)
        assert result_ids(page)[0] == f"group-{reads}", codes[reads]
    finally:
        context.close()
        served.stop()


def phrase_naming_two_values(taxonomy) -> tuple[str, tuple[str, str], tuple[str, str]]:
    """A name of several words for one filter value (outer) with a word that alone names a
    value of a refining facet (inner), as the finder reads terms (the last value to claim a
    term wins); the word only a search term, as group pages index their values' names (and
    Pagefind finds a word by its start) but not their search terms."""
    named: dict[str, tuple[str, str]] = {}
    refining = {facet.key for facet in taxonomy.with_role("refines")}
    indexed: set[str] = set()
    for facet in taxonomy.with_role("filter"):
        for value in facet.values:
            for term in [value.label, *value.other_names, *value.search_terms]:
                named[normalise_term(term)] = (facet.key, value.slug)
            for name in [value.label, *value.other_names]:
                indexed.update(normalise_term(name).split())
    for term, outer in named.items():
        for word in term.split():
            inner = named.get(word)
            if (
                inner
                and inner[0] in refining - {outer[0]}
                and len(term.split()) > 1
                and not any(other.startswith(word) for other in indexed)
            ):
                return term, outer, inner
    raise AssertionError("no name of several words holds the name of another value")


CALM = "A calm circle of fellows who meet to talk and listen to each other."


def two_groups(
    folder: Path, taxonomy, values: list[dict[str, list[str]]], descriptions: list[str]
) -> Path:
    """A catalog of two groups, "Alpha Harbour" (group-0) and "Beta Harbour" (group-1), with
    the facet values given for each and, for every other facet, its first value."""
    listings = []
    for number, (name, chosen) in enumerate(zip(["Alpha", "Beta"], values, strict=True)):
        lines = [
            f"- id: group-{number}",
            f"  name: {name} Harbour",
            "  organization: Harbour Network",
            f"  url: https://example-{number}.org/",
            f"  description: {descriptions[number]}",
            "  how_to_join: Write to the organisers and they will send a link.",
        ]
        for facet in taxonomy.facets:
            slugs = chosen.get(facet.key, [facet.values[0].slug])
            written = f"[{', '.join(slugs)}]" if facet.multiple else slugs[0]
            lines.append(f"  {facet.field}: {written}")
        lines.append("  added: 2026-01-05")
        listings.append("\n".join(lines))
    groups = folder / "groups.yaml"
    groups.write_text("\n\n".join(listings) + "\n", encoding="utf-8")
    return groups


def results_for(browser: Browser, folder: Path, groups: Path, query: str) -> list[str]:
    served = Site(build_site(folder / "output", groups=groups))
    try:
        page = browser.new_page()
        page.goto(f"{served.url}/groups/?q={quote(query)}")
        wait_for_results(page)
        found = result_ids(page)
        page.close()
        return found
    finally:
        served.stop()


def test_a_value_named_inside_a_longer_name_ranks_its_groups_first(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "son died" names grief and loss; "son" alone names parents. Of two grief groups whose
    pages hold neither word, the one for parents comes first, though its name sorts last."""
    taxonomy = catalog.taxonomy
    phrase, outer, inner = phrase_naming_two_values(taxonomy)
    facet = taxonomy.facet(inner[0])
    other = next(v.slug for v in facet.values if v.slug != inner[1])
    values = [
        {outer[0]: [outer[1]], inner[0]: [other]},
        {outer[0]: [outer[1]], inner[0]: [inner[1]]},
    ]
    groups = two_groups(tmp_path, taxonomy, values, [CALM, CALM])
    small = load_catalog(groups, TAXONOMY)
    assert [g.id for g in small.groups_matching(*outer)] == ["group-0", "group-1"]
    assert [g.id for g in small.groups_matching(*inner)] == ["group-1"]
    assert results_for(browser, tmp_path, groups, phrase) == ["group-1", "group-0"], phrase


def indexed_words(taxonomy) -> set[str]:
    """Every word of the names of every value: what group pages give the search index."""
    return {
        word
        for facet in taxonomy.with_role("filter")
        for value in facet.values
        for name in [value.label, *value.other_names]
        for word in normalise_term(name).split()
    }


def unindexed_terms(taxonomy) -> dict[tuple[str, str], str]:
    """(facet key, slug) -> a search term of one word that names that value and that no group
    page can hold: the pages index the names of a group's values, and Pagefind finds a word by
    its start, so no name may start with it. Groups are then found by their values alone."""
    indexed = indexed_words(taxonomy)
    terms = {}
    for facet in taxonomy.with_role("filter"):
        for value in facet.values:
            for term in value.search_terms:
                word = normalise_term(term)
                unseen = not any(other.startswith(word) for other in indexed)
                if " " not in word and len(word) > 3 and unseen:
                    terms[(facet.key, value.slug)] = word
                    break
    return terms


def unfound_term(taxonomy, facet) -> tuple:
    """A value of ``facet`` (not its first, which two_groups gives every group) and a search
    term of one word naming it that no page can match: not even a word of the same stem
    ("drugs": "drug addiction"), so groups are found by their values alone."""
    terms = unindexed_terms(taxonomy)
    indexed = indexed_words(taxonomy)
    return next(
        (v, terms[(facet.key, v.slug)])
        for v in facet.values[1:]
        if (facet.key, v.slug) in terms
        and not any(other[:3] == terms[(facet.key, v.slug)][:3] for other in indexed)
    )


def test_a_value_named_ranks_its_own_groups_before_those_of_a_value_it_includes(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "My mum died" names grief and loss, which includes the loss of a baby: of two groups
    for grief whose pages match the words equally, the one that is also for the loss of a
    baby comes second, though it sorts first. Checked for the first value of each facet that
    includes another and has a search term no page holds (here grief, and a country, which
    includes the groups open anywhere): one group of the pair has both values where a group
    may have several, the included one alone otherwise."""
    taxonomy = catalog.taxonomy
    terms = unindexed_terms(taxonomy)
    cases = []  # (facet, the value named, a value it includes)
    for facet in taxonomy.with_role("filter"):
        for value in facet.values:
            included = [v for v in facet.included(value.slug) if (facet.key, v.slug) in terms]
            if (facet.key, value.slug) in terms and included:
                cases.append((facet, value, included[0]))
                break
    assert cases, "no value that includes another has a search term only the finder reads"
    values: list[dict[str, list[str]]] = [{}, {}]
    for facet, value, included in cases:
        values[0][facet.key] = [value.slug, included.slug] if facet.multiple else [included.slug]
        values[1][facet.key] = [value.slug]
    groups = two_groups(tmp_path, taxonomy, values, [CALM, CALM])
    small = load_catalog(groups, TAXONOMY)
    served = Site(build_site(tmp_path / "output", groups=groups))
    try:
        page = browser.new_page()
        for facet, value, _ in cases:
            assert [g.id for g in small.groups_matching(facet.key, value.slug)] == [
                "group-0",
                "group-1",
            ]
            query = terms[(facet.key, value.slug)]
            page.goto(f"{served.url}/groups/?q={quote(query)}")
            wait_for_results(page)
            assert result_ids(page) == ["group-1", "group-0"], query
        page.close()
    finally:
        served.stop()


def unfound_words(taxonomy, facet) -> tuple:
    """A value of ``facet`` (not its first) and two search terms of one word naming it alone
    in its facet that no page can match, as unfound_term gives one, and that have no alike
    words (which are searched too)."""
    indexed = indexed_words(taxonomy)
    named = Counter(normalise_term(t) for v in facet.values for t in v.search_terms)
    for value in facet.values[1:]:
        alike = {normalise_term(term) for same in value.alike for term in same}
        words = [
            word
            for word in dict.fromkeys(normalise_term(term) for term in value.search_terms)
            if " " not in word
            and len(word) > 3
            and named[word] == 1
            and word not in alike
            and not any(other.startswith(word) or other[:3] == word[:3] for other in indexed)
        ]
        if len(words) >= 2:
            return value, words[:2]
    raise AssertionError(f"no value of {facet.key} has two search terms no page holds")


@pytest.mark.parametrize("words", [1, 2])
def test_a_need_named_ranks_the_groups_about_it_alone_before_those_also_for_another_kind(
    browser: Browser, tmp_path: Path, catalog: Catalog, words: int
) -> None:
    """ "Anxiety": of two anxiety groups whose pages match the word equally, the one that is
    also for a need of another family (new mothers' mental health) comes second, though it
    sorts first. The same when two words name the need ("my mum died": "mum died" and
    "died"): the need is named once, not two needs that each group answers."""
    taxonomy = catalog.taxonomy
    need = taxonomy.with_role("similar")[0]
    family = {v.slug: v.family or v.slug for v in need.values}
    if words == 1:
        value, query = unfound_term(taxonomy, need)
    else:
        value, pair = unfound_words(taxonomy, need)
        query = " ".join(pair)
    other = next(
        v
        for v in need.values[1:]
        if family[v.slug] != family[value.slug] and v.slug not in value.includes
    )
    groups = two_groups(
        tmp_path,
        taxonomy,
        [{need.key: [value.slug, other.slug]}, {need.key: [value.slug]}],
        [CALM, CALM],
    )
    assert results_for(browser, tmp_path, groups, query) == ["group-1", "group-0"], query


def test_words_in_another_language_find_its_groups_for_the_need_they_name(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "Grupo de apoyo para el duelo": the words for a support group in Spanish name the
    language, and its small words ("para", "el") narrow nothing, as "for" and "the" do not. Of
    two groups for the need, the one in Spanish comes first, though its name sorts last."""
    taxonomy = catalog.taxonomy
    need = taxonomy.with_role("similar")[0]
    value, term = unfound_term(taxonomy, need)
    language = taxonomy.with_role("language")[0]
    spanish = next(v for v in language.values if "grupo de apoyo" in v.search_terms)
    assert language.values[0].slug != spanish.slug  # two_groups gives the first to group-0
    groups = two_groups(
        tmp_path,
        taxonomy,
        [{need.key: [value.slug]}, {need.key: [value.slug], language.key: [spanish.slug]}],
        [CALM, CALM],
    )
    query = f"grupo de apoyo para el {term}"
    assert results_for(browser, tmp_path, groups, query)[0] == "group-1", query


def test_words_written_in_another_language_rank_its_groups_first(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "Mein Mann trinkt zu viel": two words of one language alone (no other language has
    them, and they name nothing) say the reader reads it. Of two groups for the need the
    words name, the one in that language comes first, though its name sorts last and the
    browser asks for English; the two words narrow nothing. One such word does not do."""
    taxonomy = catalog.taxonomy
    need = taxonomy.with_role("similar")[0]
    value, term = unfound_term(taxonomy, need)
    language = taxonomy.with_role("language")[0]
    named = {normalise_term(name) for f in taxonomy.facets for v in f.values for name in v.names}
    owners = Counter(normalise_term(w) for v in language.values for w in v.query_words)
    written, words = next(
        (v, own[:2])
        for v in language.values[1:]
        if len(
            own := [
                w for w in map(normalise_term, v.query_words) if owners[w] == 1 and w not in named
            ]
        )
        >= 2
    )
    groups = two_groups(
        tmp_path,
        taxonomy,
        [{need.key: [value.slug]}, {need.key: [value.slug], language.key: [written.slug]}],
        [CALM, CALM],
    )
    query = f"{words[0]} {term} {words[1]}"
    assert results_for(browser, tmp_path, groups, query) == ["group-1", "group-0"], query
    # One such word is not enough: English has many of them too ("hay fever").
    query = f"{term} {words[0]}"
    assert results_for(browser, tmp_path, groups, query)[0] == "group-0", query


def test_of_partial_matches_the_groups_a_named_value_finds_come_first(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "Worried my husband might kill himself": no group matches both. The group for the need
    the words name comes before one whose page only has another of the words, though that
    page is the best match for its word and sorts first."""
    taxonomy = catalog.taxonomy
    need = taxonomy.with_role("similar")[0]
    value, term = unfound_term(taxonomy, need)
    word = "lighthouse"
    assert word not in indexed_words(taxonomy)
    groups = two_groups(
        tmp_path, taxonomy, [{}, {need.key: [value.slug]}], [f"{CALM} We meet at the {word}.", CALM]
    )
    small = load_catalog(groups, TAXONOMY)
    assert [g.id for g in small.groups_matching(need.key, value.slug)] == ["group-1"]
    query = f"{word} {term}"
    assert results_for(browser, tmp_path, groups, query) == ["group-1", "group-0"], query


def alike_words(taxonomy) -> tuple[tuple[str, str], str, str]:
    """A filter value with a set of alike words: one no group page indexes (nor a word it
    starts), and another of the same set, of one word."""
    indexed = indexed_words(taxonomy)
    for facet in taxonomy.with_role("filter"):
        for value in facet.values:
            for same in value.alike:
                words = [normalise_term(term) for term in same]
                for typed in words:
                    if any(word.startswith(typed) for word in indexed):
                        continue
                    other = next((w for w in words if " " not in w and typed not in w), None)
                    if other:
                        return (facet.key, value.slug), typed, other
    raise AssertionError("no set of alike words has one that only the taxonomy knows")


def test_a_word_finds_first_the_groups_whose_own_words_are_alike_to_it(
    browser: Browser, tmp_path: Path, catalog: Catalog
) -> None:
    """ "weed" is alike to "marijuana": of two groups for drug addiction, neither saying
    "weed", the one whose description says "marijuana" comes first, though it sorts last."""
    value, typed, alike = alike_words(catalog.taxonomy)
    values = [{value[0]: [value[1]]}] * 2
    groups = two_groups(
        tmp_path, catalog.taxonomy, values, [CALM, f"{CALM} We talk about {alike}."]
    )
    assert results_for(browser, tmp_path, groups, typed) == ["group-1", "group-0"], (typed, alike)
