"""The one list of every page the plugin writes, made before anything is rendered.

The generator renders exactly these pages through Pelican's writer; the sitemap and the
targets Markdown may link to (``{filename}/groups/``) come from the same list, so the three
can never disagree.

    groups/                  the directory: every group, in numbered pages (groups/page/2/…)
    groups/<id>/             one page per group
    <facet>/                 each filter facet with its values and counts
    <facet>/<value>/         the groups a filter on that value shows (Catalog.groups_matching:
                             the value and the values it includes): the first as cards, then
                             numbered pages of names (kindred.site.pagination)
    embed/                   the finder alone, for an intranet's frame (not in the sitemap)
    choose/                  "Help me choose": the taxonomy's questions, one at a time
    404.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kindred.catalog import Catalog
from kindred.catalog.model import Group
from kindred.site.pagination import paginate, paginate_names

NOT_FOUND_PATH = "404.html"


@dataclass(frozen=True, slots=True)
class SitePage:
    path: str  # from the site root, directory style ("groups/", "groups/<id>/", "404.html")
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)  # for the template

    @property
    def save_as(self) -> str:
        return self.path + "index.html" if self.path.endswith("/") else self.path

    @property
    def listed(self) -> bool:
        """Whether the sitemap offers it to search engines."""
        return self.path.endswith("/") and self.template != "embed"


def group_page(group: Group) -> SitePage:
    return SitePage(f"groups/{group.id}/", "group", {"group": group})


def site_pages(catalog: Catalog, page_size: int) -> list[SitePage]:
    pages = [
        SitePage(page.path, "directory", {"groups": page.groups, "pagination": page})
        for page in paginate("groups/", catalog.groups, page_size)
    ]
    pages.append(SitePage("embed/", "embed", pages[0].values))
    pages += [group_page(group) for group in catalog.groups]
    for facet in catalog.taxonomy.with_role("filter"):
        pages.append(SitePage(f"{facet.key}/", "facet", {"facet": facet}))
        for value in facet.values:
            groups = catalog.groups_matching(facet.key, value.slug)
            pages += [
                SitePage(
                    page.path,
                    "facet_value",
                    {"groups": page.groups, "pagination": page, "facet": facet, "value": value},
                )
                for page in paginate_names(f"{facet.key}/{value.slug}/", groups, page_size)
            ]
    pages.append(SitePage("choose/", "choose"))
    pages.append(SitePage(NOT_FOUND_PATH, "404"))
    return pages
