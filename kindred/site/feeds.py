"""sitemap.xml (split when the site is large), robots.txt and the Atom feeds of newly added
listings: one for the whole directory, and one for each value of a facet with the ``feed`` role
("new dementia groups")."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote
from xml.sax.saxutils import escape

from kindred.catalog import Catalog
from kindred.catalog.model import Group
from kindred.catalog.taxonomy import Facet, FacetValue

FEED_PATH = "feeds/new-groups.atom.xml"
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot hold at all. Validation keeps them out of the catalog; replacing
# them here keeps the feed well-formed whatever reaches it.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# The sitemap protocol's limit on addresses in one file; a larger site gets sitemap.xml as an
# index of sitemap-1.xml, sitemap-2.xml, …
SITEMAP_SIZE = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_files(site_url: str, paths: Sequence[str]) -> dict[str, str]:
    """sitemap.xml, and the sitemaps it lists when there are more than SITEMAP_SIZE pages;
    ``paths`` are relative to the site root ('' is the home page)."""
    if len(paths) <= SITEMAP_SIZE:
        return {"sitemap.xml": _urlset(site_url, paths)}
    parts = {
        f"sitemap-{number}.xml": _urlset(site_url, paths[start : start + SITEMAP_SIZE])
        for number, start in enumerate(range(0, len(paths), SITEMAP_SIZE), start=1)
    }
    entries = "".join(
        f"<sitemap><loc>{escape(site_url + '/' + name)}</loc></sitemap>\n" for name in parts
    )
    return {"sitemap.xml": _xml("sitemapindex", entries), **parts}


def _urlset(site_url: str, paths: Iterable[str]) -> str:
    entries = "".join(f"<url><loc>{escape(site_url + '/' + path)}</loc></url>\n" for path in paths)
    return _xml("urlset", entries)


def _xml(root: str, entries: str) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{SITEMAP_NS}">\n'
    return f"{head}{entries}</{root}>\n"


def robots_txt(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url.startswith(("http://", "https://")):
        lines.append(f"Sitemap: {site_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def value_feed_path(facet: Facet, value: FacetValue) -> str:
    """Where the feed of one value's new groups is, from the site root."""
    return f"feeds/{facet.key}/{value.slug}.atom.xml"


def new_groups_feed(site_name: str, site_url: str, groups: Iterable[Group], language: str) -> str:
    """Atom feed of the most recently added listings, newest first."""
    return _feed(
        f"{site_name}: newly added groups",
        "Online support groups recently added to the directory.",
        site_name,
        site_url,
        ("groups/", FEED_PATH),
        groups,
        language,
    )


def value_feeds(
    site_name: str, site_url: str, catalog: Catalog, language: str
) -> Iterator[tuple[str, bytes]]:
    """A feed of the newest groups for each value of each facet with the ``feed`` role, as
    (path from the site root, content); each links to the value's page."""
    for facet in catalog.taxonomy.with_role("feed"):
        for value in facet.values:
            path = value_feed_path(facet, value)
            text = _feed(
                f"{site_name}: newly added groups ({facet.label.lower()}: {value.label})",
                f"Online support groups recently added to the directory: {value.description}",
                site_name,
                site_url,
                (f"{facet.key}/{value.slug}/", path),
                catalog.groups_with(facet.key, value.slug),
                language,
            )
            yield path, text.encode("utf-8")


def _feed(
    title: str,
    subtitle: str,
    site_name: str,
    site_url: str,
    paths: tuple[str, str],
    groups: Iterable[Group],
    language: str,
) -> str:
    """Atom feed of the newest of ``groups``; ``paths`` are the page it follows and the feed's
    own path, from the site root.

    Catalog text goes out as Atom plain text (``type="text"``): a feed reader shows it as
    written and never renders it as HTML, whatever it contains.
    """
    newest = sorted(groups, key=lambda g: (g.added, g.id), reverse=True)[:FEED_SIZE]
    # A relative build (no SITEURL) may be served from any folder: its links lead from the
    # feed's own place, as a reader resolves them against the feed's address.
    root = f"{site_url}/" if site_url else "../" * paths[1].count("/")
    page = f"{site_url}/{paths[0]}"
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": language})
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    _link(feed, root + paths[0], "alternate", "text/html")
    _link(feed, root + paths[1], "self", "application/atom+xml")
    _value(feed, "id", page)
    _value(feed, "updated", _timestamp(newest[0].added if newest else dt.date.today()))
    _author(feed, site_name)  # Atom needs an author, even when there are no entries
    for group in newest:
        path = f"groups/{quote(group.id, safe='')}/"
        added = _timestamp(group.added)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "title", group.name)
        _link(entry, root + path, "alternate", "text/html")
        _value(entry, "id", f"{site_url}/{path}")
        _value(entry, "published", added)
        _value(entry, "updated", added)
        _author(entry, group.organization)
        _text(entry, "summary", group.description)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def _value(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("\ufffd", value)  # ElementTree escapes <, > and &
    return element


def _text(parent: ET.Element, tag: str, value: str) -> None:
    _value(parent, tag, value).set("type", "text")


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> None:
    ET.SubElement(parent, "link", href=href, rel=rel, type=media_type)


def _author(parent: ET.Element, name: str) -> None:
    _value(ET.SubElement(parent, "author"), "name", name)


def _timestamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc).isoformat()
