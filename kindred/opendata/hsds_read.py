"""An HSDS 3 service back into a listing's fields, saying what did not fit.

The reverse of kindred.opendata.hsds. A facet's values come from the service's attributes:
their term is recognised by its id or code when it is one of Kindred's own, and otherwise by
its name when that is a value's label or one of its other names. A facet that no attribute
gives is read from the HSDS field its ``hsds`` role names (a language's code, a cost option's,
service area's or schedule's name, the organization's legal status). Everything else the
service holds that has nowhere to go is reported, and so is each facet nothing gives: every
facet is required, and no value is ever guessed.

Another directory's data may be of any shape: every field is checked for its type, and a field
of the wrong type is reported, never trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kindred.catalog.taxonomy import Facet, FacetValue, Taxonomy, normalise_term
from kindred.opendata.hsds import (
    ADDED_FIELD,
    ATTRIBUTE_FIELDS,
    FIELDS_CODE,
    ORGANIZATION_FIELD,
    SERVICE_FIELDS,
    STATUS,
    field_code,
    stable_id,
    value_code,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER_FIELDS = {"minimum_age", "maximum_age"}
_DATE_FIELDS = {"last_verified"}
# Service fields that carry nothing when they are empty, or only what is read elsewhere.
_READ_ELSEWHERE = {"id", "organization_id", "status", "attributes", "metadata"}


@dataclass
class Reading:
    """What one service gave: the listing's fields by name, what in it has no place in a
    listing, and why it cannot become one (when it cannot)."""

    name: str
    fields: dict[str, object] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    closed: str = ""  # the status of a service that is not active: it is not imported


class ServiceReader:
    """Reads services against one taxonomy."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        # Kindred's own terms, by id and by code: a value, or a field HSDS has no place for.
        self.terms: dict[str, tuple[Facet, FacetValue] | str] = {}
        self.names: dict[str, tuple[Facet, FacetValue]] = {}
        for facet in taxonomy.facets:
            for value in facet.values:
                code = value_code(facet, value)
                self.terms[code] = self.terms[stable_id("term", code)] = (facet, value)
                for name in (value.label, *value.other_names):
                    self.names[normalise_term(name)] = (facet, value)
        for name in ATTRIBUTE_FIELDS:
            code = field_code(name)
            self.terms[code] = self.terms[stable_id("term", code)] = name

    def read(self, service: Any) -> Reading:
        if not isinstance(service, dict):
            return Reading("?", problems=[f"a service must be an object, not {_kind(service)}"])
        name = service.get("name")
        shown = _shortened(name, 80) if isinstance(name, str) and name.strip() else "(no name)"
        reading = Reading(shown)
        status = service.get("status")
        if status is not None and status != STATUS:  # inactive, defunct, temporarily closed
            reading.closed = str(status)
        found = _Found(self, service, reading)
        found.plain_fields()
        found.organization()
        found.attributes()
        found.role_fields()
        found.added()
        found.leftovers()
        found.facet_fields()
        return reading


@dataclass
class _Found:
    """What has been read from one service so far."""

    reader: ServiceReader
    service: dict[str, Any]
    reading: Reading
    values: dict[str, list[str]] = field(default_factory=dict)  # facet key -> slugs
    used: set[str] = field(default_factory=lambda: set(_READ_ELSEWHERE))

    @property
    def fields(self) -> dict[str, object]:
        return self.reading.fields

    def problem(self, message: str) -> None:
        self.reading.problems.append(_shortened(message, 200))

    def unmapped(self, what: str) -> None:
        self.reading.unmapped.append(_shortened(what, 100))

    def text(self, key: str, holder: dict[str, Any] | None = None) -> str | None:
        value = (self.service if holder is None else holder).get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.problem(f"'{key}' must be text, not {_kind(value)}")
            return None
        return value

    def plain_fields(self) -> None:
        for listing_field, place in SERVICE_FIELDS.items():
            self.used.add(place)
            if listing_field in _WHOLE_NUMBER_FIELDS:
                self.whole_number(listing_field, place)
                continue
            value = self.text(place)
            if value is None:
                continue
            if listing_field in _DATE_FIELDS:
                if not _ISO_DATE.match(value):
                    shown = _shortened(value)
                    self.problem(f"'{place}' must be a date written YYYY-MM-DD, not '{shown}'")
                    continue
                value = value[:10]  # a date-time says the date first
            self.fields[listing_field] = value

    def whole_number(self, listing_field: str, place: str) -> None:
        value = self.service.get(place)
        if value is None:
            return
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole:
            shown = repr(value) if isinstance(value, float) else _kind(value)
            self.problem(f"'{place}' must be a whole number, not {_shortened(shown)}")
            return
        self.fields[listing_field] = int(value)

    def organization(self) -> None:
        self.used.add(ORGANIZATION_FIELD)
        organization = self.service.get(ORGANIZATION_FIELD)
        if not isinstance(organization, dict) or not self.text("name", organization):
            self.problem("the service names no organization (it needs a nested organization)")
            return
        self.fields[ORGANIZATION_FIELD] = self.text("name", organization)
        known = {"id", "name", "description", "legal_status", "services"}
        for key, value in organization.items():
            if key not in known and value not in (None, "", [], {}):
                self.unmapped(f"organization's {key}")

    def attributes(self) -> None:
        attributes = self.service.get("attributes")
        if attributes is None:
            return
        if not isinstance(attributes, list):
            self.problem(f"'attributes' must be a list, not {_kind(attributes)}")
            return
        for attribute in attributes:
            if not isinstance(attribute, dict):
                self.problem(f"each attribute must be an object, not {_kind(attribute)}")
                continue
            self.attribute(attribute)

    def attribute(self, attribute: dict[str, Any]) -> None:
        term = attribute.get("taxonomy_term")
        term = term if isinstance(term, dict) else {}
        known = None
        for key in (attribute.get("taxonomy_term_id"), term.get("id"), term.get("code")):
            if isinstance(key, str) and key in self.reader.terms:
                known = self.reader.terms[key]
                break
        name = term.get("name") if isinstance(term.get("name"), str) else None
        if known is None and name:
            known = self.reader.names.get(normalise_term(name))
        value = attribute.get("value")
        if isinstance(known, str):  # a listing field HSDS has no place for
            if self.text("value", attribute) is not None:
                self.fields[known] = value
            return
        if known is None:
            code = term.get("code")
            if code == FIELDS_CODE or (isinstance(code, str) and code in self.reader.taxonomy.keys):
                return  # the parent term of values or fields: it says nothing itself
            self.unmapped(
                f"attribute '{_shortened(str(name or attribute.get('taxonomy_term_id')))}'"
            )
            return
        facet, facet_value = known
        self.add(facet, facet_value)
        note_field = facet.roles.note_field if not facet.roles.hsds_note else ""
        note = self.text("value", attribute)
        if note_field and note is not None:
            self.fields[note_field] = note
        elif note is not None:
            self.unmapped(f"the value of attribute '{facet_value.label}'")

    def add(self, facet: Facet, value: FacetValue) -> None:
        slugs = self.values.setdefault(facet.key, [])
        if value.slug not in slugs:
            slugs.append(value.slug)

    def role_fields(self) -> None:
        """For each facet with an HSDS field, its values from that field when no attribute
        gave them, and its note from where its ``hsds_note`` role says."""
        for facet in self.reader.taxonomy.facets:
            place = facet.roles.hsds
            if place == "legal_status":
                self.legal_status(facet)
            elif place:
                self.used.add(place)
                entries = self.service.get(place)
                if entries and facet.key not in self.values:
                    self.role_entries(facet, place, entries)
            if facet.roles.hsds_note:
                self.note(facet)

    def role_entries(self, facet: Facet, place: str, entries: Any) -> None:
        if not isinstance(entries, list):
            self.problem(f"'{place}' must be a list, not {_kind(entries)}")
            return
        for entry in entries:
            words = _entry_words(entry)
            value = next((v for v in map(self.value_named(facet), words) if v), None)
            if value is None:
                self.unmapped(f"{place} entry '{_shortened(words[0]) if words else '?'}'")
            else:
                self.add(facet, value)

    def value_named(self, facet: Facet) -> Any:
        """A function: the value of ``facet`` that a word names (its slug, label, one of its
        other names, or its schedule text), or None."""

        def find(word: str) -> FacetValue | None:
            term = normalise_term(word)
            for value in facet.values:
                if term in (value.slug, normalise_term(f"{value.label}: {value.description}")):
                    return value
            named = self.reader.names.get(term)
            return named[1] if named and named[0] is facet else None

        return find

    def legal_status(self, facet: Facet) -> None:
        organization = self.service.get(ORGANIZATION_FIELD)
        status = organization.get("legal_status") if isinstance(organization, dict) else None
        if not isinstance(status, str) or not status or facet.key in self.values:
            return
        value = self.value_named(facet)(status)
        if value is None:
            self.unmapped(f"organization's legal_status '{_shortened(status)}'")
        else:
            self.add(facet, value)

    def note(self, facet: Facet) -> None:
        place = facet.roles.hsds_note
        self.used.add(place)
        if place == "fees_description":
            note = self.text(place)
        else:  # funding: the source of the first entry
            funding = self.service.get(place)
            first = funding[0] if isinstance(funding, list) and funding else None
            note = self.text("source", first) if isinstance(first, dict) else None
            if isinstance(funding, list) and len(funding) > 1:
                self.unmapped(f"{place} beyond the first entry")
        if note is not None:
            self.fields[facet.roles.note_field] = note

    def added(self) -> None:
        """When the listing was added: the service's creation record, if it has one."""
        metadata = self.service.get("metadata")
        for record in metadata if isinstance(metadata, list) else ():
            if isinstance(record, dict) and record.get("last_action_type") == "create":
                date = record.get("last_action_date")
                if isinstance(date, str) and _ISO_DATE.match(date):
                    self.fields[ADDED_FIELD] = date[:10]
                    return

    def leftovers(self) -> None:
        for key, value in self.service.items():
            if key not in self.used and key != "name" and value not in (None, "", [], {}):
                self.unmapped(key)

    def facet_fields(self) -> None:
        for facet in self.reader.taxonomy.facets:
            slugs = self.values.get(facet.key)
            if not slugs:
                self.problem(f"nothing in it gives '{facet.field}' ({facet.label.lower()})")
            elif facet.multiple:
                self.fields[facet.field] = slugs
            elif len(slugs) > 1:
                self.problem(f"'{facet.field}' takes one value, and it gives {', '.join(slugs)}")
            else:
                self.fields[facet.field] = slugs[0]


def _entry_words(entry: Any) -> list[str]:
    """The words an entry of an HSDS field may name a value by, most exact first."""
    if not isinstance(entry, dict):
        return []
    keys = ("code", "option", "name", "description")
    return [entry[key] for key in keys if isinstance(entry.get(key), str) and entry[key]]


def _shortened(text: str, limit: int = 40) -> str:
    """Text from the file as a report shows it: cut short, and with anything a terminal
    would act on (escape sequences, controls) shown as a replacement character."""
    text = "".join(char if char.isprintable() else "\ufffd" for char in text[: limit + 1])
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    if value is None:
        return "nothing"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")
