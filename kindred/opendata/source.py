"""Who publishes the open data, and where."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """The site the data comes from: its name, its address and the language of its labels
    (the site's SITENAME, SITEURL and DEFAULT_LANG).

    Links to the site's pages go into the data only when ``site_url`` is an absolute web
    address (a site built with relative links has none to give).
    """

    name: str = "Kindred"
    site_url: str = ""
    language: str = ""

    @property
    def address(self) -> str:
        """The absolute address of the site, without a final slash, or ''."""
        url = self.site_url.rstrip("/")
        return url if url.startswith(("http://", "https://")) else ""

    def page(self, path: str) -> str | None:
        """The absolute address of the page at ``path`` (from the site root), if known."""
        return f"{self.address}/{path}" if self.address else None
