"""Synthetic catalogs of any size, for tests and benchmarks.

Listings are written as YAML text directly (faster than a YAML dumper at 10,000 listings).
Given a model catalog (normally the real one), they look like it scaled up: words are drawn
from the model's own descriptions with their frequencies, and each facet's values are those
of a randomly chosen model listing, so value frequencies match the real catalog's. Without a
model, facet values are picked uniformly and text comes from a small fixed vocabulary.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from kindred.catalog import Catalog
from kindred.catalog.taxonomy import Taxonomy

FALLBACK_WORDS = [
    "calm",
    "circle",
    "harbour",
    "lantern",
    "meadow",
    "bridge",
    "compass",
    "haven",
    "garden",
    "river",
    "beacon",
    "shelter",
    "fellows",
    "steady",
    "together",
    "open",
    "kind",
    "hope",
    "path",
    "light",
    "morning",
    "evening",
    "north",
    "south",
]


def synthetic_yaml(
    taxonomy: Taxonomy, count: int, seed: int = 1, model: Catalog | None = None
) -> str:
    """``count`` valid listings as YAML text; the same arguments give the same text."""
    rng = random.Random(seed)
    words = _vocabulary(model) if model else FALLBACK_WORDS
    parts = []
    for number in range(count):
        name = f"{rng.choice(words).title()} {rng.choice(words).title()} group {number}"
        lines = [
            f"- id: group-{number}",
            f"  name: {json.dumps(name)}",
            f"  organization: {json.dumps(rng.choice(words).title() + ' Network')}",
            f"  url: https://example-{number}.org/support",
            "  description: " + json.dumps(" ".join(rng.choices(words, k=40))),
            "  how_to_join: " + json.dumps(" ".join(rng.choices(words, k=20))),
        ]
        for facet in taxonomy.facets:
            slugs = _facet_values(rng, facet.key, facet.slugs, facet.multiple, model)
            value = f"[{', '.join(slugs)}]" if facet.multiple else slugs[0]
            lines.append(f"  {facet.field}: {value}")
        lines.append(f"  added: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _vocabulary(model: Catalog) -> list[str]:
    """Every word of the model's descriptions, repeats kept, so choice() follows frequency."""
    text = " ".join(f"{g.description} {g.how_to_join}" for g in model.groups)
    return re.findall(r"[a-z]{3,}", text.lower())


def _facet_values(
    rng: random.Random, key: str, slugs: tuple[str, ...], multiple: bool, model: Catalog | None
) -> tuple[str, ...]:
    if model:
        return rng.choice(model.groups).slugs(key)
    if multiple:
        return tuple(rng.sample(slugs, k=min(len(slugs), rng.randint(1, 3))))
    return (rng.choice(slugs),)


def write_synthetic(
    taxonomy: Taxonomy, count: int, path: Path, seed: int = 1, model: Catalog | None = None
) -> Path:
    path.write_text(synthetic_yaml(taxonomy, count, seed, model), encoding="utf-8")
    return path
