"""The licence the open data is published under, and how to cite it.

CC BY 4.0 lets anyone copy, adapt and build on the data for any purpose, a commercial EAP
portal or a charity's app as much as a researcher, asking only that they credit the source.
A share-alike licence (ODbL) would keep a 211 service or an employer from mixing the listings
into a directory of their own that they cannot open in turn, which is the reuse we want.
"""

from __future__ import annotations

LICENCE_NAME = "CC-BY-4.0"  # the SPDX identifier, as data packages name licences
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def licence_record() -> dict[str, str]:
    """The licence as data packages and groups.json describe it."""
    return {"name": LICENCE_NAME, "title": LICENCE_TITLE, "path": LICENCE_URL}


def citation(site_name: str, site_url: str) -> str:
    """How to credit the data, in words."""
    where = f" {site_url}/" if site_url else ""
    return f"{site_name}: a directory of online support groups.{where} Licensed {LICENCE_NAME}."
