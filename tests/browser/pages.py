"""The page types every quality check visits, as paths on the built site."""

from __future__ import annotations

from kindred.catalog import Catalog, load_catalog
from tests.conftest import GROUPS, ROOT, TAXONOMY

DIRECTORY_VIEWS = {
    "directory": "/groups/",
    "directory filtered": "/groups/?condition=depression&cost=free",
    "directory with a query": "/groups/?q=forum",
    "directory with no results": "/groups/?q=zzqxvw",
    "directory sorted by newest": "/groups/?cost=free&sort=recent",
    "directory with filters named by its words": "/groups/?q=free+chat",
    "directory with partial matches": "/groups/?q=hiv+stroke",
    "directory, no results for its filters": "/groups/?format=app&cost=paid&anonymity=identified",
    "directory with a notice": "/groups/?cost=Free&condition=bogus",
}


def _names_page(catalog: Catalog) -> str:
    """The second page of the first facet value with more groups than one page shows: it
    lists them by name."""
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            if len(catalog.groups_with(facet.key, value.slug)) > 20:
                return f"/{facet.key}/{value.slug}/page/2/"
    raise AssertionError("no facet value has more groups than fit on one page")


def page_types() -> dict[str, str]:
    catalog = load_catalog(GROUPS, TAXONOMY)
    first_group = catalog.groups[0].id
    paths = {
        "home": "/",
        **DIRECTORY_VIEWS,
        "group page": f"/groups/{first_group}/",
        "facet index": "/condition/",
        "facet value page": "/condition/depression/",
        "help me choose": "/choose/",
        "facet value page of names": _names_page(catalog),
        "404": "/404.html",
        "404 at depth 2": "/groups/no-such-group/",
    }
    for article in sorted((ROOT / "content" / "guidance").glob("*.md")):
        paths[f"guidance: {article.stem}"] = f"/guidance/{article.stem}/"
    for page in sorted((ROOT / "content" / "pages").glob("*.md")):
        paths[f"page: {page.stem}"] = f"/{page.stem}/"
    return paths
