"""The catalog as Open Referral HSDS 3: services, their organizations, a taxonomy and its terms.

Each listing is a service, run by an organization (one for each organization name). The
taxonomy becomes one HSDS taxonomy with a term for each facet and, under it, a term for each
value; each value of a listing is an attribute of its service that links to the value's term.
A facet's ``hsds`` role also puts its values in the field HSDS has for them (languages, cost
options, service areas, schedules, the organization's legal status) and its ``hsds_note`` role
puts its note where HSDS keeps such notes (fees description, funding). The listing fields HSDS
has no field for are attributes on terms of their own, so an import gets every listing back
exactly. docs/hsds-mapping.md says, field by field, what goes where and why.

Every id is a UUID derived (uuid5) from a fixed namespace and what the object stands for (the
listing id, the organization's name, the facet key and value slug), so it never changes from
one build to the next.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from kindred.catalog import Catalog
from kindred.catalog.model import Group
from kindred.catalog.taxonomy import HSDS_LANGUAGES, Facet, FacetValue
from kindred.opendata.source import Source

HSDS_VERSION = "3.0"
# Fixed for ever: changing it would change every id and break everyone's links to them.
NAMESPACE = uuid.UUID("8d5c2a7e-61f4-4f0b-9c43-2b7e0a9d1f68")
_NAMESPACE_HASH = hashlib.sha1(NAMESPACE.bytes)
STATUS = "active"  # a listing is a group that runs; one that closes is removed

# Listing fields that have a field of their own in an HSDS service.
SERVICE_FIELDS = {
    "name": "name",
    "description": "description",
    "url": "url",
    "how_to_join": "application_process",
    "eligibility": "eligibility_description",
    "minimum_age": "minimum_age",
    "maximum_age": "maximum_age",
    "last_verified": "assured_date",
}
# The listing field that names its organization, and the one the creation record carries.
ORGANIZATION_FIELD = "organization"
ADDED_FIELD = "added"
# Listing fields HSDS has no field for: each is an attribute on a term of its own, with the
# field's text as the attribute's value. The terms sit under a parent whose code holds "_",
# which no facet key can (keys are slugs).
FIELDS_CODE = "listing_fields"
ATTRIBUTE_FIELDS = {
    "id": ("Listing id", "The listing's id in the directory; its page is groups/<id>/."),
    "safety_note": ("Safety note", "What to know for your safety before joining."),
}
# What an attribute links, and what a creation record describes.
SERVICE_ENTITY = "service"


# Joins the names an id is made from. It is a control character, which no validated text
# holds, so two different lists of names never make the same string.
ID_SEPARATOR = "\x1f"


def stable_id(*names: str) -> str:
    """The UUID of whatever ``names`` identify; the same names always give the same UUID.

    It is ``str(uuid.uuid5(NAMESPACE, ID_SEPARATOR.join(names)))``, computed directly: a build
    makes one for every value of every listing, and the uuid module takes three times as long.
    """
    digest = _NAMESPACE_HASH.copy()
    digest.update(ID_SEPARATOR.join(names).encode())
    h = digest.hexdigest()
    variant = "89ab"[int(h[16], 16) & 0x3]  # the RFC 4122 variant: 10xx
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def value_code(facet: Facet, value: FacetValue) -> str:
    """A value's term code, like its page's path: facet key, slash, value slug."""
    return f"{facet.key}/{value.slug}"


def field_code(name: str) -> str:
    return f"{FIELDS_CODE}/{name}"


class HsdsCatalog:
    """The catalog's HSDS objects, each made on request; terms and organizations once."""

    def __init__(self, catalog: Catalog, source: Source):
        self.catalog = catalog
        self.source = source
        self.taxonomy_id = stable_id("taxonomy")
        self.taxonomy_name = f"{source.name} support group taxonomy"
        self.terms: dict[str, dict[str, Any]] = {}  # by code, in taxonomy order
        for facet in catalog.taxonomy.facets:
            parent = self._term(facet.key, facet.label, facet.question, None, self._page(facet))
            for value in facet.values:
                page = self._page(facet, value)
                self._term(value_code(facet, value), value.label, value.description, parent, page)
        fields = self._term(FIELDS_CODE, "Listing details", _FIELDS_ABOUT, None, None)
        for name, (label, about) in ATTRIBUTE_FIELDS.items():
            self._term(field_code(name), label, about, fields, None)
        self.by_organization: dict[str, list[Group]] = {}
        for group in catalog.groups:
            self.by_organization.setdefault(group.organization, []).append(group)
        self._organizations = {name: self._organization(name) for name in self.by_organization}
        self._term_json = {term["id"]: dumps(term) for term in self.terms.values()}
        # For each facet, by slug: the value's term code, and its entry in the facet's HSDS
        # field (if it has one), made once instead of once per listing.
        self._codes = {
            facet.key: {value.slug: value_code(facet, value) for value in facet.values}
            for facet in catalog.taxonomy.facets
        }
        self._entries = {
            facet.key: {
                value.slug: _ROLE_ENTRIES[facet.roles.hsds](value) for value in facet.values
            }
            for facet in catalog.taxonomy.facets
            if facet.roles.hsds in _ROLE_ENTRIES
        }

    # --- the taxonomy ------------------------------------------------------------------------

    def taxonomy(self) -> dict[str, Any]:
        data = {
            "id": self.taxonomy_id,
            "name": self.taxonomy_name,
            "description": _TAXONOMY_ABOUT,
        }
        uri = self.source.page("hsds/taxonomy_terms.json")
        return {**data, "uri": uri} if uri else data

    def _term(
        self, code: str, name: str, description: str, parent: str | None, uri: str | None
    ) -> str:
        term: dict[str, Any] = {
            "id": stable_id("term", code),
            "code": code,
            "name": name,
            "description": description,
        }
        if parent:
            term["parent_id"] = parent
        term.update(taxonomy=self.taxonomy_name, taxonomy_id=self.taxonomy_id)
        if self.source.language:
            term["language"] = self.source.language
        if uri:
            term["term_uri"] = uri
        self.terms[code] = term
        return term["id"]

    def _page(self, facet: Facet, value: FacetValue | None = None) -> str | None:
        if not facet.roles.filter:  # only filter facets have pages
            return None
        return self.source.page(f"{facet.key}/{value.slug}/" if value else f"{facet.key}/")

    # --- organizations -----------------------------------------------------------------------

    def organizations(self) -> list[dict[str, Any]]:
        """Every organization, with the services it runs (id, name, status and address)."""
        return [
            {
                **organization,
                "services": [
                    {
                        "id": stable_id("service", g.id),
                        "name": g.name,
                        "url": g.url,
                        "status": STATUS,
                    }
                    for g in self.by_organization[name]
                ],
            }
            for name, organization in sorted(self._organizations.items())
        ]

    def _organization(self, name: str) -> dict[str, Any]:
        groups = self.by_organization[name]
        count = f"{len(groups)} online support group{'s' if len(groups) != 1 else ''}"
        organization: dict[str, Any] = {
            "id": stable_id("organization", name),
            "name": name,
            "description": f"Runs {count} listed in {self.source.name}.",
        }
        for facet in self.catalog.taxonomy.facets:
            if facet.roles.hsds == "legal_status":
                values = {group.slugs(facet.key) for group in groups}
                if len(values) == 1 and len(slugs := values.pop()) == 1:  # all say the same
                    organization["legal_status"] = facet.value(slugs[0]).label
        return organization

    # --- services ----------------------------------------------------------------------------

    def service(self, group: Group) -> dict[str, Any]:
        """The listing as an HSDS service, nested but for its attributes' terms, which are
        named by id (``with_terms`` adds them to its JSON)."""
        service_id = stable_id("service", group.id)
        organization = self._organizations[group.organization]
        service: dict[str, Any] = {"id": service_id, "organization_id": organization["id"]}
        for field, place in SERVICE_FIELDS.items():
            value = getattr(group, field)
            if value is not None:
                service[place] = value if isinstance(value, str | int) else value.isoformat()
        service["status"] = STATUS
        service["organization"] = organization
        for facet in self.catalog.taxonomy.facets:
            self._add_role_fields(service, group, facet)
        service["contacts"] = []  # a listing names no people: its address is the way in
        service["attributes"] = self._attributes(group, service_id)
        service["metadata"] = [self._created(group, service_id)]
        return service

    def _add_role_fields(self, service: dict[str, Any], group: Group, facet: Facet) -> None:
        entries = self._entries.get(facet.key)
        if entries is not None:
            place = facet.roles.hsds
            service[place] = [
                {"id": stable_id(place, group.id, slug), "service_id": service["id"]}
                | entries[slug]
                for slug in group.slugs(facet.key)
            ]
        note = getattr(group, facet.roles.note_field) if facet.roles.note_field else None
        if note and facet.roles.hsds_note == "fees_description":
            service["fees_description"] = note
        elif note and facet.roles.hsds_note == "funding":
            funding_id = stable_id("funding", group.id)
            service["funding"] = [{"id": funding_id, "service_id": service["id"], "source": note}]

    def _attributes(self, group: Group, service_id: str) -> list[dict[str, Any]]:
        attributes = []
        for facet in self.catalog.taxonomy.facets:
            # A note with no HSDS field of its own is the value of its facet's attributes.
            note_field = facet.roles.note_field if not facet.roles.hsds_note else ""
            note = getattr(group, note_field) if note_field else None
            codes = self._codes[facet.key]
            for slug in group.slugs(facet.key):
                attributes.append(self._attribute(group, service_id, codes[slug], note))
        for name in ATTRIBUTE_FIELDS:
            value = getattr(group, name)
            if value is not None:
                attributes.append(self._attribute(group, service_id, field_code(name), value))
        return attributes

    def _attribute(
        self, group: Group, service_id: str, code: str, value: str | None
    ) -> dict[str, Any]:
        attribute: dict[str, Any] = {
            "id": stable_id("attribute", group.id, code),
            "link_id": service_id,
            "link_entity": SERVICE_ENTITY,
            "taxonomy_term_id": self.terms[code]["id"],
        }
        if value is not None:
            attribute["value"] = value
        return attribute

    def with_terms(self, service_json: str) -> str:
        """A service's JSON with each attribute's taxonomy term nested after its id.

        The terms are serialised once, not once per attribute: in JSON text a quote inside a
        string is always escaped, so the key pattern below only ever matches a real key.
        """
        return _TERM_ID.sub(
            lambda match: f'{match.group(0)},"taxonomy_term":{self._term_json[match.group(1)]}',
            service_json,
        )

    def _created(self, group: Group, service_id: str) -> dict[str, Any]:
        """When the listing was added, as HSDS provenance: a creation record, which changes
        no single field (so the field and value columns are empty)."""
        return {
            "id": stable_id("metadata", group.id),
            "resource_id": service_id,
            "resource_type": SERVICE_ENTITY,
            "last_action_date": getattr(group, ADDED_FIELD).isoformat(),
            "last_action_type": "create",
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": self.source.name,
        }


_TERM_ID = re.compile(r'"taxonomy_term_id":"([0-9a-f-]{36})"')


def dumps(data: Any) -> str:
    """Compact JSON, as every HSDS file is written."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _language(value: FacetValue) -> dict[str, Any]:
    return {"name": value.label, "code": value.slug}


def _cost_option(value: FacetValue) -> dict[str, Any]:
    entry: dict[str, Any] = {"option": value.label}
    if value.costs_nothing:  # what taking part costs is known only when it is nothing
        entry["amount"] = 0
    return entry | {"amount_description": value.description}


def _described(value: FacetValue) -> dict[str, Any]:
    return {"name": value.label, "description": value.description}


def _schedule(value: FacetValue) -> dict[str, Any]:
    return {"description": f"{value.label}: {value.description}"}


# How one value of a facet with the ``hsds`` role is written in that HSDS field.
_ROLE_ENTRIES: dict[str, Callable[[FacetValue], dict[str, Any]]] = {
    HSDS_LANGUAGES: _language,
    "cost_options": _cost_option,
    "service_areas": _described,
    "schedules": _schedule,
}
_TAXONOMY_ABOUT = (
    "What an online support group is for and how it works: one term for each facet of the "
    "directory and, under it, a term for each of its values; and terms for listing details "
    "that HSDS has no field for."
)
_FIELDS_ABOUT = "Details of a listing that HSDS has no field for; the attribute's value holds them."
