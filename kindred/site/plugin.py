"""The Pelican plugin: validates the catalog and renders the directory from it.

The pages it writes are listed once, in kindred.site.pages, and rendered through Pelican's
writer (so `content_written` and other plugins see every one). It also writes sitemap.xml,
robots.txt, Atom feeds of newly added listings (all of them, and by value), the data the
directory's filters read (kindred.site.search_data) and the open data downloads
(kindred.opendata: JSON, CSV and Open Referral HSDS). When every page is written, Pagefind
indexes the site (and the finder learns which index entry is which group,
kindred.site.search_index) and the finished build replaces the previous one
(kindred.site.staging). Pelican itself renders the home page and the guidance in content/.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.helplines import RegionLines, band_lines, load_helplines
from kindred.catalog.overlay import Overlay, load_overlay, merged
from kindred.catalog.problems import CatalogError
from kindred.catalog.related import related_groups
from kindred.catalog.staleness import verification_status
from kindred.opendata.files import DOWNLOADS, export_files
from kindred.opendata.source import Source
from kindred.site import staging
from kindred.site.branding import colour_problems, overlay_css
from kindred.site.content_check import content_problems
from kindred.site.feeds import (
    FEED_PATH,
    new_groups_feed,
    robots_txt,
    sitemap_xml,
    value_feed_path,
    value_feeds,
)
from kindred.site.handout import page_qr, short_address
from kindred.site.jsonld import group_jsonld
from kindred.site.pages import NOT_FOUND_PATH, SitePage, site_pages
from kindred.site.search_data import lead_sentence, search_files, sort_keys, summary
from kindred.site.search_index import IndexFailed, run_pagefind, write_page_ids
from kindred.site.server_files import meta_policy, server_files
from kindred.site.settings import DATA_SETTINGS, SettingsError, apply_defaults_and_check

# Renders one result card on its own; see theme/templates/partials/results.html.
_ONE_CARD = (
    '{% from "partials/results.html" import result_card with context %}{{ result_card(group) }}'
)
# The finder lives on this page: cards it shows are rendered for its depth.
FINDER_PATH = "groups/"
# Where an overlay's logo and colours go in the output.
OVERLAY_OUTPUT = "overlay/"


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
            catalog, helplines, overlay = _load(self.settings)
        except BuildStopped:
            _discard(self.output_path)  # nothing was written; leave no trace
            raise
        self.catalog = catalog
        self.overlay = overlay
        self.planned = site_pages(catalog, self.settings["KINDRED_PAGE_SIZE"])
        regions = self.settings["KINDRED_CRISIS_REGIONS"]
        if overlay and overlay.crisis_regions:
            regions = list(overlay.crisis_regions)
        self.context.update(
            catalog=catalog,
            taxonomy=catalog.taxonomy,
            facet_counts=catalog.counts(),
            helplines=helplines,
            crisis_band=band_lines(helplines, regions),
            FEED_PATH=FEED_PATH,
            overlay=_overlay_view(overlay),
            content_security_policy=meta_policy(),
            # The site's absolute address, when the build knows it (for QR codes).
            site_address=self.settings.get("SITEURL", "") if _absolute(self.settings) else "",
        )
        if overlay and overlay.eap:
            self.context["KINDRED_EAP"] = dict(overlay.eap)
        for path in [*(page.path for page in self.planned), *DOWNLOADS, FEED_PATH]:
            self.context["generated_content"][path] = _Link(path)
        self._cards: dict[str, dict[str, Markup]] = {}
        self._folders: set[Path] = set()  # made already while writing the extras
        self.env.globals.update(
            summary=summary, value_feed_path=value_feed_path, lead_sentence=lead_sentence
        )

    def generate_output(self, writer: Any) -> None:
        self.env.autoescape = True  # catalog text is untrusted: escape it, always
        related = related_groups(self.catalog)
        positions = {group.id: index for index, group in enumerate(self.catalog.groups)}
        today = dt.date.today()
        for page in self.planned:
            values = dict(page.values)
            if page.template == "group":
                group = values["group"]
                values.update(self.group_values(group, related, today))
                values["sort_keys"] = sort_keys(group, positions[group.id])
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                relative_urls=self.relative_urls_for(page),
                cards=self.cards(page.save_as),
                page_path=page.path,
                **values,
            )
        self.write_extras()
        build = staging.build_for(self.output_path)
        if build is None:
            self.write_open_data()
            return
        # Every group page and every article carries data-pagefind-body.
        build.indexed_pages = len(self.catalog.groups) + len(self.context.get("articles", []))
        build.group_pages = tuple(f"groups/{group.id}/" for group in self.catalog.groups)
        # The open data is thousands of small files that no page needs: they are written
        # while Pagefind, a process of its own, indexes the pages.
        build.alongside_index = self.write_open_data

    def relative_urls_for(self, page: SitePage) -> bool:
        """Whether the page's links are relative to where it is saved. The 404 page is served
        at whatever address was missing, at any depth, so a relative build writes it with
        links from the server's root (SITEURL is empty there) instead."""
        return self.settings["RELATIVE_URLS"] and page.path != NOT_FOUND_PATH

    def group_values(self, group: Any, related: dict[str, list], today: dt.date) -> dict:
        site_url = self.settings.get("SITEURL", "")
        path = f"groups/{group.id}/"
        report = self.settings["KINDRED_REPORT_URL"]
        return {
            "related": related[group.id],
            # The card search results show, as the finder page would render it.
            "finder_card": self.cards(FINDER_PATH + "index.html")[group.id],
            "jsonld": Markup(group_jsonld(group, f"{site_url}/{path}" if site_url else "")),
            "report_url": report.format(id=group.id) if report else "",
            "verification": verification_status(group, today, self.settings["KINDRED_STALE_DAYS"]),
        }

    def cards(self, save_as: str) -> dict[str, Markup]:
        """Each group's card as seen from the page saved at ``save_as``, rendered once per
        folder depth: facet pages together list every group many times over, so reusing the
        rendered card keeps the build linear in the number of listings."""
        site_url = self.siteurl_for(save_as)
        if site_url not in self._cards:
            template = self.env.from_string(_ONE_CARD)
            context = {**self.context, "SITEURL": site_url}
            self._cards[site_url] = {
                group.id: Markup(template.render(context, group=group))
                for group in self.catalog.groups
            }
        return self._cards[site_url]

    def siteurl_for(self, save_as: str) -> str:
        """SITEURL as Pelican's writer sets it for the page saved at ``save_as``."""
        if self.settings["RELATIVE_URLS"]:
            return path_to_url(get_relative_path(save_as))
        return self.settings.get("SITEURL", "")

    def write_extras(self) -> None:
        site_url = self.settings.get("SITEURL", "")
        paths = ["", *(page.path for page in self.planned if page.listed)]
        paths += [item.url for key in ("articles", "pages") for item in self.context.get(key, [])]
        files = {
            "sitemap.xml": sitemap_xml(site_url, paths).encode("utf-8"),
            "robots.txt": robots_txt(site_url).encode("utf-8"),
            FEED_PATH: new_groups_feed(
                self.settings["SITENAME"],
                site_url,
                self.catalog.groups,
                self.settings["DEFAULT_LANG"],
            ).encode("utf-8"),
        }
        finder_cards = self.cards(FINDER_PATH + "index.html")
        files.update(search_files(self.catalog, finder_cards))
        files.update(server_files(self.settings["KINDRED_FRAME_ANCESTORS"], site_url))
        if self.overlay:
            files.update(_overlay_files(self.overlay))
        for relative, data in files.items():
            self.write(relative, data)

    def write_open_data(self) -> None:
        """The feeds of each value's new groups and the downloads: JSON, CSV and HSDS."""
        site_name, site_url = self.settings["SITENAME"], self.settings.get("SITEURL", "")
        language = self.settings["DEFAULT_LANG"]
        for relative, data in value_feeds(site_name, site_url, self.catalog, language):
            self.write(relative, data)
        source = Source(site_name, site_url, language)
        for relative, data in export_files(self.catalog, source):  # thousands: one at a time
            self.write(relative, data)

    def write(self, relative: str, data: bytes) -> None:
        target = Path(self.output_path, relative)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_bytes(data)


def _load(settings: dict[str, Any]) -> tuple[Catalog, tuple[RegionLines, ...], Overlay | None]:
    overlay = None
    try:
        catalog = load_catalog(settings["KINDRED_GROUPS"], settings["KINDRED_TAXONOMY"])
        helplines = load_helplines(settings["KINDRED_HELPLINES"], catalog.taxonomy)
        if settings["KINDRED_OVERLAY"]:
            overlay = _load_overlay(settings, catalog, helplines)
            catalog = merged(catalog, overlay)
    except CatalogError as error:
        print(error.report(), file=sys.stderr)
        raise BuildStopped(1) from None
    except OSError as error:
        print(f"kindred: error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        raise BuildStopped(2) from None
    unknown = set(settings["KINDRED_CRISIS_REGIONS"] or ()) - {r.region for r in helplines}
    if unknown:
        print(
            f"kindred: error: setting KINDRED_CRISIS_REGIONS names {', '.join(sorted(unknown))}, "
            f"which {settings['KINDRED_HELPLINES']} has no lines for",
            file=sys.stderr,
        )
        raise BuildStopped(2)
    return catalog, helplines, overlay


def _load_overlay(
    settings: dict[str, Any], catalog: Catalog, helplines: tuple[RegionLines, ...]
) -> Overlay:
    regions = frozenset(r.region for r in helplines)
    overlay = load_overlay(settings["KINDRED_OVERLAY"], catalog, regions)
    problems = colour_problems(overlay)
    if problems:
        raise CatalogError(problems)
    twice = [
        name
        for name, setting, mine in (
            ("eap", "KINDRED_EAP", overlay.eap),
            ("crisis_regions", "KINDRED_CRISIS_REGIONS", overlay.crisis_regions),
        )
        if mine and settings[setting]
    ]
    if twice:
        for name in twice:
            print(
                f"kindred: error: both the overlay ({overlay.source}) and the settings set "
                f"{name}; keep one",
                file=sys.stderr,
            )
        raise BuildStopped(2)
    return overlay


@dataclass(frozen=True)
class _OverlayView:
    """What templates need of an overlay: its name, the paths of its files in the output."""

    name: str
    logo: str  # path from the site root, or ""
    stylesheet: str  # likewise
    welcome: tuple[str, ...]


def _overlay_view(overlay: Overlay | None) -> _OverlayView | None:
    if overlay is None:
        return None
    return _OverlayView(
        name=overlay.name,
        logo=OVERLAY_OUTPUT + overlay.logo.name if overlay.logo else "",
        stylesheet=OVERLAY_OUTPUT + "colours.css" if overlay.colours else "",
        welcome=overlay.welcome,
    )


def _overlay_files(overlay: Overlay) -> dict[str, bytes]:
    files = {}
    if overlay.logo:
        files[OVERLAY_OUTPUT + overlay.logo.name] = overlay.logo.read_bytes()
    if overlay.colours:
        files[OVERLAY_OUTPUT + "colours.css"] = overlay_css(overlay).encode("utf-8")
    return files


def _absolute(settings: dict[str, Any]) -> bool:
    site_url = settings.get("SITEURL", "")
    return not settings["RELATIVE_URLS"] and site_url.startswith(("http://", "https://"))


def _check_settings(pelican: Pelican) -> None:
    try:
        apply_defaults_and_check(pelican.settings)
    except SettingsError as error:
        for line in str(error).splitlines():
            print(f"kindred: error: {line}", file=sys.stderr)
        raise BuildStopped(2) from None


def _add_template_helpers(pelican: Pelican) -> None:
    """Helpers every template may use, the guidance's included (Pelican gives each generator
    its own Jinja environment, built from these settings)."""
    pelican.settings["JINJA_FILTERS"] = {
        **pelican.settings.get("JINJA_FILTERS", {}),
        "short_address": short_address,
    }
    pelican.settings["JINJA_GLOBALS"] = {
        **pelican.settings.get("JINJA_GLOBALS", {}),
        "page_qr": page_qr,
    }


def _get_generators(pelican: Pelican) -> type[Generator]:
    """Point this run at a private staging folder (see kindred.site.staging)."""
    # Under `pelican --autoreload` the same Pelican runs again: publish to the same place.
    target = Path(getattr(pelican, "kindred_target", pelican.output_path))
    try:
        build = staging.start(target, _sources(pelican.settings))
    except staging.OutputRefused as error:
        print(f"kindred: error: {error}", file=sys.stderr)
        raise BuildStopped(2) from None
    except OSError as error:
        _stop_for(error, "prepare the output folder")
    pelican.kindred_target = str(build.target)
    pelican.output_path = str(build.staging)
    return CatalogGenerator


def _sources(settings: dict[str, Any]) -> list[Path]:
    """What the site is built from: a build must never publish over any of these."""
    paths = [settings["PATH"], settings.get("THEME", "")]
    paths += [settings[name] for name in DATA_SETTINGS]
    paths.append(settings.get("KINDRED_OVERLAY") or "")
    return [Path(path) for path in paths if path]


def _guard_writes(generators: list[Generator]) -> None:
    """Make a failed write (a full disk, say) stop the build with a message, not a traceback,
    and remove the staging folder; the published site is untouched either way."""
    for generator in generators:
        if hasattr(generator, "generate_output"):
            generator.generate_output = _guarded(generator.generate_output, generator.output_path)


def _guarded(generate_output: Any, output_path: str) -> Any:
    def guarded(writer: Any) -> None:
        try:
            generate_output(writer)
        except OSError as error:
            _discard(output_path)
            _stop_for(error, "write the site")
        except BaseException:
            _discard(output_path)
            raise

    return guarded


def _stop_for(error: OSError, doing: str) -> None:
    where = f" ({error.filename})" if error.filename else ""
    print(f"kindred: error: could not {doing}: {error.strerror or error}{where}", file=sys.stderr)
    raise BuildStopped(1) from None


def _discard(output_path: str) -> None:
    build = staging.build_for(output_path)
    if build is not None:
        staging.discard(build)


def _check_content(generators: list[Generator]) -> None:
    """Stop before anything is written when guidance or pages carry unsafe markup."""
    problems = content_problems(generators, generators[0].settings.get("SITEURL", ""))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in content."
        print("\n".join([*problems, count]), file=sys.stderr)
        _discard(generators[0].output_path)
        raise BuildStopped(1)


def _finish(pelican: Pelican) -> None:
    """Index the complete site and check the index, then swap the site in."""
    build = staging.build_for(pelican.output_path)
    if build is None:
        return
    timeout = pelican.settings["KINDRED_INDEX_TIMEOUT"]
    try:
        with _alongside(build.alongside_index):
            run_pagefind(build.staging, build.indexed_pages, timeout)
        write_page_ids(build.staging, build.group_pages)
        staging.publish(build)
    except IndexFailed as error:
        staging.discard(build)
        print(f"kindred: error: {error}", file=sys.stderr)
        raise BuildStopped(1) from None
    except staging.OutputRefused as error:
        staging.discard(build)
        print(f"kindred: error: {error}", file=sys.stderr)
        raise BuildStopped(2) from None
    except OSError as error:
        staging.discard(build)
        _stop_for(error, "write or publish the site")
    pelican.output_path = str(build.target)


@contextmanager
def _alongside(work: Callable[[], None] | None) -> Iterator[None]:
    """Run ``work`` in a thread while the body runs, wait for both, then raise what ``work``
    raised, here in the build's own thread, where failures stop the build."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()  # type: ignore[misc]
        except BaseException as error:  # re-raised below, in the build's own thread
            failures.append(error)

    thread = threading.Thread(target=run, name="kindred-open-data") if work else None
    if thread:
        thread.start()
    try:
        yield
    finally:
        if thread:
            thread.join()
    if failures:
        raise failures[0]


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.initialized.connect(_add_template_helpers)
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_check_content)
    signals.all_generators_finalized.connect(_guard_writes)
    signals.finalized.connect(_finish)
