"""Markdown extension for links in guidance and pages.

* Links that leave the site get ``rel="noopener noreferrer"``: guidance links to references
  and helplines, and like every external link on Kindred they must not tell the other site
  where the reader came from.
* A link into the directory that chooses one value of one filter
  (``{filename}/groups/?audience=parents``) becomes a link to that value's own page
  (``{filename}/audience/parents/``), which lists the same groups with or without JavaScript
  and leads on to the finder. Views of several filters stay links into the finder.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTERNAL_REL = "noopener noreferrer"
# {filename}/groups/?<facet>=<value>: one filter, one value (a search, ?q=…, is not a filter).
_ONE_VALUE = re.compile(r"^(\{filename\}/?)groups/\?(?!q=)([a-z0-9-]+)=([a-z0-9-]+)$")


def is_external(href: str) -> bool:
    return href.startswith(("http://", "https://", "//"))


def value_page_link(href: str) -> str:
    """``href`` pointed at a value's own page when it is a directory view of that one value."""
    match = _ONE_VALUE.match(href)
    if match is None:
        return href
    prefix, key, slug = match.groups()
    return f"{prefix}{key}/{slug}/"


class _ExternalLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if is_external(href):
                link.set("rel", EXTERNAL_REL)
            elif value_page_link(href) != href:
                link.set("href", value_page_link(href))


class ExternalLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_ExternalLinks(md), "kindred_external_links", 0)


def makeExtension(**kwargs: object) -> ExternalLinksExtension:
    return ExternalLinksExtension(**kwargs)
