"""Similar groups: for each group, a few others that share a value of the facets the taxonomy
marks `similar` (conditions and who a group is for, in the shipped taxonomy)."""

from __future__ import annotations

from kindred.catalog.listings import Catalog
from kindred.catalog.model import Group

RELATED_COUNT = 4


def related_groups(catalog: Catalog, count: int = RELATED_COUNT) -> dict[str, list[Group]]:
    """For each group id, up to ``count`` similar groups.

    Looks at the groups that follow it (by name, wrapping round) among those sharing a value,
    for each of its values in turn, and takes first those a reader of the group can also read
    (a shared value of the facet with the `language` role: a reader of an English group has
    no use for its Portuguese sister first), then those sharing the most values. Each group
    looks at a few dozen peers at most, so this stays linear in the number of listings,
    unlike scoring every pair.
    """
    facets = [facet.key for facet in catalog.taxonomy.with_role("similar")]
    # Groups are found through the needs they share (similar facets that do not only refine,
    # as who a group is for does: most groups are for "people living with it").
    needs = [key for key in facets if not catalog.taxonomy.facet(key).roles.refines]
    languages = [facet.key for facet in catalog.taxonomy.facets if facet.roles.language]
    positions = {
        (key, slug): {group.id: index for index, group in enumerate(groups)}
        for key in needs
        for slug, groups in catalog.by_value[key].items()
    }
    order = {group.id: index for index, group in enumerate(catalog.groups)}
    # Each group's values, read once: they are compared with many groups.
    shares = {group.id: _values(group, facets) for group in catalog.groups}
    speaks = {group.id: _values(group, languages) for group in catalog.groups}
    related: dict[str, list[Group]] = {}
    for group in catalog.groups:
        shared, spoken = shares[group.id], speaks[group.id]
        candidates: dict[str, Group] = {}
        for value in sorted(_values(group, needs)):  # sorted: the same pages on every build
            peers = catalog.groups_with(*value)
            start = positions[value][group.id]
            for step in range(1, min(len(peers), count * _LOOK_AHEAD)):
                peer = peers[(start + step) % len(peers)]
                if peer is not group:
                    candidates.setdefault(peer.id, peer)

        def closeness(peer: Group, shared=shared, spoken=spoken) -> tuple[bool, int, int]:
            readable = not languages or not spoken.isdisjoint(speaks[peer.id])
            return readable, len(shared & shares[peer.id]), -order[peer.id]

        related[group.id] = sorted(candidates.values(), key=closeness, reverse=True)[:count]
    return related


# How many peers per wanted group are looked at for each shared value.
_LOOK_AHEAD = 4


def _values(group: Group, keys: list[str]) -> set[tuple[str, str]]:
    return {(key, slug) for key in keys for slug in group.slugs(key)}
