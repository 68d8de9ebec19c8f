"""The guidance stays readable, original, sourced and connected to the directory.

Checks on the Markdown sources (reading level, runs of words shared with the two articles
the guidance grew from, references, spelling, links into the directory) and on a real build
(every link resolves, the crisis line and dates on every page).
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import textstat

from kindred.catalog import Catalog, build_catalog, load_catalog
from kindred.catalog.model import Group
from tests.conftest import GROUPS, ROOT, TAXONOMY
from tests.directory_query import BadDirectoryLink, matching_groups
from tests.guidance_text import (
    DIRECTORY_LINK,
    GUIDANCE,
    PAGES,
    REFERENCE_ENTRY,
    Article,
    articles,
    as_sentences,
    prose_blocks,
    shingle_hash,
    shingles,
    words,
)
from tests.seed_fingerprints import (
    RUN,
    fingerprints,
    seed_files,
    seeds_folder,
    stored_fingerprints,
)
from tests.site_helpers import html_files, links, local_target, read_page

MAX_GRADE = 8.0
MIN_GROUPS = 3
ALL = articles(GUIDANCE, PAGES)
REFERENCES = GUIDANCE / "references.md"
GET_HELP = "{filename}/pages/get-help.md"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
# An in-text citation: "Schuckit, 2014", "Shaw & Gant, 2002", "van Uden-Kraan et al., 2008".
CITATION = re.compile(r"^(.+?)(?: et al\.| &[^,]+)?, (\d{4})$")
# US spellings the site does not use in its own words (quoted titles of studies are exempt).
US_SPELLINGS = re.compile(
    r"\b(programs?|organiz\w*|colors?|centers?|behavior\w*|counselors?|judgment)\b", re.IGNORECASE
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LONG_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")


def _ids(items: list[Article]) -> list[str]:
    return [a.name for a in items]


# --- Reading level -------------------------------------------------------------------------


def reading_grade(article: Article) -> float:
    return textstat.flesch_kincaid_grade(as_sentences(prose_blocks(article.body)))


@pytest.mark.parametrize("article", ALL, ids=_ids(ALL))
def test_every_article_reads_at_grade_eight_or_below(article: Article) -> None:
    assert len(words(" ".join(prose_blocks(article.body)))) > 100, "too little prose found"
    grade = reading_grade(article)
    assert grade <= MAX_GRADE, f"{article.name}: Flesch-Kincaid grade {grade}"


def test_the_reading_grade_rises_with_long_sentences_and_long_words() -> None:
    plain = Article(Path("plain.md"), {}, "We talk. You listen. It helps.\n")
    dense = Article(
        Path("dense.md"),
        {},
        "Notwithstanding considerable methodological heterogeneity, investigators "
        "characterised intervention effectiveness inconsistently across observational "
        "and experimental evaluations of computer-mediated communication.\n",
    )
    assert reading_grade(plain) < 3 < MAX_GRADE < reading_grade(dense)


# --- Originality ---------------------------------------------------------------------------


def shared_runs(text: str, known: set[str]) -> list[str]:
    return sorted(" ".join(s) for s in shingles(words(text), RUN) if shingle_hash(s) in known)


@pytest.mark.parametrize("article", ALL, ids=_ids(ALL))
def test_no_run_of_eight_words_is_shared_with_the_source_articles(article: Article) -> None:
    known = stored_fingerprints()
    assert len(known) > 1000, "the fingerprints of the source articles are missing"
    assert shared_runs(as_sentences(prose_blocks(article.body)), known) == []


def test_a_copied_run_is_found_whatever_its_case_and_punctuation(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text(
        "Support can come from people who have walked the very same road before you.\n"
        "Smith, J. (2020). A title that is cited and so may be quoted word for word. Journal.\n",
        encoding="utf-8",
    )
    known = set(fingerprints([source]))
    copied = "As they say, PEOPLE who have walked the very same road before... can help."
    assert shared_runs(copied, known) == [
        "people who have walked the very same road",
        "who have walked the very same road before",
    ]
    assert shared_runs("Seven words from it: who have walked the very same.", known) == []
    assert shared_runs("a title that is cited and so may be quoted", known) == []


def test_the_stored_fingerprints_match_the_source_articles() -> None:
    files = seed_files(seeds_folder())
    if len(files) != 2:
        pytest.skip(f"the two source articles are not in {seeds_folder()} (set KINDRED_SEEDS)")
    assert set(fingerprints(files)) == stored_fingerprints()


# --- References ----------------------------------------------------------------------------


def reference_entries() -> list[str]:
    paragraphs = re.split(r"\n\s*\n", REFERENCES.read_text(encoding="utf-8"))
    return [p.strip() for p in paragraphs if REFERENCE_ENTRY.match(p.strip())]


def test_every_reference_has_a_link_and_every_doi_is_well_formed() -> None:
    entries = reference_entries()
    assert len(entries) >= 10
    for entry in entries:
        urls = [url for _, url in MARKDOWN_LINK.findall(entry)]
        assert urls and all(url.startswith("https://") for url in urls), entry
        for url in urls:
            if urlsplit(url).hostname == "doi.org":
                assert DOI.match(urlsplit(url).path.lstrip("/")), f"malformed DOI in {url}"


def test_every_doi_anywhere_in_the_guidance_is_well_formed() -> None:
    for article in ALL:
        for _, url in MARKDOWN_LINK.findall(article.body):
            if urlsplit(url).hostname == "doi.org":
                assert DOI.match(urlsplit(url).path.lstrip("/")), f"{article.name}: {url}"


def cited_works() -> set[tuple[str, str]]:
    """(first author's surname, year) of every in-text citation that links to the references."""
    cited = set()
    for article in ALL:
        for text, url in MARKDOWN_LINK.findall(article.body):
            found = CITATION.match(text)
            if found:
                assert url == "{filename}/guidance/references.md", f"{article.name}: {text}"
                cited.add((found[1], found[2]))
    return cited


def test_every_citation_has_a_reference_and_every_reference_is_cited() -> None:
    listed = set()
    for entry in reference_entries():
        author = re.match(r"^(.+?), [A-Z]\.", entry)[1]
        listed.add((author, re.search(r"\((\d{4})\)", entry)[1]))
    cited = cited_works()
    assert cited - listed == set(), "cited but not in the reference list"
    assert listed - cited == set(), "in the reference list but never cited"


# --- Language ------------------------------------------------------------------------------


@pytest.mark.parametrize("article", ALL, ids=_ids(ALL))
def test_the_guidance_uses_uk_spelling(article: Article) -> None:
    found = US_SPELLINGS.findall(" ".join(prose_blocks(article.body)))
    assert found == [], f"{article.name}: {found}"


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def template_text(path: Path) -> str:
    """The words a template shows, without Jinja code or comments."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", path.read_text("utf-8"), flags=re.S)
    parser = _VisibleText()
    parser.feed(source)
    return " ".join(parser.text)


def test_the_templates_use_uk_spelling() -> None:
    templates = sorted((ROOT / "theme" / "templates").rglob("*.html"))
    assert templates
    for template in templates:
        assert US_SPELLINGS.findall(template_text(template)) == [], template.name


def test_every_content_page_links_to_get_help_now() -> None:
    for article in ALL:
        if article.path.stem != "get-help":
            assert GET_HELP in article.body, f"{article.name} has no link to Get help now"


# --- Links into the directory --------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GROUPS, TAXONOMY)


DIRECTORY_LINKS = [(a.name, q) for a in ALL for q in DIRECTORY_LINK.findall(a.body)]


@pytest.mark.parametrize(
    ("article", "query"), DIRECTORY_LINKS, ids=[f"{a}?{q}" for a, q in DIRECTORY_LINKS]
)
def test_every_directory_link_finds_at_least_three_groups(
    article: str, query: str, catalog: Catalog
) -> None:
    found = matching_groups(query, catalog)
    assert len(found) >= MIN_GROUPS, f"{article}: ?{query} finds {[g.id for g in found]}"


def test_the_guidance_links_into_the_directory_from_many_articles() -> None:
    linked = {article for article, _ in DIRECTORY_LINKS}
    assert len(DIRECTORY_LINKS) >= 20 and len(linked) >= 8


def _group(catalog: Catalog, group_id: str, **facets: list[str]) -> Group:
    """A listing with the first value of every facet, except those given."""
    values = {f.key: [f.values[0].slug] for f in catalog.taxonomy.facets}
    values.update(facets)
    return Group(
        id=group_id,
        name=group_id,
        organization="Example",
        url=f"https://example.org/{group_id}",
        description="A group.",
        how_to_join="Join online.",
        facets={key: tuple(slugs) for key, slugs in values.items()},
        added=dt.date(2026, 1, 1),
        taxonomy=catalog.taxonomy,
    )


@pytest.fixture(scope="module")
def small_catalog(catalog: Catalog) -> Catalog:
    groups = [
        _group(catalog, "a", condition=["depression"], cost=["free"], region=["gb"]),
        _group(catalog, "b", condition=["anxiety"], cost=["donation"], region=["global"]),
        _group(catalog, "c", condition=["depression", "anxiety"], cost=["paid"], region=["us"]),
        _group(catalog, "d", condition=["gambling"], cost=["freemium"], region=["gb", "us"]),
    ]
    return build_catalog(catalog.taxonomy, groups)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["a", "b", "c", "d"]),
        ("condition=depression", ["a", "c"]),
        ("condition=depression,anxiety", ["a", "b", "c"]),  # OR within a facet
        ("condition=depression,anxiety&region=us", ["b", "c"]),  # AND across facets
        ("cost=free", ["a", "b", "d"]),  # donation-based and freemium groups are free to join
        ("cost=donation", ["b"]),
        ("cost=paid,freemium", ["c", "d"]),
        ("region=gb", ["a", "b", "d"]),  # a country includes groups open anywhere
        ("region=global", ["b"]),  # but "anywhere" does not include every country
        ("condition=gambling&cost=free", ["d"]),
        ("condition=gambling&cost=paid", []),
    ],
)
def test_the_directory_reading_of_a_link(
    query: str, expected: list[str], small_catalog: Catalog
) -> None:
    assert [g.id for g in matching_groups(query, small_catalog)] == expected


@pytest.mark.parametrize("query", ["conditon=depression", "condition=depresion", "q=forum"])
def test_a_link_with_an_unknown_filter_or_value_is_an_error(
    query: str, small_catalog: Catalog
) -> None:
    with pytest.raises(BadDirectoryLink):
        matching_groups(query, small_catalog)


# --- The built site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(relative_site: Path) -> Path:
    return relative_site


def content_pages(site: Path) -> list[Path]:
    return [site / "guidance" / a.path.stem / "index.html" for a in articles(GUIDANCE)] + [
        site / a.path.stem / "index.html" for a in articles(PAGES)
    ]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def element_ids(page: Path) -> set[str]:
    parser = _Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.ids


def test_every_internal_link_in_the_articles_and_pages_resolves(site: Path) -> None:
    pages = content_pages(site)
    assert len(pages) == len(ALL)
    broken = []
    for page in pages:
        for url in links(read_page(page)):
            target = local_target(site, page, url, "")
            if target is None:
                continue
            fragment = urlsplit(url).fragment
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {url}")
            elif fragment and fragment not in element_ids(target):
                broken.append(f"{page.relative_to(site)} -> {url} (no #{fragment})")
    assert broken == []


def test_every_page_shows_the_crisis_lines(site: Path) -> None:
    for page in html_files(site):
        if "pagefind" in page.parts:
            continue
        hrefs = [a.get("href", "") for a in read_page(page).attrs("a")]
        assert any(h.startswith("tel:") for h in hrefs), page.relative_to(site)
        assert any(h.rstrip("/").endswith("get-help") for h in hrefs), page.relative_to(site)


class _DatesShown(HTMLParser):
    """The text inside every <time> element, and all visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_time = False
        self.times: list[str] = []
        self.text: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_time = tag == "time"
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "time":
            self.in_time = False
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.in_time:
            self.times.append(data.strip())
        if not self.hidden:
            self.text.append(data)


def test_dates_read_the_same_way_on_every_page(site: Path, catalog: Catalog) -> None:
    seen = 0
    for page in html_files(site):
        if "pagefind" in page.parts:
            continue
        shown = _DatesShown()
        shown.feed(page.read_text(encoding="utf-8"))
        assert ISO_DATE.findall(" ".join(shown.text)) == [], page.relative_to(site)
        for date in shown.times:
            assert LONG_DATE.match(date), f"{page.relative_to(site)}: '{date}'"
            seen += 1
    assert seen >= len(catalog.groups) + len(articles(GUIDANCE))
