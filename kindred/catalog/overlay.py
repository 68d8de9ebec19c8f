"""An organisation's own edition: a folder named by the KINDRED_OVERLAY setting.

The folder holds ``overlay.yaml`` and the files it names:

    name: Northwind Lantern Company      # shown in the header, and on its own listings
    logo: logo.svg                       # a file in this folder (svg, png, jpg or webp)
    colours: {accent: "#1d4f91", band: "#2b2250", link: "#1d4f91"}
    welcome: A short text for the home page.
    eap: {name: …, phone: …, url: …, hours: …, note: …}
    listings: listings.yaml              # extra listings, in the format of data/groups.yaml
    hide: [some-listing-id]              # listings of the main catalog to leave out
    crisis_regions: [gb, ie]             # the regions the crisis band shows, in this order

Everything is checked here with the same care as the catalog, every problem named as
FILE:LINE:COL; its listings go through the very validator data/groups.yaml does. Whether the
colours are readable on the theme is the site's business (kindred.site.branding).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from kindred.catalog.characters import first_forbidden
from kindred.catalog.eap import EAP_FIELDS, field_problem, missing_problems
from kindred.catalog.listings import (
    Catalog,
    ListingValidator,
    build_catalog,
    latest_today,
    url_key,
)
from kindred.catalog.model import Group
from kindred.catalog.problems import CatalogError, Problem
from kindred.catalog.urls import host_problem
from kindred.catalog.yamltree import Mapping, Node, Scalar, Sequence, describe, read_yaml

OVERLAY_FILE = "overlay.yaml"
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
LOGO_MAX_BYTES = 200_000
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_STR = "tag:yaml.org,2002:str"
_LIMITS = {"name": 80, "welcome": 600, "hours": 120, "note": 200}
_FIELDS = ("name", "logo", "colours", "welcome", "eap", "listings", "hide", "crisis_regions")
_EAP_FIELDS = EAP_FIELDS


@dataclass(frozen=True, slots=True)
class Colour:
    """A colour as written in overlay.yaml, with where it was written."""

    value: str  # "#rrggbb", lowercase
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Overlay:
    folder: Path
    source: str  # overlay.yaml's path, for messages
    name: str
    logo: Path | None = None
    colours: MappingABC[str, Colour] = field(default_factory=lambda: MappingProxyType({}))
    welcome: tuple[str, ...] = ()  # paragraphs
    eap: MappingABC[str, str] | None = None
    listings: tuple[Group, ...] = ()
    hidden: frozenset[str] = frozenset()
    crisis_regions: tuple[str, ...] | None = None


def load_overlay(
    folder: Path | str,
    catalog: Catalog,
    regions: frozenset[str],
    today: dt.date | None = None,
) -> Overlay:
    """Read and check the overlay in ``folder`` against the main ``catalog`` and the helpline
    ``regions``. Raises CatalogError naming every problem, OSError when a file is unreadable."""
    folder = Path(folder)
    path = folder / OVERLAY_FILE
    root, problems = read_yaml(path)
    if root is None and problems:  # unreadable: its syntax errors say all there is to say
        raise CatalogError(problems)
    reader = _Reader(folder, str(path), problems, catalog, regions, today or latest_today())
    overlay = reader.read(root)
    if problems or overlay is None:
        raise CatalogError(problems)
    return overlay


def merged(catalog: Catalog, overlay: Overlay) -> Catalog:
    """The catalog as the organisation's edition shows it: hidden listings left out, its own
    listings added (marked with its name), sorted by name as always."""
    kept = [group for group in catalog.groups if group.id not in overlay.hidden]
    own = [replace(group, added_by=overlay.name) for group in overlay.listings]
    return build_catalog(catalog.taxonomy, kept + own)


class _Reader:
    def __init__(
        self,
        folder: Path,
        name: str,
        problems: list[Problem],
        catalog: Catalog,
        regions: frozenset[str],
        today: dt.date,
    ):
        self.folder = folder
        self.name = name
        self.problems = problems
        self.catalog = catalog
        self.regions = regions
        self.today = today

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.name, node.line, node.col, message))

    def read(self, root: Node | None) -> Overlay | None:
        if root is None or not isinstance(root, Mapping):
            where = root or Scalar("", _STR, 1, 1)
            shown = describe(root) if root is not None else "nothing"
            self.error(
                where, f"{OVERLAY_FILE} must be a set of fields (name, logo, …), not {shown}"
            )
            return None
        for key, _ in root.pairs.values():
            if key.value not in _FIELDS:
                self.error(key, f"unknown field '{key.value}'; expected {', '.join(_FIELDS)}")
        fields = {key: node for key, (_, node) in root.pairs.items()}
        if "name" not in fields:
            self.error(root, f"{OVERLAY_FILE} needs a 'name': the organisation's name")
            return None
        hidden = self.hidden(fields.get("hide"))
        return Overlay(
            folder=self.folder,
            source=self.name,
            name=self.text(fields["name"], "name"),
            logo=self.logo(fields["logo"]) if "logo" in fields else None,
            colours=self.colours(fields.get("colours")),
            welcome=self.welcome(fields.get("welcome")),
            eap=self.eap(fields["eap"]) if "eap" in fields else None,
            listings=self.listings(fields["listings"], hidden) if "listings" in fields else (),
            hidden=hidden,
            crisis_regions=self.crisis_regions(fields.get("crisis_regions")),
        )

    def text(self, node: Node, field: str) -> str:
        if not isinstance(node, Scalar) or node.kind != _STR or not node.value.strip():
            self.error(node, f"'{field}' must be text, not {describe(node)}")
            return ""
        if first_forbidden(node.value) is not None:
            self.error(node, f"'{field}' contains a control or invisible character; delete it")
            return ""
        text = node.value.strip()
        limit = _LIMITS.get(field)
        if limit and len(text) > limit:
            self.error(node, f"'{field}' is {len(text)} characters long; the limit is {limit}")
        return text

    def file(self, node: Node, field: str) -> Path | None:
        """A file named in ``field``: inside the overlay folder, and there."""
        name = self.text(node, field)
        if not name:
            return None
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents:
            self.error(node, f"'{field}' must name a file inside the overlay folder, not '{name}'")
            return None
        if not path.is_file():
            self.error(node, f"'{field}' names {name}, which is not a file in {self.folder}")
            return None
        return path

    def logo(self, node: Node) -> Path | None:
        path = self.file(node, "logo")
        if path is None:
            return None
        if path.suffix.lower() not in LOGO_TYPES:
            self.error(node, f"'logo' must be one of these kinds of image: {', '.join(LOGO_TYPES)}")
            return None
        size = path.stat().st_size
        if size > LOGO_MAX_BYTES:
            self.error(node, f"'logo' is {size:,} bytes; keep it under {LOGO_MAX_BYTES:,}")
            return None
        if not _is_image(path.read_bytes(), path.suffix.lower()):
            kind = path.suffix.lower().lstrip(".").upper()
            self.error(node, f"'logo' names {node.value}, which does not hold a {kind} image")
            return None
        return path

    def colours(self, node: Node | None) -> MappingABC[str, Colour]:
        if node is None:
            return MappingProxyType({})
        if not isinstance(node, Mapping):
            self.error(node, f"'colours' must be a set of fields, not {describe(node)}")
            return MappingProxyType({})
        found = {}
        for key, value in node.pairs.values():
            if isinstance(value, Scalar) and _HEX.match(value.value):
                found[key.value] = Colour(_six_digits(value.value), value.line, value.col)
            else:
                shown = f"'{value.value}'" if isinstance(value, Scalar) else describe(value)
                self.error(
                    value,
                    f"colour '{key.value}' must be written #rrggbb or #rgb, in quotes, not {shown}",
                )
        return MappingProxyType(found)

    def welcome(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        text = self.text(node, "welcome")
        return tuple(part.strip() for part in text.split("\n\n") if part.strip())

    def eap(self, node: Node) -> MappingABC[str, str] | None:
        if not isinstance(node, Mapping):
            self.error(node, f"'eap' must be a set of fields ({', '.join(_EAP_FIELDS)})")
            return None
        found = {}
        for key, value in node.pairs.values():
            if key.value not in _EAP_FIELDS:
                self.error(key, f"unknown field '{key.value}'; expected {', '.join(_EAP_FIELDS)}")
                continue
            text = self.text(value, key.value)
            problem = field_problem(key.value, text) if text else None
            if problem:
                self.error(value, problem)
            if key.value == "url" and text:
                self.check_url(value, text)
            found[key.value] = text
        for problem in missing_problems(found):
            self.error(node, problem)
        return MappingProxyType(found)

    def check_url(self, node: Node, text: str) -> None:
        parts = urlsplit(text)
        problem = None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem = "must be an http:// or https:// address"
        elif " " in text or '"' in text or "<" in text:
            problem = "contains spaces or quotes"
        else:
            # An intranet address is what an EAP link often is: local names are fine here.
            problem = host_problem(parts.hostname, allow_local=True)
        if problem:
            self.error(node, f"'url' {problem}")

    def ids(self, node: Node | None, field: str) -> list[Scalar]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self.error(node, f"'{field}' must be a list, such as [first-id, second-id]")
            return []
        items = []
        for item in node.items:
            if isinstance(item, Scalar) and item.kind == _STR and item.value:
                items.append(item)
            else:
                self.error(item, f"each item of '{field}' must be text, not {describe(item)}")
        return items

    def hidden(self, node: Node | None) -> frozenset[str]:
        known = {group.id for group in self.catalog.groups}
        found = set()
        for item in self.ids(node, "hide"):
            if item.value not in known:
                self.error(item, f"'hide' names '{item.value}', which is not a listing's id")
            found.add(item.value)
        return frozenset(found)

    def crisis_regions(self, node: Node | None) -> tuple[str, ...] | None:
        if node is None:
            return None
        found = []
        for item in self.ids(node, "crisis_regions"):
            if item.value not in self.regions:
                allowed = ", ".join(sorted(self.regions))
                self.error(
                    item,
                    f"'crisis_regions' names '{item.value}', which the helplines file has no "
                    f"lines for; choose from {allowed}",
                )
            found.append(item.value)
        if isinstance(node, Sequence) and not node.items:
            self.error(node, "'crisis_regions' must name at least one region")
        return tuple(found)

    def listings(self, node: Node, hidden: frozenset[str]) -> tuple[Group, ...]:
        path = self.file(node, "listings")
        if path is None:
            return ()
        shown = str(self.folder / node.value)  # type: ignore[attr-defined]
        root, problems = read_yaml(path, label=shown)
        self.problems += problems
        validator = ListingValidator(shown, self.catalog.taxonomy, self.today, self.problems)
        groups = validator.listings(root) if root is not None or not problems else []
        if isinstance(root, Sequence):
            self.check_against_catalog(shown, root, hidden)
        return tuple(groups)

    def check_against_catalog(self, name: str, root: Sequence, hidden: frozenset[str]) -> None:
        """An own listing may not take a main listing's id, nor repeat the web address of one
        still shown (hide that one to show the organisation's own description instead)."""
        ids = {group.id for group in self.catalog.groups}
        urls = {url_key(g.url): g.id for g in self.catalog.groups if g.id not in hidden}
        for item in root.items:
            if not isinstance(item, Mapping):
                continue
            listing_id = _scalar(item, "id")
            if listing_id and listing_id.value in ids:
                self.problems.append(
                    _problem(
                        name,
                        listing_id,
                        f"id '{listing_id.value}' is already used by a listing of the main "
                        "catalog; choose another id",
                    )
                )
            url = _scalar(item, "url")
            if url and url_key(url.value) in urls:
                self.problems.append(
                    _problem(
                        name,
                        url,
                        f"url '{url.value}' is already listed as '{urls[url_key(url.value)]}' in "
                        "the main catalog; hide that listing to show this one instead",
                    )
                )


def _is_image(data: bytes, suffix: str) -> bool:
    """Whether ``data`` starts as an image of the kind its file name says (a browser would
    show nothing for a text file named logo.png)."""
    if suffix == ".svg":
        head = data[:4096].decode("utf-8", "replace").lower()
        return "<svg" in head
    if suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"  # .webp


def _scalar(node: Mapping, key: str) -> Scalar | None:
    pair = node.pairs.get(key)
    return pair[1] if pair and isinstance(pair[1], Scalar) else None


def _problem(name: str, node: Node, message: str) -> Problem:
    return Problem(name, node.line, node.col, message)


def _six_digits(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        return "#" + "".join(ch * 2 for ch in value[1:])
    return value
