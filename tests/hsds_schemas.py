"""The official Open Referral HSDS 3 JSON Schemas, as validators that fetch nothing.

The schemas are not part of the repository: they sit in ``../shared/hsds-3/schema/`` beside it
(or in the folder ``KINDRED_HSDS_SCHEMAS`` names). Every file there goes into a
``referencing.Registry`` under its own file name, which is how the schemas refer to each other
("organization.json"); a reference to anything else fails instead of being fetched.

The official schemas leave objects open (no ``additionalProperties``), so a misspelt field
would pass them silently. ``strict`` validators use a copy closed at every level: every key
an export writes must be a field HSDS defines.
"""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import ROOT


def schema_folder() -> Path:
    return Path(
        os.environ.get("KINDRED_HSDS_SCHEMAS") or ROOT.parent / "shared" / "hsds-3" / "schema"
    )


def examples_folder() -> Path:
    """The official example files, beside the schemas."""
    return _require_schemas().parent / "examples"


def _require_schemas() -> Path:
    folder = schema_folder()
    if not (folder / "service.json").is_file():
        message = f"the official HSDS schemas are not in {folder} (set KINDRED_HSDS_SCHEMAS)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@cache
def _schemas(strict: bool) -> dict[str, dict[str, Any]]:
    folder = _require_schemas()
    schemas = {}
    for path in sorted(folder.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name] = _closed(copy.deepcopy(contents)) if strict else contents
    return schemas


def _closed(schema: Any) -> Any:
    """The schema with every object that lists its properties closed to any others."""
    if isinstance(schema, dict):
        if "properties" in schema:
            schema["additionalProperties"] = False
        for value in schema.values():
            _closed(value)
    elif isinstance(schema, list):
        for item in schema:
            _closed(item)
    return schema


@cache
def validator(name: str, strict: bool = False) -> Draft202012Validator:
    """A Draft 2020-12 validator for one object ("service", "organization", "taxonomy",
    "taxonomy_term"…), its references resolved among the official files only."""
    schemas = _schemas(strict)
    registry = Registry().with_resources(
        (file, Resource.from_contents(contents, default_specification=DRAFT202012))
        for file, contents in schemas.items()
    )
    schema = schemas[f"{name}.json"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


@cache
def compiled_validator(name: str, strict: bool = False) -> Draft202012Validator:
    """A validator for the official compiled (dereferenced) schema of ``name``."""
    folder = _require_schemas()
    schema = json.loads((folder / "compiled" / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    schema = _closed(schema) if strict else schema
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors(data: Any, name: str) -> list[str]:
    """Every way ``data`` breaks the official schemas of ``name``: the canonical schema with
    its references, and the compiled one where there is one; and every key it has that the
    schema does not define (checked with the compiled schema where there is one: it also
    holds what the API nests, such as an organization's services)."""
    found = [error.message for error in validator(name).iter_errors(data)]
    if (_require_schemas() / "compiled" / f"{name}.json").is_file():
        found += [error.message for error in compiled_validator(name).iter_errors(data)]
        found += [e.message for e in compiled_validator(name, strict=True).iter_errors(data)]
    else:
        found += [error.message for error in validator(name, strict=True).iter_errors(data)]
    return found


def table_fields(table: str) -> dict[str, dict[str, Any]]:
    """The fields of one object as its official schema defines them."""
    return _schemas(False)[f"{table}.json"]["properties"]
