"""The Pelican plugin: validates the catalog and renders the directory from it.

Pages, at stable URLs:
    /groups/                 the directory (every group, complete without JavaScript)
    /groups/<id>/            one page per group
    /<facet>/                each facet with its values and counts
    /<facet>/<value>/        exactly the groups with that value
plus 404.html, sitemap.xml, robots.txt and an Atom feed of newly added listings.
Pelican itself renders the home page and the guidance in content/.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican import Pelican, signals
from pelican.generators import Generator

from kindred import staging
from kindred.catalog import Catalog, load_catalog
from kindred.feeds import FEED_PATH, new_groups_feed, robots_txt, sitemap_xml
from kindred.jsonld import group_jsonld
from kindred.model import Group
from kindred.problems import CatalogError

logger = logging.getLogger(__name__)
RELATED_COUNT = 4


class BuildStopped(SystemExit):
    """Ends the build with the validator's messages and exit code 1, without a traceback.

    Pelican prints a traceback for any Exception, which would bury the messages a contributor
    needs; a SystemExit passes through with just its code.
    """


@dataclass(frozen=True)
class _Link:
    """Stands in for a content object so Markdown can link to a generated page with
    ``{filename}/groups/?condition=depression`` and get a correct relative URL."""

    url: str


class CatalogGenerator(Generator):
    def generate_context(self) -> None:
        try:
            catalog = _load(self.settings)
        except BuildStopped:
            staging.discard(self.output_path)  # nothing was written; leave no trace
            raise
        self.catalog = catalog
        self.context.update(
            catalog=catalog,
            taxonomy=catalog.taxonomy,
            facet_counts=catalog.counts(),
            FEED_PATH=FEED_PATH,
        )
        for path in _catalog_paths(catalog):
            self.context["generated_content"][path] = _Link(path)

    def generate_output(self, writer: Any) -> None:
        self.env.autoescape = True  # catalog text is untrusted: escape it, always
        catalog = self.catalog
        cards = self.render_cards(catalog)
        self.render("directory.html", "groups/", groups=catalog.groups, cards=cards[1])
        related = _related_groups(catalog)
        for group in catalog.groups:
            self.render_group(group, related[group.id], cards[2])
        for facet in catalog.taxonomy.facets:
            self.render("facet.html", f"{facet.key}/", facet=facet)
            for value in facet.values:
                self.render(
                    "facet_value.html",
                    f"{facet.key}/{value.slug}/",
                    facet=facet,
                    value=value,
                    groups=catalog.groups_with(facet.key, value.slug),
                    cards=cards[2],
                )
        self.render("404.html", "404.html")
        self.write_extras(catalog)

    def render_cards(self, catalog: Catalog) -> dict[int, dict[str, Markup]]:
        """Each group's card, rendered once per folder depth it appears at.

        Facet pages together list every group many times over; reusing the rendered card
        keeps the build linear in the number of listings rather than in cards shown.
        """
        template = self.get_template("partials/card")
        cards: dict[int, dict[str, Markup]] = {}
        for depth in (1, 2):
            siteurl = self.siteurl_for("x/" * depth)
            cards[depth] = {
                group.id: Markup(template.render(group=group, SITEURL=siteurl))
                for group in catalog.groups
            }
        return cards

    def render_group(self, group: Group, related: list[Group], cards: dict[str, Markup]) -> None:
        path = f"groups/{group.id}/"
        site_url = self.settings.get("SITEURL", "")
        self.render(
            "group.html",
            path,
            group=group,
            related=related,
            cards=cards,
            jsonld=Markup(group_jsonld(group, f"{site_url}/{path}" if site_url else "")),
            report_url=self.settings["KINDRED_REPORT_URL"].format(id=group.id),
            verification=_verification(group, self.settings.get("KINDRED_STALE_DAYS", 180)),
        )

    def siteurl_for(self, path: str) -> str:
        """SITEURL as seen from the page saved at ``path``: relative in development builds,
        as Pelican computes it for its own pages ('.', '..', '../..')."""
        if self.settings.get("RELATIVE_URLS"):
            depth = _save_as(path).count("/")
            return "/".join([".."] * depth) if depth else "."
        return self.settings.get("SITEURL", "")

    def render(self, template_name: str, path: str, **values: Any) -> None:
        template = self.get_template(template_name.removesuffix(".html"))
        html = template.render(
            {**self.context, **values, "SITEURL": self.siteurl_for(path), "page_path": path}
        )
        self.write(_save_as(path), html)

    def write(self, relative: str, text: str) -> None:
        target = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as file:
            file.write(text)

    def write_extras(self, catalog: Catalog) -> None:
        site_url = self.settings.get("SITEURL", "")
        paths = ["", *_catalog_paths(catalog)]
        paths += [item.url for key in ("articles", "pages") for item in self.context.get(key, [])]
        self.write("sitemap.xml", sitemap_xml(site_url, paths))
        self.write("robots.txt", robots_txt(site_url))
        feed = new_groups_feed(self.settings["SITENAME"], site_url, catalog.groups)
        self.write(FEED_PATH, feed)


def _save_as(path: str) -> str:
    return path + "index.html" if path.endswith("/") or not path else path


def _load(settings: dict[str, Any]) -> Catalog:
    groups = Path(settings.get("KINDRED_GROUPS", "data/groups.yaml"))
    taxonomy = Path(settings.get("KINDRED_TAXONOMY", "data/taxonomy.yaml"))
    try:
        return load_catalog(groups, taxonomy)
    except CatalogError as error:
        print(error.report(), file=sys.stderr)
        raise BuildStopped(1) from None
    except OSError as error:
        print(f"kindred: error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        raise BuildStopped(2) from None


def _catalog_paths(catalog: Catalog) -> list[str]:
    """Every page the plugin writes, as directory-style paths."""
    paths = ["groups/", *(f"groups/{group.id}/" for group in catalog.groups)]
    for facet in catalog.taxonomy.facets:
        paths.append(f"{facet.key}/")
        paths += [f"{facet.key}/{value.slug}/" for value in facet.values]
    return paths


def _related_groups(catalog: Catalog) -> dict[str, list[Group]]:
    """For each group, a few others that share its conditions.

    Takes the groups that follow it (by name, wrapping round) among those with the same
    condition, trying its conditions in turn: linear in the number of listings, unlike
    scoring every pair.
    """
    positions = {
        slug: {group.id: index for index, group in enumerate(groups)}
        for slug, groups in catalog.by_value["condition"].items()
    }
    related: dict[str, list[Group]] = {}
    for group in catalog.groups:
        found: list[Group] = []
        for slug in group.slugs("condition"):
            peers = catalog.groups_with("condition", slug)
            start = positions[slug][group.id]
            for step in range(1, min(len(peers), RELATED_COUNT * 2)):
                peer = peers[(start + step) % len(peers)]
                if peer is not group and peer not in found:
                    found.append(peer)
                if len(found) == RELATED_COUNT:
                    break
            if len(found) == RELATED_COUNT:
                break
        related[group.id] = found
    return related


def _verification(group: Group, stale_days: int) -> str:
    """'recent', 'stale' (not checked for stale_days) or 'never'."""
    if group.last_verified is None:
        return "never"
    age = (dt.date.today() - group.last_verified).days
    return "stale" if age > stale_days else "recent"


def _get_generators(pelican: Pelican) -> type[Generator]:
    staging.start(pelican)
    return CatalogGenerator


def register() -> None:
    signals.get_generators.connect(_get_generators)
    signals.finalized.connect(staging.publish)
