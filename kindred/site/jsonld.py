"""schema.org JSON-LD for a group page, safe to place inside a <script> element."""

from __future__ import annotations

import json

from kindred.catalog.model import Group

# JSON is valid JavaScript-free data, but "</script>" or "<!--" inside a string would end or
# confuse the element; escaping <, > and & keeps catalog text inert.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def group_jsonld(group: Group, page_url: str) -> str:
    """The group as a schema.org Organization; each facet goes to the property the taxonomy
    names for it (its schema_org role), and the facet whose values say whether joining costs
    nothing sets isAccessibleForFree."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": group.name,
        "description": group.description,
        "url": group.url,
        "parentOrganization": {"@type": "Organization", "name": group.organization},
    }
    assert group.taxonomy is not None
    for facet in group.taxonomy.with_role("schema_org"):
        attribute = facet.roles.schema_org_value
        data[facet.roles.schema_org] = [getattr(v, attribute) for v in group.values(facet.key)]
    for facet in group.taxonomy.facets:
        if any(value.costs_nothing is not None for value in facet.values):
            data["isAccessibleForFree"] = all(v.costs_nothing for v in group.values(facet.key))
    if page_url:
        data["mainEntityOfPage"] = page_url
    return json.dumps(data, ensure_ascii=False, indent=None).translate(_HTML_SAFE)
