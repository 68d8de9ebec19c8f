"""Shared fixtures: paths to the real data and a helper to write listing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kindred.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ROOT / "data" / "groups.yaml"
TAXONOMY = ROOT / "data" / "taxonomy.yaml"
HELPLINES = ROOT / "data" / "helplines.yaml"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY)
