"""Compact data files that let the directory filter without downloading a word index.

Pagefind answers text searches; but browsing by filters alone through Pagefind downloads its
whole word index (hundreds of KB at a few thousand listings). Instead the directory fetches:

    search/facets.json        the filter facets' labels, the number of groups, and how many
                              groups each value's filter shows
    search/membership.bin     one bitset per filter value, over groups in name order (gzip):
                              the groups its filter shows (Catalog.groups_matching)
    search/terms.bin          every label, other name and search term of each filter value,
                              normalised (gzip JSON, facet key -> value slug -> [names, search
                              terms]): how the finder reads a person's words, corrects slips
                              and offers the filters the words name
    search/cards-<k>.bin      the cards of groups k*CHUNK .. (k+1)*CHUNK-1 (gzip JSON list of
                              HTML): the very card the lists without JavaScript show, rendered
                              once by the site's template, so both can never disagree

and computes matches and counts itself. The .bin names keep static servers from adding a
Content-Encoding header of their own; the browser inflates them with DecompressionStream.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping

from kindred.catalog import Catalog
from kindred.catalog.taxonomy import normalise_term

CHUNK = 32
SUMMARY_LENGTH = 160


def summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first ``limit`` characters, cut at a word and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def search_files(catalog: Catalog, cards: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    """Every search data file as (path relative to the output folder, content); ``cards`` is
    each group's rendered card, by id, as the directory page shows it."""
    yield "search/facets.json", _facets_json(catalog)
    yield "search/membership.bin", _gzip(_membership(catalog))
    yield "search/terms.bin", _gzip(_terms(catalog))
    for start in range(0, len(catalog.groups), CHUNK):
        chunk = [str(cards[group.id]) for group in catalog.groups[start : start + CHUNK]]
        text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
        yield f"search/cards-{start // CHUNK}.bin", _gzip(text.encode("utf-8"))


def _facets_json(catalog: Catalog) -> bytes:
    counts = catalog.counts()
    data = {
        "count": len(catalog.groups),
        "chunk": CHUNK,
        "facets": [
            {
                "key": facet.key,
                "label": facet.label,
                "question": facet.question,
                "multiple": facet.multiple,
                "values": [
                    {"slug": v.slug, "label": v.label, "n": counts[facet.key][v.slug]}
                    for v in facet.values
                ],
            }
            for facet in catalog.taxonomy.with_role("filter")
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _membership(catalog: Catalog) -> bytes:
    """Bitsets in taxonomy order; bit i of a value's bitset is set when group i has it.

    Each bitset is padded to whole 32-bit words so the browser can AND and OR them as
    Uint32Arrays.
    """
    positions = {group.id: index for index, group in enumerate(catalog.groups)}
    words = (len(catalog.groups) + 31) // 32
    out = bytearray()
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            bits = bytearray(words * 4)
            for group in catalog.groups_matching(facet.key, value.slug):
                index = positions[group.id]
                bits[index // 8] |= 1 << (index % 8)
            out += bits
    return bytes(out)


def _terms(catalog: Catalog) -> bytes:
    """Facet key -> value slug -> [its names, its search terms], normalised: grouped by value,
    so no key or slug repeats. Names (label and other names) are what a correction of a slip
    should read as; search terms include the slips themselves."""
    grouped: dict[str, dict[str, list[list[str]]]] = {}
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            names = [value.label, *value.other_names]
            grouped.setdefault(facet.key, {})[value.slug] = [
                sorted({normalise_term(name) for name in names}),
                sorted({normalise_term(term) for term in value.search_terms}),
            ]
    return json.dumps(grouped, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)
