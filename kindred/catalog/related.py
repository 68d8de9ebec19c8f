"""Similar groups: for each group, a few others that share a value of the facets the taxonomy
marks `similar` (conditions, in the shipped taxonomy)."""

from __future__ import annotations

from kindred.catalog.listings import Catalog
from kindred.catalog.model import Group

RELATED_COUNT = 4


def related_groups(catalog: Catalog, count: int = RELATED_COUNT) -> dict[str, list[Group]]:
    """For each group id, up to ``count`` similar groups.

    Takes the groups that follow it (by name, wrapping round) among those sharing a value,
    trying its values in turn: linear in the number of listings, unlike scoring every pair.
    """
    facets = [facet.key for facet in catalog.taxonomy.with_role("similar")]
    positions = {
        (key, slug): {group.id: index for index, group in enumerate(groups)}
        for key in facets
        for slug, groups in catalog.by_value[key].items()
    }
    related: dict[str, list[Group]] = {}
    for group in catalog.groups:
        found: list[Group] = []
        shared = [(key, slug) for key in facets for slug in group.slugs(key)]
        for key, slug in shared:
            peers = catalog.groups_with(key, slug)
            start = positions[key, slug][group.id]
            for step in range(1, min(len(peers), count * 2)):
                peer = peers[(start + step) % len(peers)]
                if peer is not group and peer not in found:
                    found.append(peer)
                if len(found) == count:
                    break
            if len(found) == count:
                break
        related[group.id] = found
    return related
