"""Markdown extension: links that leave the site get ``rel="noopener noreferrer"``.

Guidance articles link to references and helplines; like every external link on Kindred they
must not tell the other site where the reader came from.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTERNAL_REL = "noopener noreferrer"


def is_external(href: str) -> bool:
    return href.startswith(("http://", "https://", "//"))


class _ExternalLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if is_external(link.get("href", "")):
                link.set("rel", EXTERNAL_REL)


class ExternalLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_ExternalLinks(md), "kindred_external_links", 0)


def makeExtension(**kwargs: object) -> ExternalLinksExtension:
    return ExternalLinksExtension(**kwargs)
