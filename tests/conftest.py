"""Shared fixtures: paths to the real data, the taxonomy and the browser tests' base URL."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from kindred.catalog import Catalog, load_catalog
from kindred.catalog.helplines import load_helplines
from kindred.catalog.overlay import load_overlay, merged
from kindred.catalog.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ROOT / "data" / "groups.yaml"
TAXONOMY = ROOT / "data" / "taxonomy.yaml"
HELPLINES = ROOT / "data" / "helplines.yaml"
EXAMPLE_OVERLAY = ROOT / "examples" / "overlay"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real catalog."""
    return load_catalog(GROUPS, TAXONOMY)


def built_once(factory: pytest.TempPathFactory, name: str, **overrides: Any) -> Path:
    """The real site built with ``overrides``, once for the whole test run: `make test` runs
    a process per core (pytest-xdist), and the first that needs a build makes it in the
    run's shared temporary folder while the others wait for it, then read the same files.
    Tests only read these builds (one that changes a site copies it first)."""
    from tests.site_helpers import build_site  # it imports Pelican: only when a test needs it

    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / f"built-once-{name}"
    with open(root / f"built-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / "complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed part-way
            folder.mkdir()
            build_site(folder / "output", **overrides)
            (folder / "complete").touch()
    return folder / "output"


@pytest.fixture(scope="session")
def relative_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run as `make build` does (relative links);
    build tests read it and browser tests serve it."""
    return built_once(tmp_path_factory, "relative")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built once per test run as for publishing under a sub-path (an
    absolute SITEURL, as `make publish` does); tests only read it."""
    from tests.site_helpers import SUBPATH_SITEURL

    return built_once(tmp_path_factory, "published", SITEURL=SUBPATH_SITEURL, RELATIVE_URLS=False)


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation's edition (examples/overlay), built once per test run."""
    return built_once(tmp_path_factory, "edition", KINDRED_OVERLAY=str(EXAMPLE_OVERLAY))


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """The address relative page URLs resolve against (none unless --base-url is given).

    pytest-playwright supplies this fixture itself only as a method of a plugin class, a
    session-scoped form pytest deprecates; a plain function here takes its place.
    """
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


@pytest.fixture(scope="session")
def new_facet_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A site built from copies of the taxonomy and catalog with one more facet:
    (output, taxonomy, groups)."""
    from tests.site_helpers import build_site, with_new_facet

    folder = tmp_path_factory.mktemp("new-facet")
    taxonomy, groups = with_new_facet(folder)
    output = build_site(folder / "output", groups=groups, KINDRED_TAXONOMY=str(taxonomy))
    return output, taxonomy, groups


def overlay_catalog(folder: Path = EXAMPLE_OVERLAY) -> Catalog:
    """The catalog as the edition in ``folder`` shows it (its listings added, some hidden)."""
    catalog = load_catalog(GROUPS, TAXONOMY)
    regions = frozenset(r.region for r in load_helplines(HELPLINES, catalog.taxonomy))
    return merged(catalog, load_overlay(folder, catalog, regions))
