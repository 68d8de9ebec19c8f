"""The Pelican plugin: validates the catalog and renders the directory from it.

Pages, at stable URLs:
    /groups/                 the directory: every group, in numbered pages (/groups/page/2/…)
    /groups/<id>/            one page per group
    /<facet>/                each facet with its values and counts
    /<facet>/<value>/        exactly the groups with that value, numbered pages likewise
plus 404.html, sitemap.xml, robots.txt, an Atom feed of newly added listings and the data
the directory's filters read (kindred.search_data). When every page is written, Pagefind
indexes the site and the finished build replaces the previous one (kindred.staging).
Pelican itself renders the home page and the guidance in content/.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican import Pelican, signals
from pelican.generators import Generator

from kindred import staging
from kindred.catalog import Catalog, load_catalog
from kindred.content_check import content_problems
from kindred.feeds import FEED_PATH, new_groups_feed, robots_txt, sitemap_xml
from kindred.jsonld import group_jsonld
from kindred.model import Group
from kindred.pagination import page_size, paginate
from kindred.problems import CatalogError
from kindred.search_data import search_files, summary
from kindred.search_index import run_pagefind
from kindred.stale import DEFAULT_DAYS, verification_status

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
        for path in _catalog_paths(catalog, self.settings):
            self.context["generated_content"][path] = _Link(path)
        self._cards: dict[int, dict[str, Markup]] = {}
        self.env.globals["summary"] = summary

    def generate_output(self, writer: Any) -> None:
        self.env.autoescape = True  # catalog text is untrusted: escape it, always
        catalog = self.catalog
        self.render_list("directory.html", "groups/", catalog.groups)
        related = _related_groups(catalog)
        for group in catalog.groups:
            self.render_group(group, related[group.id], self.cards(2))
        for facet in catalog.taxonomy.facets:
            self.render("facet.html", f"{facet.key}/", facet=facet)
            for value in facet.values:
                self.render_list(
                    "facet_value.html",
                    f"{facet.key}/{value.slug}/",
                    catalog.groups_with(facet.key, value.slug),
                    facet=facet,
                    value=value,
                )
        self.render("404.html", "404.html")
        self.write_extras(catalog)
        for path, data in search_files(catalog):
            self.write_bytes(path, data)

    def cards(self, depth: int) -> dict[str, Markup]:
        """Each group's card as seen from pages ``depth`` folders down, rendered once.

        Facet pages together list every group many times over; reusing the rendered card
        keeps the build linear in the number of listings rather than in cards shown.
        """
        if depth not in self._cards:
            template = self.get_template("partials/card")
            siteurl = self.siteurl_for("x/" * depth)
            self._cards[depth] = {
                group.id: Markup(template.render(group=group, SITEURL=siteurl))
                for group in self.catalog.groups
            }
        return self._cards[depth]

    def render_list(self, template: str, base: str, groups: Sequence[Group], **values: Any) -> None:
        """A list of groups at ``base``, split into pages (see kindred.pagination)."""
        for page in paginate(base, groups, page_size(self.settings)):
            self.render(
                template,
                page.path,
                groups=page.groups,
                pagination=page,
                cards=self.cards(page.path.count("/")),
                **values,
            )

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
            verification=verification_status(
                group, dt.date.today(), self.settings.get("KINDRED_STALE_DAYS", DEFAULT_DAYS)
            ),
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
        self.write_bytes(relative, text.encode("utf-8"))

    def write_bytes(self, relative: str, data: bytes) -> None:
        target = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as file:
            file.write(data)

    def write_extras(self, catalog: Catalog) -> None:
        site_url = self.settings.get("SITEURL", "")
        paths = ["", *_catalog_paths(catalog, self.settings)]
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


def _catalog_paths(catalog: Catalog, settings: dict[str, Any]) -> list[str]:
    """Every page the plugin writes, as directory-style paths."""
    size = page_size(settings)
    paths = [page.path for page in paginate("groups/", catalog.groups, size)]
    paths += [f"groups/{group.id}/" for group in catalog.groups]
    for facet in catalog.taxonomy.facets:
        paths.append(f"{facet.key}/")
        for value in facet.values:
            base = f"{facet.key}/{value.slug}/"
            groups = catalog.groups_with(facet.key, value.slug)
            paths += [page.path for page in paginate(base, groups, size)]
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


def _get_generators(pelican: Pelican) -> type[Generator]:
    staging.start(pelican)
    return CatalogGenerator


def _check_content(generators: list[Generator]) -> None:
    """Stop before anything is written when guidance or pages carry unsafe markup."""
    problems = content_problems(generators, generators[0].settings.get("SITEURL", ""))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in content."
        print("\n".join([*problems, count]), file=sys.stderr)
        staging.discard(generators[0].output_path)
        raise BuildStopped(1)


def _finish(pelican: Pelican) -> None:
    """Index the complete site, then swap it in. An indexer failure fails the build."""
    try:
        run_pagefind(Path(pelican.output_path))
    except (RuntimeError, OSError) as error:
        print(f"kindred: error: {error}", file=sys.stderr)
        staging.discard(pelican.output_path)
        raise BuildStopped(1) from None
    staging.publish(pelican)


def register() -> None:
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_check_content)
    signals.finalized.connect(_finish)
