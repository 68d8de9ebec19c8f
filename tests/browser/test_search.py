"""Finding a group in your own words, in the real built site: the words people use, sentences,
filters the words name, filters that answer their question, and no dead ends."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.taxonomy import Facet, FacetValue, normalise_term
from tests.browser.conftest import Site
from tests.browser.test_directory import (
    open_directory,
    result_ids,
    show_all,
    wait_for_results,
    words_of_names,
)
from tests.conftest import GROUPS, TAXONOMY
from tests.site_helpers import build_site


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


def search(page: Page, site: Site, words: str, filters: str = "") -> None:
    open_directory(page, site, f"?q={quote(words)}{filters}")


def visible_text(page: Page, selector: str) -> str:
    return " ".join((page.locator(selector).inner_text() or "").split())


def page_text(catalog: Catalog, group_id: str) -> str:
    group = catalog.group(group_id)
    return normalise_term(f"{group.name} {group.organization} {group.description}")


def unseen_term(catalog: Catalog) -> tuple[Facet, FacetValue, str]:
    """A search term of a condition that no group's own name or description contains: only the
    words the taxonomy gives its groups can find them."""
    texts = " ".join(page_text(catalog, g.id) for g in catalog.groups)
    facet = catalog.taxonomy.with_role("similar")[0]
    for value in facet.values:
        for term in value.search_terms:
            words = normalise_term(term).split()
            if len(words) == 1 and len(words[0]) > 5 and words[0] not in texts:
                return facet, value, term
    raise AssertionError("every search term appears in some description")


# --- words people use -------------------------------------------------------------------------


def test_a_word_only_the_taxonomy_knows_finds_every_group_with_its_value(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    facet, value, term = unseen_term(catalog)
    search(watched_page, site, term)
    show_all(watched_page)
    found = result_ids(watched_page)
    members = [g.id for g in catalog.groups_matching(facet.key, value.slug)]
    assert set(found) == set(members), f"{term!r}: every {value.slug} group, and no other"


def test_a_values_other_name_finds_its_groups_but_a_groups_own_words_rank_higher(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """A value's other name finds all its groups (the finder reads the names; the index holds
    a group's own words), and a group of the value whose own description uses the word comes
    before those that only have it as the other name of their value."""
    facet = catalog.taxonomy.with_role("similar")[0]
    for value in facet.values:
        members = catalog.groups_with(facet.key, value.slug)
        for name in value.other_names:
            word = normalise_term(name)
            if " " in word or len(word) < 6 or name in value.capitals_only:
                continue
            own = [g.id for g in members if word in page_text(catalog, g.id).split()]
            only_named = [g.id for g in members if word not in page_text(catalog, g.id)]
            if own and only_named:
                break
        else:
            continue
        break
    else:
        raise AssertionError("no word is both in a description and only an other name elsewhere")
    search(watched_page, site, word)
    show_all(watched_page)
    ids = result_ids(watched_page)
    assert set(only_named) <= set(ids)  # found by the name the taxonomy gives them
    first_named = min(ids.index(g) for g in only_named)
    assert any(ids.index(g) < first_named for g in own)


def test_a_slip_of_the_keyboard_is_corrected_and_said(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    facet = catalog.taxonomy.with_role("similar")[0]
    value = next(v for v in facet.values if len(v.label) >= 8 and " " not in v.label)
    known = {normalise_term(n) for f in catalog.taxonomy.facets for v in f.values for n in v.names}
    word = value.label.lower()
    swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(2, len(word) - 1))
    slip = next(s for s in swaps if s != word and s not in known)
    search(watched_page, site, slip)
    expect(watched_page.locator("#finder-note")).to_contain_text(
        f"Searched for \u201c{word}\u201d instead of \u201c{slip}\u201d"
    )
    members = {g.id for g in catalog.groups_matching(facet.key, value.slug)}
    assert set(result_ids(watched_page)[:5]) <= members


KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def keys_beside(letter: str) -> set[str]:
    """The keys touching ``letter`` on a QWERTY keyboard (each row sits half a key to the
    right of the one above it)."""
    row = next(r for r, keys in enumerate(KEY_ROWS) if letter in keys)
    column = KEY_ROWS[row].index(letter)
    beside = {KEY_ROWS[row][c] for c in (column - 1, column + 1) if 0 <= c < len(KEY_ROWS[row])}
    if row > 0:
        beside |= {KEY_ROWS[row - 1][c] for c in (column, column + 1) if c < len(KEY_ROWS[row - 1])}
    if row < 2:
        beside |= {
            KEY_ROWS[row + 1][c] for c in (column - 1, column) if 0 <= c < len(KEY_ROWS[row + 1])
        }
    return beside


def test_two_letters_changed_for_keys_far_from_them_are_no_slip(
    watched_page: Page, site: Site, catalog: Catalog, relative_site: Path
) -> None:
    """A long word may be two slips from a name: two letters changed for keys beside them
    are corrected to it, but two changed for keys far away (nor sounding alike, as "c" and
    "k" can) make another word ("stealing" is not "speaking"), which is not taken for the
    name."""
    on_pages = site_words(relative_site)
    known_words = words_of_names(catalog)
    vowels = set("aeiouy")

    def changed(word: str, pick) -> str | None:
        letters = list(word)
        for i in (2, len(word) - 3):
            if letters[i] in vowels:
                return None
            letters[i] = pick(letters[i])
        typed = "".join(letters)
        unseen = typed not in on_pages and not any(k.startswith(typed) for k in known_words)
        return typed if unseen else None

    def near(letter: str) -> str:
        return sorted(keys_beside(letter) - vowels)[0]

    def far(letter: str) -> str:
        alike = {
            b
            for a, b in ("ck", "kc", "cs", "sc", "sz", "zs", "gj", "jg", "fv", "vf")
            if a == letter
        }
        away = set("qwertyuiopasdfghjklzxcvbnm") - keys_beside(letter) - vowels - alike - {letter}
        return min(away)

    labels = {
        w
        for f in catalog.taxonomy.facets
        for v in f.values
        for w in normalise_term(v.label).split()
    }
    names = sorted(w for w in labels if len(w) >= 8 and w.isalpha())
    word, slipped, distant = next(
        (w, changed(w, near), changed(w, far))
        for w in names
        if changed(w, near) and changed(w, far)
    )
    search(watched_page, site, slipped)
    expect(watched_page.locator("#finder-note")).to_contain_text(
        f"Searched for \u201c{word}\u201d instead of \u201c{slipped}\u201d"
    )
    search(watched_page, site, distant)
    expect(watched_page.locator("#finder-count")).not_to_be_empty()
    note = watched_page.locator("#finder-note").text_content() or ""
    assert f"\u201c{word}\u201d instead of" not in note, (distant, note)


def test_a_name_typed_without_its_accents_is_corrected_to_it(
    watched_page: Page, site: Site, catalog: Catalog, relative_site: Path
) -> None:
    """A letter typed without its accent is one slip, as a key beside it is: "smarta" is
    "smärta", a name no page has written so."""
    on_pages = site_words(relative_site)
    known_words = words_of_names(catalog)

    def unaccented(word: str) -> str:
        return "".join(
            c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
        )

    def accent_dropped(word: str) -> str | None:
        """The word with its one accented letter typed plain, if no page or name has that."""
        plain = unaccented(word)
        if len(plain) != len(word) or sum(a != b for a, b in zip(word, plain, strict=True)) != 1:
            return None
        seen = plain in on_pages or any(k.startswith(plain) for k in known_words)
        return None if seen else plain

    typed = next(
        plain
        for word in sorted(known_words)
        # Under seven letters a correction may hold one slip alone.
        if 5 <= len(word) <= 6 and word.isalpha() and (plain := accent_dropped(word))
    )
    search(watched_page, site, typed)
    expect(watched_page.locator("#finder-note")).to_contain_text(f"instead of \u201c{typed}\u201d")


def site_words(site_root: Path) -> set[str]:
    """Every word the group pages hold, as Pagefind would find them."""
    words: set[str] = set()
    for page in (site_root / "groups").glob("*/index.html"):
        words.update(normalise_term(page.read_text(encoding="utf-8")).split())
    return words


def slip_distance(a: str, b: str) -> int:
    """Slips of the keyboard between two words: letters left out, added, changed or swapped."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            row.append(
                min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def test_a_slip_the_taxonomy_lists_finds_and_ranks_as_the_name_it_misspells(
    watched_page: Page, site: Site, catalog: Catalog, relative_site: Path
) -> None:
    """ "anxeity" is one of anxiety's search terms and no page has it: it shows the groups
    "anxiety" shows, in the same order, not the value's groups alone in name order. Checked
    for one such slip of each of two values."""
    on_pages = site_words(relative_site)
    slips = [
        (normalise_term(term), normalise_term(value.label))
        for facet in catalog.taxonomy.with_role("similar")
        for value in facet.values
        for term in value.search_terms
        if " " not in value.label
        and normalise_term(term) not in on_pages
        and len(term) >= 7
        and slip_distance(normalise_term(term), normalise_term(value.label)) == 1
    ]
    assert slips, "no search term is a slip of its value's name"
    first: dict[str, str] = {}  # the first slip of each name
    for slip, name in slips:
        first.setdefault(name, slip)
    for name, slip in list(first.items())[:2]:
        search(watched_page, site, name)
        show_all(watched_page)
        expected = result_ids(watched_page)
        search(watched_page, site, slip)
        show_all(watched_page)
        assert result_ids(watched_page) == expected, slip


def test_another_form_of_a_known_word_is_read_as_it(
    watched_page: Page, site: Site, catalog: Catalog, relative_site: Path
) -> None:
    """ "boozing" is "booze": a word the taxonomy knows, with an ending no page has, is read
    as the known word, not as whatever word happens to be a slip or two away."""
    on_pages = site_words(relative_site)
    known = {normalise_term(n) for f in catalog.taxonomy.facets for v in f.values for n in v.names}
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            for name in value.search_terms:
                word = normalise_term(name)
                if " " in word or len(word) < 5 or not word.endswith("e"):
                    continue
                typed = word[:-1] + "ing"
                if typed not in on_pages and not any(k.startswith(typed) for k in known):
                    break
            else:
                continue
            break
        else:
            continue
        break
    else:
        raise AssertionError("no search term ending in e")
    search(watched_page, site, typed)
    # A search term (slips included) is said as the value it names; a name as itself.
    names = {w for n in (value.label, *value.other_names) for w in normalise_term(n).split()}
    said = word if word in names else value.label
    expect(watched_page.locator("#finder-note")).to_contain_text(
        f"Searched for \u201c{said}\u201d instead of \u201c{typed}\u201d"
    )
    members = {g.id for g in catalog.groups_matching(facet.key, value.slug)}
    assert set(result_ids(watched_page)[:5]) <= members


def test_a_short_unknown_word_is_not_taken_for_another(
    watched_page: Page, site: Site, catalog: Catalog, relative_site: Path
) -> None:
    """Among four-letter words one slip away lie too many other meanings ("wine" is not
    "wife"): a short word no page has is said to be unknown, never corrected."""
    on_pages = site_words(relative_site)
    known = {normalise_term(n) for f in catalog.taxonomy.facets for v in f.values for n in v.names}
    words = {w for term in known for w in term.split() if len(w) == 4 and w.isalpha()}
    typed = next(
        slip
        for word in sorted(words)
        for slip in (word[:3] + c for c in "xqzjkv")
        if slip not in on_pages and not any(k.startswith(slip) for k in known)
    )
    search(watched_page, site, f"{typed} forum")
    expect(watched_page.locator("#finder-count")).not_to_be_empty()
    assert "instead of" not in (watched_page.locator("#finder-note").text_content() or "")


# --- sentences ----------------------------------------------------------------------------------


def distinctive_words(catalog: Catalog) -> tuple[str, str, str, str]:
    """Two long words of two group names, each on that group's page only and no taxonomy
    word: no group has both."""
    texts = {g.id: page_text(catalog, g.id) for g in catalog.groups}
    taxonomy_words = words_of_names(catalog)
    alone = [
        (word, group.id)
        for group in catalog.groups
        for word in normalise_term(group.name).split()
        if len(word) >= 7
        and word.isalpha()
        and word not in taxonomy_words
        and sum(word in text for text in texts.values()) == 1
    ]
    (first, first_id), (second, second_id) = next(
        (a, b) for a in alone for b in alone if a[1] != b[1]
    )
    return first, first_id, second, second_id


def test_words_or_filters_naming_an_urgent_need_show_the_crisis_lines_first(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """No support group is a crisis service: a search or filter naming a need the taxonomy
    marks urgent, or words asking for help now, put the crisis band's lines above the groups."""
    page = watched_page
    taxonomy = catalog.taxonomy
    urgent = [(f.key, v) for f in taxonomy.with_role("filter") for v in f.values if v.urgent]
    value = urgent[0][1]
    sentence = next(term for term in value.search_terms if len(term.split()) > 2)
    calm = next(
        (f.key, v.slug)
        for f in taxonomy.with_role("filter")
        for v in f.values
        if not v.urgent and catalog.groups_matching(f.key, v.slug)
    )
    asked = {
        f"?q={quote(sentence)}": True,
        f"?q={quote(taxonomy.urgent_terms[0])}": True,
        **{f"?{k}={v.slug}": True for k, v in urgent},  # every urgent need, as a filter
        f"?{calm[0]}={calm[1]}": False,
        f"?q={quote(calm[1])}": False,
    }
    for query, shown in asked.items():
        search_view = f"/groups/{query}"
        page.goto(site.url + search_view)
        wait_for_results(page)
        box = page.locator("#finder-urgent")
        if not shown:
            expect(box).to_be_hidden()
            continue
        expect(box).to_be_visible()
        band = page.locator(
            ".crisis__lines a.tel[href^='tel:'], .crisis__lines a.tel[href^='sms:']"
        )
        lines = set(band.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
        in_box = box.locator("a.tel").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert lines and lines <= set(in_box), (query, lines, in_box)
        first_card = page.locator("#finder-list > li").first
        if first_card.count():
            assert box.bounding_box()["y"] < first_card.bounding_box()["y"], query


def test_a_sentence_no_group_matches_whole_shows_the_best_partial_matches(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    first, first_id, second, second_id = distinctive_words(catalog)
    sentence = f"I would like to find a group like {first} or maybe {second}, please"
    search(watched_page, site, sentence)
    show_all(watched_page)
    found = result_ids(watched_page)
    assert {first_id, second_id} <= set(found)
    expect(watched_page.locator("#finder-count")).to_contain_text("match some of the words")
    note = visible_text(watched_page, "#finder-note")
    assert "No group matches every word" in note
    assert f"\u201c{first}\u201d" in note and f"\u201c{second}\u201d" in note
    for small in ("would", "like", "find", "please"):  # words that carry no meaning
        assert f"\u201c{small}\u201d" not in note
    expect(watched_page.locator("#finder-help")).to_be_hidden()


# --- the words suggest filters ------------------------------------------------------------------


def test_a_word_that_names_a_value_offers_it_as_one_tap_filter(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    facet = catalog.taxonomy.with_role("similar")[0]
    value = max(facet.values, key=lambda v: len(catalog.groups_matching(facet.key, v.slug)))
    name = value.other_names[0]
    search(page, site, name)
    members = [g.id for g in catalog.groups_matching(facet.key, value.slug)]
    button = page.locator("#finder-suggestions button", has_text=value.label)
    expect(button).to_have_text(f"{value.label} \u2014 {len(members)} groups")
    button.click()
    wait_for_results(page)
    assert page.url.endswith(f"/groups/?{facet.key}={value.slug}")  # the filter says it all
    expect(page.locator(f"button.chip[data-slug='{value.slug}']")).to_be_focused()
    show_all(page)
    assert result_ids(page) == members


def test_a_name_read_only_in_capitals_names_its_value_only_when_typed_so(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """ "ME" names ME/CFS, but "me" is a small word and "PLEASE HELP ME" a shout; "BED"
    names an eating disorder, not "bed". Another facet's value named beside it shows that the
    suggestions are in place when the first is looked for."""
    page = watched_page
    facet, value = next(
        (f, v) for f in catalog.taxonomy.with_role("filter") for v in f.values if v.capitals_only
    )
    name = value.capitals_only[0]
    other = next(f for f in catalog.taxonomy.with_role("filter") if f.key != facet.key)
    beside = max(other.values, key=lambda v: len(catalog.groups_matching(other.key, v.slug)))
    for words, named in (
        (f"{beside.label} {name}", True),
        (f"{beside.label} {name.lower()}", False),
        (f"{beside.label} PLEASE HELP {name}", False),  # small words in capitals: a shout
    ):
        search(page, site, words)
        suggestions = page.locator("#finder-suggestions button")
        expect(suggestions.filter(has_text=beside.label).first).to_be_visible()
        if named:
            expect(suggestions.filter(has_text=value.label).first).to_be_visible()
        else:
            expect(suggestions.filter(has_text=value.label)).to_have_count(0)
    # Alone, each such name in capitals finds its value's groups, as its filter does, not the
    # pages that have the everyday word ("me").
    for each_facet, each in (
        (f, v) for f in catalog.taxonomy.with_role("filter") for v in f.values if v.capitals_only
    ):
        for capitals in each.capitals_only:
            search(page, site, capitals)
            show_all(page)
            members = {g.id for g in catalog.groups_matching(each_facet.key, each.slug)}
            assert set(result_ids(page)) == members, capitals
    # Alone and not in capitals, the word finds only pages whose own words have it: neither
    # the value's other names in the index nor its alike terms ("binge eating") answer it.
    word = normalise_term(name)
    search(page, site, word)
    show_all(page)
    for group_id in result_ids(page):
        assert any(w.startswith(word) for w in page_text(catalog, group_id).split()), group_id


def test_a_request_in_several_words_is_one_tap_from_its_view(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """Like "free anonymous chat for anxiety": one button sets every filter the words name."""
    page = watched_page
    picked = catalog.taxonomy.with_role("card")[:2] + catalog.taxonomy.with_role("similar")
    chosen = {}  # in taxonomy order, as the finder names them
    for facet in (f for f in catalog.taxonomy.facets if f in picked):
        value = max(facet.values, key=lambda v: len(catalog.groups_matching(facet.key, v.slug)))
        chosen[facet.key] = value
    expected = catalog.groups_matching_all({k: [v.slug] for k, v in chosen.items()})
    assert expected
    words = " for ".join(v.label.lower() for v in chosen.values())
    search(page, site, words)
    labels = " + ".join(v.label for v in chosen.values())
    button = page.locator("#finder-suggestions button", has_text=labels)
    expect(button).to_have_text(f"{labels} \u2014 {len(expected)} groups")
    button.click()
    wait_for_results(page)
    query = "&".join(f"{k}={v.slug}" for k, v in chosen.items())
    assert sorted(page.url.split("?")[1].split("&")) == sorted(query.split("&"))
    assert page.input_value("#finder-q") == ""
    show_all(page)
    assert result_ids(page) == [g.id for g in expected]


# --- filters answer their question --------------------------------------------------------------


def including_value(catalog: Catalog, role: str) -> tuple[Facet, FacetValue]:
    facet = catalog.taxonomy.with_role(role)[0]
    value = max(
        (v for v in facet.values if v.includes),
        key=lambda v: len(catalog.groups_with(facet.key, v.slug)),
    )
    return facet, value


@pytest.mark.parametrize("role", ["location", "note_field"])
def test_a_choice_finds_the_groups_that_answer_it(
    watched_page: Page, browser: Browser, site: Site, catalog: Catalog, role: str
) -> None:
    """A country finds the groups open anywhere; free finds donation-based groups. The finder,
    its counts, a search with the filter and the value's page (without JavaScript) agree, and
    each card still says the group's own value."""
    page = watched_page
    facet, value = including_value(catalog, role)  # region: a country; cost: free
    expected = [g.id for g in catalog.groups_matching(facet.key, value.slug)]
    wider = [g for g in expected if value.slug not in catalog.group(g).slugs(facet.key)]
    assert wider, "the choice should include groups without the value itself"
    open_directory(page, site, f"?{facet.key}={value.slug}")
    show_all(page)
    assert result_ids(page) == expected
    label = page.locator(f"label[for='f-{facet.key}-{value.slug}'] .count")
    expect(label).to_have_text(f"({len(expected)})")
    card = page.locator(f"#finder-list [data-group-id='{wider[0]}']")
    own = ", ".join(v.label for v in catalog.group(wider[0]).values(facet.key))
    expect(card.locator("dd", has_text=own).first).to_be_visible()

    word = max(re.findall(r"[a-z]{6,}", catalog.group(wider[0]).description.lower()), key=len)
    search(page, site, word, f"&{facet.key}={value.slug}")
    show_all(page)
    with_word = result_ids(page)
    assert wider[0] in with_word and set(with_word) <= set(expected)

    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(f"{site.url}/{facet.key}/{value.slug}/")
    ids = []
    while True:
        ids += static.locator("[data-group-id]").evaluate_all("c => c.map(x => x.dataset.groupId)")
        following = static.locator("a[rel=next]")
        if not following.count():
            break
        with static.expect_navigation():  # read the next page only once it has loaded
            following.click()
    assert ids == expected
    context.close()


# --- no dead ends -------------------------------------------------------------------------------


def empty_combination(catalog: Catalog) -> tuple[str, dict[str, int]]:
    """Three filters with no group together, and what dropping each one would give."""
    facets = catalog.taxonomy.with_role("card")[:3]
    for a in facets[0].values:
        for b in facets[1].values:
            for c in facets[2].values:
                chosen = {facets[0].key: a.slug, facets[1].key: b.slug, facets[2].key: c.slug}
                if catalog.groups_matching_all({k: [v] for k, v in chosen.items()}):
                    continue
                drops = {
                    key: len(
                        catalog.groups_matching_all({k: [v] for k, v in chosen.items() if k != key})
                    )
                    for key in chosen
                }
                if sum(1 for n in drops.values() if n) >= 2:
                    return "&".join(f"{k}={v}" for k, v in chosen.items()), drops
    raise AssertionError("no empty combination of filters")


def test_no_results_offers_the_nearest_views_and_the_crisis_line(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    query, drops = empty_combination(catalog)
    open_directory(page, site, f"?{query}")
    expect(page.locator("#finder-count")).to_have_text("No groups match these filters.")
    help_box = page.locator("#finder-help")
    expect(help_box).to_be_visible()
    for key, n in drops.items():
        facet = catalog.taxonomy.facet(key)
        button = help_box.locator("button", has_text=f"Remove {facet.label}:")
        if n:
            expect(button).to_contain_text(f"\u2014 {n} group")
        else:
            expect(button).to_have_count(0)
    for facet in catalog.taxonomy.with_role("start"):
        expect(help_box.locator(f"a[href$='/{facet.key}/']")).to_have_count(1)
    expect(help_box.locator("a.tel").first).to_be_visible()
    expect(help_box.locator("a[href$='/get-help/']")).to_be_visible()

    key, n = next((k, v) for k, v in drops.items() if v)
    help_box.locator("button", has_text=f"Remove {catalog.taxonomy.facet(key).label}:").click()
    wait_for_results(page)
    expect(page.locator("#finder-count")).to_have_text(
        f"{n} groups match." if n != 1 else "1 group matches."
    )
    assert f"{key}=" not in page.url


def test_words_no_group_has_are_named_with_help(watched_page: Page, site: Site) -> None:
    search(watched_page, site, "zzqxvw")
    expect(watched_page.locator("#finder-note")).to_contain_text(
        "No group mentions \u201czzqxvw\u201d"
    )
    expect(watched_page.locator("#finder-help")).to_be_visible()


def test_a_mis_cased_or_unknown_value_in_the_address_is_read_or_named(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    page = watched_page
    facet, value = including_value(catalog, "location")
    other_name = value.other_names[0]
    first = catalog.taxonomy.with_role("similar")[0].values[0]
    similar = catalog.taxonomy.with_role("similar")[0].key
    open_directory(
        page,
        site,
        f"?{facet.key.title()}={quote(other_name)}&{similar}={first.slug.title()},bogus",
    )
    assert page.url.endswith(f"/groups/?{similar}={first.slug}&{facet.key}={value.slug}")
    expect(page.locator("#finder-notice")).to_have_text(
        f"\u201cbogus\u201d is not one of the choices for "
        f"{catalog.taxonomy.facet(similar).label}, so it is left out."
    )
    expected = catalog.groups_matching_all({similar: [first.slug], facet.key: [value.slug]})
    show_all(page)
    assert result_ids(page) == [g.id for g in expected]
    page.click(f"button.chip[data-slug='{value.slug}']")  # the notice goes with the next change
    wait_for_results(page)
    expect(page.locator("#finder-notice")).to_be_hidden()


@pytest.fixture(scope="module")
def sparse_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A catalog of the first few listings, so that many values have no group."""
    text = Path(GROUPS).read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^- id: ", text, re.M)]
    folder = tmp_path_factory.mktemp("sparse")
    (folder / "groups.yaml").write_text(text[: starts[6]], encoding="utf-8")
    served = Site(build_site(folder / "output", groups=folder / "groups.yaml"))
    yield served
    served.stop()


def test_a_value_with_no_groups_is_not_offered(
    watched_page: Page, sparse_site: Site, tmp_path: Path
) -> None:
    page = watched_page
    text = Path(GROUPS).read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^- id: ", text, re.M)]
    (tmp_path / "groups.yaml").write_text(text[: starts[6]], encoding="utf-8")
    sparse = load_catalog(tmp_path / "groups.yaml", TAXONOMY)
    facet = sparse.taxonomy.with_role("similar")[0]
    empty = [v for v in facet.values if not sparse.groups_matching(facet.key, v.slug)]
    held = [v for v in facet.values if sparse.groups_matching(facet.key, v.slug)]
    assert empty and held
    open_directory(page, sparse_site, f"?{facet.key}={empty[0].slug}")
    expect(page.locator(f"#f-{facet.key}-{empty[0].slug}")).to_have_count(0)
    expect(page.locator(f"#f-{facet.key}-{held[0].slug}")).to_have_count(1)
    expect(page.locator("#finder-notice")).to_contain_text(
        f"No groups are listed under {facet.label}: {empty[0].label} yet"
    )
    page.goto(f"{sparse_site.url}/{facet.key}/")
    expect(page.locator(f"a[href$='/{facet.key}/{empty[0].slug}/']")).to_have_count(0)


def test_without_javascript_a_filtered_link_says_filtering_needs_it(
    browser: Browser, site: Site, catalog: Catalog
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/groups/?{catalog.taxonomy.facets[0].key}=depression&cost=free")
    notice = page.locator("p.notice", has_text="JavaScript")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Searching and filtering need JavaScript")
    facet = catalog.taxonomy.facets[0]
    notice.locator(f"a[href$='/{facet.key}/']").click()
    page.locator(f"a[href$='/{facet.key}/depression/']").first.click()
    page.wait_for_url(f"**/{facet.key}/depression/")
    expected = [g.id for g in catalog.groups_matching(facet.key, "depression")]
    assert (
        page.locator("[data-group-id]").evaluate_all("c => c.map(x => x.dataset.groupId)")
        == (expected[:20])
    )
    context.close()


def test_any_word_is_searched_as_a_word_even_one_the_browser_knows(
    watched_page: Page, site: Site
) -> None:
    """Answers are kept by the words asked: words that are also names inside the browser's
    own objects ("constructor") are words like any other, not a broken search."""
    for words in ("constructor", "__proto__", "toString", "hasOwnProperty"):
        search(watched_page, site, words)
        count = visible_text(watched_page, "#finder-count")
        assert "not working" not in count and words in count, (words, count)


def test_cannot_and_a_bare_not_read_as_cant_and_as_a_small_word(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """ "I cannot cope" and "can not sleep" are the taxonomy's "can't cope" and "can't sleep";
    and "not" or "no" that leave nothing out find nothing by themselves (a group named "Not
    …" is not an answer to "can not sleep")."""
    terms = [
        normalise_term(term)
        for facet in catalog.taxonomy.facets
        for value in facet.values
        for term in value.search_terms
        if normalise_term(term).startswith("cant ")
    ]
    assert terms, "the taxonomy has a search term saying what someone cannot do"
    for term in terms[:2]:
        rest = term.removeprefix("cant ")
        assert_same_answers(
            watched_page, site, "can't " + rest, f"I cannot {rest}", f"can not {rest}"
        )
    # "no" and "not" beside a word of a group's name that names no value: that word alone
    # is searched.
    named = {
        word
        for facet in catalog.taxonomy.facets
        for value in facet.values
        for name in (value.slug, value.label, *value.other_names, *value.search_terms)
        for word in normalise_term(name).split()
    }
    word = next(
        word
        for group in catalog.groups
        for word in normalise_term(group.name).split()
        if len(word) > 5 and word not in named
    )
    assert_same_answers(watched_page, site, word, f"not {word}", f"no {word} not")


def assert_same_answers(page: Page, site: Site, words: str, *others: str) -> None:
    """Each of ``others`` finds what ``words`` finds (something), in the same order."""
    search(page, site, words)
    show_all(page)
    expected = result_ids(page)
    assert expected, words
    for other in others:
        search(page, site, other)
        show_all(page)
        assert result_ids(page) == expected, other


def test_words_asking_to_leave_a_value_out_leave_its_groups_out(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """ "not 12 step", "other than a fellowship", "no video no phone": every group but those
    values', and the page says which were left out; beside other words, those words' groups
    without the values', and no one-tap filter takes the words (and so the "not") away. A
    need is never left out: "not drinking anymore" describes the reader."""
    page = watched_page
    taxonomy = catalog.taxonomy

    def biggest(facet: Facet) -> FacetValue:
        return max(facet.values, key=lambda v: len(catalog.groups_matching(facet.key, v.slug)))

    def members(facet: Facet, value: FacetValue) -> set[str]:
        return {g.id for g in catalog.groups_matching(facet.key, value.slug)}

    how = [f for f in taxonomy.with_role("filter") if not f.roles.similar]
    facet, second = how[-1], how[0]
    value, other = biggest(facet), biggest(second)
    left_out = members(facet, value)
    assert 3 <= len(left_out) < len(catalog.groups)
    for negation in ("not", "without", "other than a"):
        search(page, site, f"{negation} {value.label}")
        show_all(page)
        assert sorted(result_ids(page)) == sorted(
            g.id for g in catalog.groups if g.id not in left_out
        )
        assert f"“{value.label}” are left out" in visible_text(page, "#finder-note")
    search(page, site, f"no {value.label} no {other.label}")
    show_all(page)
    both = left_out | members(second, other)
    assert sorted(result_ids(page)) == sorted(g.id for g in catalog.groups if g.id not in both)

    need = next(f for f in taxonomy.with_role("similar") if not f.roles.refines)
    wanted = biggest(need)
    search(page, site, f"{wanted.label} but not {value.label}")
    shown = result_ids(page)
    assert shown and not set(shown) & left_out
    assert shown[0] in members(need, wanted)
    assert page.locator("#finder-suggestions [data-clears-words]").count() == 0
    search(page, site, f"not {wanted.label}")
    assert result_ids(page)[0] in members(need, wanted)
    assert "left out" not in visible_text(page, "#finder-note")


def test_an_age_in_the_words_shows_the_groups_that_take_it_those_made_for_it_first(
    watched_page: Page, site: Site, catalog: Catalog
) -> None:
    """ "im 15": the groups whose age limits take 15, those with an upper limit that takes it
    (made for young people) first; the number is not looked for as a word."""
    page = watched_page
    youth = [g for g in catalog.groups if g.maximum_age]
    assert youth
    years = min(g.maximum_age for g in youth)

    def takes(group) -> bool:
        low, high = group.minimum_age, group.maximum_age
        return (low is None or low <= years) and (high is None or high >= years)

    made_for = {g.id for g in youth if takes(g)}
    expected = sorted(g.id for g in catalog.groups if takes(g))
    every: list[str] = []
    for words in (f"im {years}", f"i am {years}", f"{years} year old"):
        search(page, site, words)
        count = re.compile(rf"^{len(expected)} groups match")
        expect(page.locator("#finder-count")).to_have_text(count)
        assert f"aged {years}" in visible_text(page, "#finder-note")
        if not every:  # every group shown once: the other ways of saying it give the same
            show_all(page)
            every = result_ids(page)
            assert sorted(every) == expected, words
            assert set(every[: len(made_for)]) == made_for, words
        shown = result_ids(page)
        assert shown == every[: len(shown)], words
    facet = catalog.taxonomy.with_role("filter")[0]
    value = max(facet.values, key=lambda v: len(catalog.groups_matching(facet.key, v.slug)))
    search(page, site, f"im {years} {value.label}")
    shown = result_ids(page)
    assert shown and all(takes(catalog.group(group_id)) for group_id in shown)
    search(page, site, f"i am {years} days sober")  # a length of time, not an age
    assert "aged" not in visible_text(page, "#finder-note")
    numbered = [
        name
        for facet in catalog.taxonomy.facets
        for value in facet.values
        for name in (value.label, *value.other_names)
        if re.match(r"\d{1,2} [a-z]", name.lower())
    ]
    for name in numbered[:1]:  # "im 12 step": a number in a value's name is not an age
        search(page, site, f"im {name}")
        assert "aged" not in visible_text(page, "#finder-note"), name
