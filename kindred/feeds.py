"""sitemap.xml, robots.txt and the Atom feed of newly added listings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape

from feedgenerator import Atom1Feed

from kindred.model import Group

FEED_PATH = "feeds/new-groups.atom.xml"
FEED_SIZE = 50


def sitemap_xml(site_url: str, paths: Iterable[str]) -> str:
    """A sitemap of every page; ``paths`` are relative to the site root ('' is the home page)."""
    entries = "".join(f"<url><loc>{escape(site_url + '/' + path)}</loc></url>\n" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def robots_txt(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url.startswith(("http://", "https://")):
        lines.append(f"Sitemap: {site_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def new_groups_feed(site_name: str, site_url: str, groups: Iterable[Group]) -> str:
    """Atom feed of the most recently added listings, newest first."""
    newest = sorted(groups, key=lambda g: (g.added, g.id), reverse=True)[:FEED_SIZE]
    feed = Atom1Feed(
        title=f"{site_name}: newly added groups",
        link=f"{site_url}/groups/",
        description="Online support groups recently added to the directory.",
        feed_url=f"{site_url}/{FEED_PATH}",
        language="en",
    )
    for group in newest:
        added = dt.datetime.combine(group.added, dt.time(), tzinfo=dt.timezone.utc)
        feed.add_item(
            title=group.name,
            link=f"{site_url}/groups/{group.id}/",
            unique_id=f"{site_url}/groups/{group.id}/",
            description=group.description,
            pubdate=added,
            updateddate=added,
        )
    return feed.writeString("utf-8")
