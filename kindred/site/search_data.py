"""Compact data files that let the directory filter without downloading a word index.

Pagefind answers text searches; but browsing by filters alone through Pagefind downloads its
whole word index (hundreds of KB at a few thousand listings). Instead the directory fetches:

    search/facets.json        the filter facets' labels, the number of groups, how many
                              groups each value's filter shows, what shows the crisis
                              lines above the groups (urgent values and words), and the
                              bytes of each facet's file and of the pairs below
    search/membership-<facet key>.bin
                              one bitset per value of that filter facet, over groups in name
                              order (gzip): the groups its filter shows
                              (Catalog.groups_matching). A file per facet, so a view fetches
                              only the facets whose counts it must work out
    search/membership/<facet key>/<value slug>.bin
                              the same bitset of one value alone (gzip): what a view filtering
                              by that value needs when the facet's counts are the catalog's
                              own (facets.json), as in a link to one filter. At 100,000
                              groups a facet's file is over a hundred KB; one value's a tenth
    search/pairs.bin          how many groups the filters of two values of different facets
                              both show, as little-endian 32-bit numbers (gzip): for each
                              value of facets.json in its order, with each later value of
                              another facet. With one value chosen in one other facet, a
                              facet's counts are these, so a link to two filters needs no
                              facet's file
    search/beyond/<facet key>/<value slug>.bin
                              for each value of a facet that says what a group is for
                              (`similar` and not `refines`), the groups its filter shows
                              that are also for a need of another family (gzip bitset):
                              words naming the value rank them after the groups about it
    search/terms.bin          every label, other name and search term of each filter value,
                              normalised (gzip JSON, facet key -> value slug -> [names, search
                              terms, and any alike sets, slugs of the values it includes, names
                              read only in capitals, and a language's query words]):
                              how the finder reads a person's words, corrects slips, offers
                              the filters the words name and ranks their groups
    search/cards-<k>.bin      the cards of groups k*CHUNK .. (k+1)*CHUNK-1 (gzip JSON list of
                              HTML): the very card the lists without JavaScript show, rendered
                              once by the site's template, so both can never disagree
    search/card/<i>.bin       the card of group i alone (gzip HTML). A filtered view shows a
                              few groups from each chunk, so it fetches them one by one: a card
                              alone is about an eighth of a chunk
    search/ages.bin           who can join by age: each group's minimum_age, then each one's
                              maximum_age, a byte each (0 when none; gzip), for words that
                              give an age ("im 15")
    search/dates.bin          for sorting by "recently added or checked": each group's added
                              date, then each one's last_verified date (0 when never), as
                              days since 1970-01-01 in little-endian 16-bit numbers (gzip)

and computes matches and counts itself. The .bin names keep static servers from adding a
Content-Encoding header of their own; the browser inflates them with DecompressionStream.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from array import array
from collections.abc import Iterable, Iterator, Mapping
from sys import byteorder

from kindred.catalog import Catalog
from kindred.catalog.taxonomy import Facet, normalise_term

CHUNK = 32
SUMMARY_LENGTH = 160
_EPOCH = dt.date(1970, 1, 1)


def summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first ``limit`` characters, cut at a word and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def lead_sentence(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first sentence, when it fits in ``limit`` characters; else the summary."""
    end = text.find(". ")
    if 0 < end < limit:
        return text[: end + 1]
    return summary(text, limit)


def search_files(
    catalog: Catalog, cards: Mapping[str, str], card_positions: Iterable[int] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every search data file as (path relative to the output folder, content); ``cards`` is
    each group's rendered card, by id, as the directory page shows it. With
    ``card_positions``, only those positions' search/card/<i>.bin (a quick update of a few
    listings leaves the others as they were)."""
    positions = {group.id: index for index, group in enumerate(catalog.groups)}
    facets = catalog.taxonomy.with_role("filter")
    bitsets = {facet.key: _membership(catalog, facet, positions) for facet in facets}
    facet_files = {key: _gzip(b"".join(values)) for key, values in bitsets.items()}
    pairs = _gzip(_pairs([(key, bits) for key, values in bitsets.items() for bits in values]))
    sizes = {key: len(file) for key, file in facet_files.items()}
    yield "search/facets.json", _facets_json(catalog, sizes, len(pairs))
    for facet in facets:
        yield f"search/membership-{facet.key}.bin", facet_files[facet.key]
        for value, bits in zip(facet.values, bitsets[facet.key], strict=True):
            yield f"search/membership/{facet.key}/{value.slug}.bin", _gzip(bits)
    yield "search/pairs.bin", pairs
    for facet in facets:
        if facet.roles.similar and not facet.roles.refines:
            for value, bits in _beyond(catalog, facet, positions):
                yield f"search/beyond/{facet.key}/{value}.bin", _gzip(bits)
    yield "search/dates.bin", _gzip(_dates(catalog))
    yield "search/ages.bin", _gzip(_ages(catalog))
    yield "search/terms.bin", _gzip(_terms(catalog))
    for start in range(0, len(catalog.groups), CHUNK):
        chunk = [str(cards[group.id]) for group in catalog.groups[start : start + CHUNK]]
        text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
        yield f"search/cards-{start // CHUNK}.bin", _gzip(text.encode("utf-8"))
    if card_positions is None:
        card_positions = range(len(catalog.groups))
    for position in card_positions:
        card = str(cards[catalog.groups[position].id])
        # Level 6: on a text this short, 9 makes no smaller file and takes three times as long.
        yield card_path(position), _gzip(card.encode("utf-8"), level=6)


def card_path(position: int) -> str:
    """Where the card of the group at ``position`` (in name order) is written alone."""
    return f"search/card/{position}.bin"


def _facets_json(catalog: Catalog, file_sizes: Mapping[str, int], pairs_size: int) -> bytes:
    """``file_sizes``: the bytes of each facet's file of bitsets, by key; ``pairs_size``: of
    search/pairs.bin. The finder fetches the pairs only where they cost less than the files
    they stand in for: at a few hundred groups a facet's file is smaller."""
    counts = catalog.counts()
    data = {
        "count": len(catalog.groups),
        "chunk": CHUNK,
        "pairs_bytes": pairs_size,
        "urgent": [normalise_term(term) for term in catalog.taxonomy.urgent_terms],
        "facets": [
            {
                "key": facet.key,
                "bytes": file_sizes[facet.key],
                "label": facet.label,
                "question": facet.question,
                "multiple": facet.multiple,
                **({"refines": True} if facet.roles.refines else {}),
                **({"similar": True} if facet.roles.similar else {}),
                **({"is_language": True} if facet.roles.language else {}),
                "values": [
                    {
                        "slug": v.slug,
                        "label": v.label,
                        "n": counts[facet.key][v.slug],
                        **({"urgent": True} if v.urgent else {}),
                    }
                    for v in facet.values
                ],
            }
            for facet in catalog.taxonomy.with_role("filter")
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _membership(catalog: Catalog, facet: Facet, positions: Mapping[str, int]) -> list[bytes]:
    """The bitsets of ``facet``'s values in taxonomy order; bit i of a value's bitset is set
    when group i (``positions``: each group's index by id) has it.

    Each bitset is padded to whole 32-bit words so the browser can AND and OR them as
    Uint32Arrays.
    """
    return [
        _bitset(
            (positions[group.id] for group in catalog.groups_matching(facet.key, value.slug)),
            len(catalog.groups),
        )
        for value in facet.values
    ]


def _bitset(indices: Iterable[int], count: int) -> bytes:
    """Bit i set for each of ``indices``, over ``count`` groups padded to whole 32-bit words."""
    bits = bytearray((count + 31) // 32 * 4)
    for index in indices:
        bits[index // 8] |= 1 << (index % 8)
    return bytes(bits)


def _beyond(
    catalog: Catalog, facet: Facet, positions: Mapping[str, int]
) -> Iterator[tuple[str, bytes]]:
    """(slug, bitset) for each value of ``facet``: the groups its filter shows that are also
    for a need of another family (a value whose ``family``, or whose own slug where it has
    none, differs): a cancer charity's group among those for grief."""
    family = {value.slug: value.family or value.slug for value in facet.values}
    for value in facet.values:
        beyond = (
            positions[group.id]
            for group in catalog.groups_matching(facet.key, value.slug)
            if any(family[slug] != family[value.slug] for slug in group.slugs(facet.key))
        )
        yield value.slug, _bitset(beyond, len(catalog.groups))


def _pairs(values: list[tuple[str, bytes]]) -> bytes:
    """How many groups each value (facet key, bitset) shares with each later one of another
    facet: no view needs two values of the same facet, and the other half is the same."""
    numbers = [(key, int.from_bytes(bits, "little")) for key, bits in values]
    shared = array(
        "I",
        [
            (a & b).bit_count()
            for i, (key, a) in enumerate(numbers)
            for other, b in numbers[i + 1 :]
            if other != key
        ],
    )
    if byteorder == "big":
        shared.byteswap()
    return shared.tobytes()


def epoch_days(day: dt.date | None) -> int:
    """Days since 1970-01-01 (0 for no date): a date in two bytes until the year 2149."""
    return (day - _EPOCH).days if day else 0


def _dates(catalog: Catalog) -> bytes:
    days = array("H", [epoch_days(group.added) for group in catalog.groups])
    days.extend(epoch_days(group.last_verified) for group in catalog.groups)
    if byteorder == "big":
        days.byteswap()
    return days.tobytes()


def _ages(catalog: Catalog) -> bytes:
    """Each group's minimum age, then each one's maximum age, a byte each (ages stop at 120)."""
    lows = bytes(group.minimum_age or 0 for group in catalog.groups)
    return lows + bytes(group.maximum_age or 0 for group in catalog.groups)


def _terms(catalog: Catalog) -> bytes:
    """Facet key -> value slug -> [its names, its search terms(, its alike sets(, the slugs
    of the values it includes(, its names read only in capitals(, the words that show a
    query is in it))))], normalised: grouped by value, so no key or slug repeats. Names
    (label and other names) are what a correction of a slip should read as; search terms
    include the slips themselves. A name read only in capitals is in neither of the first
    two lists."""
    grouped: dict[str, dict[str, list]] = {}
    for facet in catalog.taxonomy.with_role("filter"):
        for value in facet.values:
            capitals = sorted({normalise_term(name) for name in value.capitals_only})
            names = {normalise_term(name) for name in (value.label, *value.other_names)}
            terms = {normalise_term(term) for term in value.search_terms}
            lists: list = [sorted(names.difference(capitals)), sorted(terms.difference(capitals))]
            included = [other.slug for other in facet.included(value.slug)]
            optional = [
                [[normalise_term(term) for term in same] for same in value.alike],
                included,
                capitals,
                sorted({normalise_term(word) for word in value.query_words}),
            ]
            while optional and not optional[-1]:  # the empty lists at the end are left out
                optional.pop()
            grouped.setdefault(facet.key, {})[value.slug] = lists + optional
    return json.dumps(grouped, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gzip(data: bytes, level: int = 9) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)
