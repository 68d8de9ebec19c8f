"""schema.org JSON-LD for a group page, safe to place inside a <script> element."""

from __future__ import annotations

import json

from kindred.model import Group

# JSON is valid JavaScript-free data, but "</script>" or "<!--" inside a string would end or
# confuse the element; escaping <, > and & keeps catalog text inert.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def group_jsonld(group: Group, page_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": group.name,
        "description": group.description,
        "url": group.url,
        "parentOrganization": {"@type": "Organization", "name": group.organization},
        "knowsLanguage": list(group.slugs("language")),
        "areaServed": [v.label for v in group.values("region")],
        "keywords": [v.label for v in group.values("condition")],
        "isAccessibleForFree": group.slugs("cost")[0] in ("free", "donation", "freemium"),
    }
    if page_url:
        data["mainEntityOfPage"] = page_url
    return json.dumps(data, ensure_ascii=False, indent=None).translate(_HTML_SAFE)
