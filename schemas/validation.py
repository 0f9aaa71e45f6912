"""Validate records against the committed JSON Schema with jsonschema (compiled once per process)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from schemas.export import SCHEMA_PATH


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every local "#/$defs/X" replaced by its definition (the models are not
    recursive), so validating a record with hundreds of mentions resolves no reference per item."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **_inline_refs(rest, defs)}
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


@lru_cache(maxsize=1)
def record_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def record_errors(record: dict[str, Any]) -> list[str]:
    """Every schema violation as 'path: message'; empty when the record is valid."""
    errors = sorted(record_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message}" for e in errors]
