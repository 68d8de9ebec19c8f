"""The words the taxonomy gives each value, and what choosing a value answers.

Other names and search terms let a search in a person's own words find a value's groups, so
each may name one value only. A value's ``includes`` make a filter answer the question its
facet asks ("What can you pay?" Free: donation-based groups too); the catalog applies them in
one place, Catalog.groups_matching, which everything else reads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kindred.catalog import build_catalog
from kindred.catalog.model import Group
from kindred.catalog.problems import CatalogError
from kindred.catalog.taxonomy import Taxonomy, load_taxonomy, normalise_term

SMALL = """\
facets:
  - key: cost
    field: cost
    label: Cost
    question: What can you pay?
    multiple: false
    values:
      - slug: free
        label: Free
        description: Costs nothing.
        other_names: [no cost, free of charge]
        includes: [donation]
      - slug: donation
        label: Donation-based
        description: Free to join; donations welcome.
        other_names: [pay what you can]
        search_terms: [donations, seventh tradition]
        includes: [kitty]
      - slug: kitty
        label: Shared kitty
        description: Members share costs when they can.
        other_names: [whip-round]
      - slug: paid
        label: Paid
        description: A fee to take part.
        other_names: [fee]
  - key: language
    field: languages
    label: Language
    question: Which language?
    multiple: true
    values:
      - slug: de
        label: German
        description: In German.
        other_names: [Deutsch]
  - key: region
    field: regions
    label: Region
    question: Where are you?
    multiple: true
    values:
      - slug: de
        label: Germany
        description: In Germany.
        other_names: [Deutschland]
"""


def at(text: str, snippet: str) -> str:
    """LINE:COL where ``snippet`` first starts in ``text``."""
    before = text[: text.index(snippet)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def clash(text: str, name: str, owner: str, where: str = "") -> str:
    """The error for ``name``, found in ``text`` where ``where`` starts, naming ``owner``
    already."""
    return (
        f"taxonomy.yaml:{at(text, where or name)}: error: '{name}' already names {owner}; a "
        "name may lead to one value only (names are compared ignoring case and punctuation)"
    )


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_taxonomy(path)
    return [str(p).replace(str(path), "taxonomy.yaml") for p in caught.value.problems]


def small(tmp_path: Path) -> Taxonomy:
    return small_from(tmp_path, SMALL)


def small_from(tmp_path: Path, text: str) -> Taxonomy:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    return load_taxonomy(path)


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("12-step", "12 step"),
        ("12 Step", "12 step"),
        ("Parkinson's", "parkinsons"),
        ("Parkinson\u2019s disease", "parkinsons disease"),
        ("  LGBTQ+  people ", "lgbtq people"),
        ("ME/CFS", "me cfs"),
        ("Éire", "éire"),
        ("I cannot cope", "i cant cope"),
        ("can NOT sleep", "cant sleep"),
        ("Can\u2019t sleep", "cant sleep"),
        ("scannot can notice", "scannot can notice"),
    ],
)
def test_a_name_is_compared_as_a_search_reads_it(name: str, term: str) -> None:
    assert normalise_term(name) == term


def test_the_small_taxonomy_is_valid(tmp_path: Path) -> None:
    taxonomy = small(tmp_path)
    donation = taxonomy.facet("cost").value("donation")
    assert donation.other_names == ("pay what you can",)
    assert donation.search_terms == ("donations", "seventh tradition")
    assert donation.names == (
        "Donation-based",
        "pay what you can",
        "donations",
        "seventh tradition",
    )


def test_a_name_may_lead_to_one_value_only(tmp_path: Path) -> None:
    text = SMALL.replace("other_names: [fee]", "other_names: [fee, No-Cost]")
    assert problems(tmp_path, text) == [clash(text, "No-Cost", "'free' in cost")]


def test_a_search_term_may_not_name_another_value_either(tmp_path: Path) -> None:
    text = SMALL.replace("[donations, seventh tradition]", "[donations, Free]")
    assert problems(tmp_path, text) == [clash(text, "Free", "'free' in cost", "Free]")]


def test_values_of_two_facets_with_the_same_slug_are_told_apart(tmp_path: Path) -> None:
    text = SMALL.replace("other_names: [Deutschland]", "other_names: [Deutschland, deutsch]")
    assert problems(tmp_path, text) == [clash(text, "deutsch", "'de' in language", "deutsch]")]


def test_a_value_may_repeat_its_own_name(tmp_path: Path) -> None:
    small_path = tmp_path / "taxonomy.yaml"
    small_path.write_text(SMALL.replace("[no cost, free", "[no cost, No Cost, free"), "utf-8")
    assert load_taxonomy(small_path).facet("cost").value("free").other_names[1] == "No Cost"


def test_names_read_only_in_capitals_are_its_own_names_in_capitals(tmp_path: Path) -> None:
    """ "FEE" read only in capitals must be one of the value's names as written there; each
    mistake is named where it is."""
    good = SMALL.replace(
        "other_names: [fee]", "other_names: [fee, PWYC]\n        capitals_only: [PWYC]"
    )
    (tmp_path / "ok").mkdir()
    assert small_from(tmp_path / "ok", good).facet("cost").value("paid").capitals_only == ("PWYC",)
    text = SMALL.replace(
        "other_names: [fee]", "other_names: [fee]\n        capitals_only: [Fee, PAY]"
    )
    assert problems(tmp_path, text) == [
        f"taxonomy.yaml:{at(text, 'Fee, PAY')}: error: 'Fee' in 'capitals_only' must be written "
        "in capitals",
        f"taxonomy.yaml:{at(text, 'PAY]')}: error: 'PAY' is not an other name or search term of "
        "this value; add it to 'other_names' first",
    ]


LANGUAGE_ROLE = "    question: Which language?\n    roles: {language: true}\n"


def test_query_words_belong_to_the_language_facet(tmp_path: Path) -> None:
    """Words that show which language a query is in describe a language; elsewhere they are a
    mistake, named where it is."""
    good = LANGUAGE_ROLE.join(SMALL.split("    question: Which language?\n")).replace(
        "other_names: [Deutsch]", "other_names: [Deutsch]\n        query_words: [und, mit]"
    )
    (tmp_path / "ok").mkdir()
    assert small_from(tmp_path / "ok", good).facet("language").value("de").query_words == (
        "und",
        "mit",
    )
    text = SMALL.replace(
        "other_names: [Deutschland]", "other_names: [Deutschland]\n        query_words: [und]"
    )
    assert problems(tmp_path, text) == [
        f"taxonomy.yaml:{at(text, 'query_words: [und]')}: error: 'query_words' belong to values "
        "of the language facet only"
    ]
    text = good.replace("[und, mit]", "[und, co-abhängig, mit, zu viel]")
    assert problems(tmp_path, text) == [
        f"taxonomy.yaml:{at(text, 'co-abh')}: error: 'co-abhängig' in 'query_words' must be one "
        "word",
        f"taxonomy.yaml:{at(text, 'zu viel')}: error: 'zu viel' in 'query_words' must be one word",
    ]


def test_a_name_without_letters_or_digits_is_refused(tmp_path: Path) -> None:
    text = SMALL.replace("other_names: [fee]", "other_names: [fee, '+/+']")
    where = at(text, "'+/+'")
    assert problems(tmp_path, text) == [
        f"taxonomy.yaml:{where}: error: '+/+' has no letters or digits to search for"
    ]


def test_every_name_of_a_value_is_searched_as_it(tmp_path: Path) -> None:
    cost = small(tmp_path).facet("cost")
    assert cost.value("kitty").names == ("Shared kitty", "whip-round")
    assert cost.value("paid").names == ("Paid", "fee")


def test_every_value_in_the_taxonomy_has_other_names(taxonomy: Taxonomy) -> None:
    for facet in taxonomy.with_role("filter"):
        for value in facet.values:
            assert value.other_names, f"{facet.key}: {value.slug} has no other names"


# --- what a choice answers --------------------------------------------------------------------


def test_a_value_accepts_what_it_includes_directly_and_through_another(tmp_path: Path) -> None:
    cost = small(tmp_path).facet("cost")
    assert cost.accepted("free") == {"free", "donation", "kitty"}
    assert cost.accepted("donation") == {"donation", "kitty"}
    assert cost.accepted("paid") == {"paid"}
    assert [v.slug for v in cost.included("free")] == ["donation", "kitty"]
    assert cost.answered(("kitty",)) == ("free", "donation", "kitty")
    assert cost.answered(("paid",)) == ("paid",)


def test_includes_must_name_a_value_of_the_same_facet(tmp_path: Path) -> None:
    text = SMALL.replace("includes: [kitty]", "includes: [kitty, de]")
    assert problems(tmp_path, text) == [
        f"taxonomy.yaml:{at(text, 'de]')}: error: 'includes' names 'de', not a value of this facet"
    ]


def _group(taxonomy: Taxonomy, group_id: str, cost: str, regions: list[str]) -> Group:
    return Group(
        id=group_id,
        name=group_id,
        organization="Example",
        url=f"https://example.org/{group_id}",
        description="A group.",
        how_to_join="Join online.",
        facets={"cost": (cost,), "language": ("de",), "region": tuple(regions)},
        added=dt.date(2026, 1, 1),
        taxonomy=taxonomy,
    )


def test_the_catalog_answers_a_filter_with_what_it_includes(tmp_path: Path) -> None:
    taxonomy = small(tmp_path)
    catalog = build_catalog(
        taxonomy,
        [
            _group(taxonomy, "d", "kitty", ["de"]),
            _group(taxonomy, "a", "free", ["de"]),
            _group(taxonomy, "c", "paid", []),
            _group(taxonomy, "b", "donation", ["de"]),
        ],
    )
    assert [g.id for g in catalog.groups_matching("cost", "free")] == ["a", "b", "d"]
    assert [g.id for g in catalog.groups_with("cost", "free")] == ["a"]  # its own value only
    assert [g.id for g in catalog.groups_matching("cost", "donation")] == ["b", "d"]
    assert catalog.counts()["cost"] == {"free": 3, "donation": 2, "kitty": 1, "paid": 1}
    both = {"cost": ["donation", "paid"], "region": ["de"]}  # OR within, AND across facets
    assert [g.id for g in catalog.groups_matching_all(both)] == ["b", "d"]
    assert catalog.groups_matching_all({}) == catalog.groups
    nothing_chosen = {"cost": [], "region": ["de"]}  # a facet with no choice: no filter
    assert [g.id for g in catalog.groups_matching_all(nothing_chosen)] == ["a", "b", "d"]
