"""The Pelican plugin: validates the catalog and renders the directory from it.

The pages it writes are listed once, in kindred.site.pages, and rendered through Pelican's
writer (so `content_written` and other plugins see every one). It also writes sitemap.xml,
robots.txt, Atom feeds of newly added listings (all of them, and by value), the data the
directory's filters read (kindred.site.search_data) and the open data downloads
(kindred.opendata: JSON, CSV and Open Referral HSDS). Before any of its pages, it starts
Pagefind over small search pages (kindred.site.search_index), which runs while the site is
rendered; once both are done the finder learns which index entry is which group, and the
finished build replaces the previous one (kindred.site.staging). Pelican itself renders the
home page and the guidance in content/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.ext import Extension
from markupsafe import Markup, escape
from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.helplines import RegionLines, band_lines, load_helplines
from kindred.catalog.model import Group
from kindred.catalog.overlay import Overlay, load_overlay, merged
from kindred.catalog.problems import CatalogError
from kindred.catalog.related import related_groups
from kindred.catalog.staleness import verification_status
from kindred.opendata.files import DOWNLOADS, export_files
from kindred.opendata.source import Source
from kindred.site import staging
from kindred.site.assets import minify_theme
from kindred.site.branding import colour_problems, overlay_css
from kindred.site.content_check import content_problems
from kindred.site.facts import decision_facts
from kindred.site.feeds import (
    FEED_PATH,
    new_groups_feed,
    robots_txt,
    sitemap_files,
    value_feed_path,
    value_feeds,
)
from kindred.site.fragments import Once
from kindred.site.handout import page_qr, short_address
from kindred.site.jsonld import group_jsonld
from kindred.site.pages import NOT_FOUND_PATH, SitePage, group_page, site_pages
from kindred.site.search_data import card_path, lead_sentence, search_files, summary
from kindred.site.search_index import IndexFailed, Indexing, write_page_ids, write_search_pages
from kindred.site.server_files import meta_policy, server_files
from kindred.site.settings import DATA_SETTINGS, SettingsError, apply_defaults_and_check

# Renders one result card on its own; see theme/templates/partials/results.html.
_ONE_CARD = (
    '{% from "partials/results.html" import result_card with context %}{{ result_card(group) }}'
)
# Stands in for SITEURL while each card is rendered once; catalog text cannot hold a control
# character (the validator refuses them), so only the template's own links carry it.
_SITEURL_MARK = "\x00siteurl\x00"
# The finder lives on this page: cards it shows are rendered for its depth.
FINDER_PATH = "groups/"
# Where an overlay's logo and colours go in the output.
OVERLAY_OUTPUT = "overlay/"
# Pagefind runs while the build goes on, by staging folder (see start_indexing).
_INDEXING: dict[str, Indexing] = {}


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


class _NoIndentation(Extension):
    """Drops the indentation at the start of each template line as templates are compiled.

    It makes the templates readable but would be sent in each of tens of thousands of pages.
    Browsers treat any run of white space between words or tags alike, and no template of the
    site holds a <pre> or a <textarea>. Only after a tag whose line break is trimmed
    (trim_blocks) is the indentation all that separates what comes before and after: one
    space stays there.
    """

    _after_tag = re.compile(r"(?<=[%#]\})\n[ \t]+")
    _indent = re.compile(r"(?<![%#]\})\n[ \t]+")

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return self._indent.sub("\n", self._after_tag.sub("\n ", source))


class _Linked:
    """A content object whose url is worked out once (Pelican's works it out on each use)."""

    def __init__(self, content: Any):
        self._content = content
        self.url = content.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._content, name)


class _CardsAt(Mapping[str, Markup]):
    """Each group's card, by id, with its links made for one page (``site_url``)."""

    def __init__(self, rendered: dict[str, str], site_url: str):
        self._rendered = rendered
        self._link_root = str(escape(site_url))

    def __getitem__(self, group_id: str) -> Markup:
        return Markup(self._rendered[group_id].replace(_SITEURL_MARK, self._link_root))

    def __iter__(self) -> Iterator[str]:
        return iter(self._rendered)

    def __len__(self) -> int:
        return len(self._rendered)


class CatalogGenerator(Generator):
    def generate_context(self) -> None:
        try:
            catalog, helplines, overlay = load_edition(self.settings)
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
        self._card_html: dict[str, str] | None = None
        self._folders: set[Path] = set()  # made already while writing the extras
        self.env.globals.update(
            summary=summary, value_feed_path=value_feed_path, lead_sentence=lead_sentence
        )
        self.env.add_extension(_NoIndentation)
        # Templates do not change during a build: spare a stat() per include on every page.
        self.env.auto_reload = False

    def generate_output(self, writer: Any) -> None:
        self.env.autoescape = True  # catalog text is untrusted: escape it, always
        # The search index needs nothing the pages below add: start it first, so it runs
        # beside them (see kindred.site.search_index).
        self.start_indexing()
        # The open data is thousands of small files no page needs: a child process writes
        # them while this one renders.
        open_data = _in_child(self.write_open_data)
        try:
            self.write_pages(writer)
            self.write_extras()
        except BaseException:
            open_data.stop()
            raise
        open_data.finish()

    def write_pages(self, writer: Any) -> None:
        related = related_groups(self.catalog)
        today = dt.date.today()
        for page in self.planned:
            extra = {}
            if page.template == "group":
                extra = self.group_values(page.values["group"], related, today)
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.page_context,
                relative_urls=self.relative_urls_for(page),
                **self.page_values(page, extra),
            )

    @functools.cached_property
    def page_context(self) -> dict[str, Any]:
        """The context every page is rendered with. Every page's footer links to the site's
        pages: their addresses are worked out once."""
        pages = [_Linked(page) for page in self.context.get("pages", [])]
        return {**self.context, "pages": pages}

    def page_values(self, page: SitePage, extra: dict[str, Any]) -> dict[str, Any]:
        """What the template of ``page`` is given besides the context."""
        return {"cards": self.cards(page.save_as), "page_path": page.path, **page.values, **extra}

    def relative_urls_for(self, page: SitePage) -> bool:
        """Whether the page's links are relative to where it is saved. The 404 page is served
        at whatever address was missing, at any depth, so a relative build writes it with
        links from the server's root (SITEURL is empty there) instead."""
        return self.settings["RELATIVE_URLS"] and page.path != NOT_FOUND_PATH

    def edition_of(self, catalog: Catalog) -> Catalog:
        """``catalog`` as this site shows it: an organisation's overlay, when there is one,
        is checked against it again and merged in. Raises CatalogError or OSError, and
        BuildStopped when the overlay and the settings both set one thing."""
        if self.overlay is None:
            return catalog
        overlay = _load_overlay(self.settings, catalog, self.context["helplines"])
        return merged(catalog, overlay)

    def update_listings(self, catalog: Catalog, output: Path) -> list[str]:
        """Write straight into the published ``output`` what a change of listings alters most
        visibly: the pages of changed and new groups, and the finder's data (its cards and
        filters). Lists, facet pages, feeds, downloads and similar groups elsewhere wait for a
        full build (the dev server runs one next). Returns the paths written, from the
        output's root.
        """
        before = {group.id: group for group in self.catalog.groups}
        order_before = list(before)  # the ids in name order, as the positions were
        changed = [group for group in catalog.groups if not _same(before.get(group.id), group)]
        self.catalog = catalog
        self.context.update(catalog=catalog, facet_counts=catalog.counts())
        self.page_context.update(catalog=catalog, facet_counts=catalog.counts())
        cards = self.rendered_cards()
        template = self.env.from_string(_ONE_CARD)
        context = {**self.context, "SITEURL": _SITEURL_MARK}
        for group in changed:
            cards[group.id] = template.render(context, group=group)
        related, today = related_groups(catalog), dt.date.today()
        pages: dict[str, bytes] = {}
        for group in changed:
            page = group_page(group)
            extra = self.group_values(group, related, today)
            pages[page.save_as] = self.render(page, extra).encode("utf-8")
        _replace_all(output, pages)  # first: the page is what the editor is looking at
        # A card alone is written again where its group changed or another group now stands.
        ids = {group.id for group in changed}
        moved = [
            position
            for position, group in enumerate(catalog.groups)
            if group.id in ids
            or position >= len(order_before)
            or order_before[position] != group.id
        ]
        finder_cards = self.cards(FINDER_PATH + "index.html")
        data = dict(search_files(self.catalog, finder_cards, card_positions=moved))
        _replace_all(output, data)
        with staging.publish_lock(output):  # the cards of positions no group holds now
            for position in range(len(catalog.groups), len(order_before)):
                (output / card_path(position)).unlink(missing_ok=True)
        return sorted([*pages, *data])

    def render(self, page: SitePage, extra: dict[str, Any]) -> str:
        """``page`` as Pelican's writer renders it (see write_file), without writing it."""
        site_url = self.siteurl_for(page.save_as)
        local = {**self.page_context, "SITEURL": site_url, "output_file": page.save_as}
        if self.settings["RELATIVE_URLS"]:
            local["localsiteurl"] = site_url
        local.update(self.page_values(page, extra))
        return self.get_template(page.template).render(local)

    def start_indexing(self) -> None:
        """Write the search pages and start Pagefind over them (Pelican has written the
        articles already)."""
        build = staging.build_for(self.output_path)
        if build is None:
            return
        articles = [article.save_as for article in self.context.get("articles", [])]
        build.indexed_pages = len(self.catalog.groups) + len(articles)
        build.group_pages = tuple(f"groups/{group.id}/" for group in self.catalog.groups)
        pages = write_search_pages(
            build.staging,
            self.catalog,
            self.cards(FINDER_PATH + "index.html"),
            articles,
            self.settings["DEFAULT_LANG"],
        )
        timeout = self.settings["KINDRED_INDEX_TIMEOUT"]
        _INDEXING[str(build.staging)] = Indexing(pages, build.staging, timeout)

    def group_values(self, group: Any, related: dict[str, list], today: dt.date) -> dict:
        site_url = self.settings.get("SITEURL", "")
        path = f"groups/{group.id}/"
        report = self.settings["KINDRED_REPORT_URL"]
        return {
            "related": related[group.id],
            "jsonld": Markup(group_jsonld(group, f"{site_url}/{path}" if site_url else "")),
            # An organisation's own listings are its to correct, not the catalog's editors'.
            "report_url": report.format(id=group.id) if report and not group.added_by else "",
            "verification": verification_status(group, today, self.settings["KINDRED_STALE_DAYS"]),
        }

    def cards(self, save_as: str) -> Mapping[str, Markup]:
        """Each group's card as seen from the page saved at ``save_as``.

        Facet pages together list every group many times over, and pages at different depths
        need different relative links: each card is rendered once, with a mark where SITEURL
        goes, and the mark is replaced for each page. This keeps the build linear in the
        number of listings, and cheap.
        """
        return _CardsAt(self.rendered_cards(), self.siteurl_for(save_as))

    def rendered_cards(self) -> dict[str, str]:
        """Every group's card by id, rendered once, with _SITEURL_MARK for SITEURL."""
        if self._card_html is None:
            template = self.env.from_string(_ONE_CARD)
            context = {**self.context, "SITEURL": _SITEURL_MARK}
            self._card_html = {
                group.id: template.render(context, group=group) for group in self.catalog.groups
            }
        return self._card_html

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
            **{name: xml.encode("utf-8") for name, xml in sitemap_files(site_url, paths).items()},
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


class _Child:
    """Work running in a child process (see _in_child)."""

    def __init__(self, pid: int | None):
        self.pid = pid

    def finish(self) -> None:
        """Wait for the work; stop the build if it failed (the child said why)."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if os.waitstatus_to_exitcode(status) != 0:
                raise BuildStopped(1)

    def stop(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _in_child(work: Callable[[], None]) -> _Child:
    """Run ``work`` in a forked child, beside this process (on a system without fork, here
    and now). The child has the catalog as it is in memory, the edition's overlay included;
    a failed write there is reported as the build reports its own, and ends the build."""
    if not hasattr(os, "fork"):
        work()
        return _Child(None)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return _Child(pid)
    code = 0
    try:
        work()
    except OSError as error:
        try:
            _stop_for(error, "write the site")  # says why, as the parent would
        except BuildStopped as stopped:
            code = stopped.code
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)  # never return into the parent's build


def _same(old: Group | None, new: Group) -> bool:
    """Whether a listing says the same as before, wherever it stands in the file now."""
    return old is not None and (old == new or dataclasses.replace(old, line=new.line) == new)


def _replace_all(output: Path, files: Mapping[str, bytes]) -> None:
    """Replace ``files`` (path from the output's root -> content) in the published output,
    which no build swaps away meanwhile."""
    with staging.publish_lock(output):
        for relative, data in files.items():
            _replace(output / relative, data)


def _replace(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` in one step, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.kindred-new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def load_edition(
    settings: dict[str, Any],
) -> tuple[Catalog, tuple[RegionLines, ...], Overlay | None]:
    """The catalog as the site built with ``settings`` shows it (an organisation's overlay
    merged in), its helplines and the overlay. Every problem is printed, and BuildStopped
    raised (exit 1 for data, 2 for I/O and settings), as for the build itself."""
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
        "facts_of": decision_facts,
    }
    # The page frame every template extends renders its shared parts once (`{% once %}`).
    environment = dict(pelican.settings.get("JINJA_ENVIRONMENT", {}))
    extensions = list(environment.get("extensions", ()))
    if Once not in extensions:
        environment["extensions"] = [*extensions, Once]
    pelican.settings["JINJA_ENVIRONMENT"] = environment


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
        indexing = _INDEXING.pop(str(build.staging), None)
        if indexing is not None:
            indexing.stop()
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
    indexing = _INDEXING.pop(str(build.staging), None)
    try:
        if indexing is None:  # the catalog's pages were never written
            raise IndexFailed("no search pages were written; the search index is incomplete")
        minify_theme(build.staging / pelican.settings["THEME_STATIC_DIR"])
        indexing.finish(build.indexed_pages)
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


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.initialized.connect(_add_template_helpers)
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_check_content)
    signals.all_generators_finalized.connect(_guard_writes)
    signals.finalized.connect(_finish)
