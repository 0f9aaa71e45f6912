"""Validate records against the committed JSON Schema (schemas/article.schema.json).

Two validators of the same schema, each compiled once per process:
- `record_errors`, the per-record gate every record passes before anything of it is published:
  jsonschema-rs (MIT), a compiled validator, ~0.03 ms per record;
- `reference_errors`, jsonschema, the validator of reference: `stemwire validate` uses it, and
  tests/test_validators.py proves both give the same verdict on every kind of record we publish and on
  records broken one keyword at a time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from stemwire.schemas.export import SCHEMA_PATH


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


# Keywords that constrain values of one JSON type only and let every other type through.
_ONLY_FOR = {
    "string": {"pattern", "minLength", "maxLength"},
    "integer": {"minimum", "maximum"},
    "number": {"minimum", "maximum"},
    "object": {"properties", "required", "additionalProperties"},
    "array": {"items", "minItems", "maxItems"},
}


def _fold_nullable(node: Any) -> Any:
    """`anyOf: [X, {"type": "null"}]`, as pydantic writes optional fields, rewritten as X with null
    added to its type (and to its enum): the same verdict for every value, one branch fewer."""
    if isinstance(node, list):
        return [_fold_nullable(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _fold_nullable(v) for k, v in node.items()}
    branches = node.get("anyOf")
    if not (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches):
        return node
    other = branches[1] if branches[0] == {"type": "null"} else branches[0]
    kind = other.get("type") if isinstance(other, dict) else None
    if not isinstance(kind, str) or not set(other) - {"type", "enum"} <= _ONLY_FOR.get(kind, set()):
        return node
    folded = {**{k: v for k, v in node.items() if k != "anyOf"}, **other, "type": [kind, "null"]}
    if "enum" in other:
        folded["enum"] = [*other["enum"], None]
    return folded


@lru_cache(maxsize=1)
def record_validator() -> Draft202012Validator:
    """The committed schema, checked, then prepared for speed without changing any verdict: local
    references inlined, optional fields' null branches folded into their type."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    prepared = _fold_nullable(_inline_refs(schema, schema.get("$defs", {})))
    Draft202012Validator.check_schema(prepared)
    return Draft202012Validator(prepared)


def _where(path: Any) -> str:
    return "/".join(str(p) for p in path) or "(record)"


def reference_errors(record: dict[str, Any]) -> list[str]:
    """Every schema violation as 'path: message' by jsonschema, the validator of reference; empty when valid."""
    errors = sorted(record_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors]


@lru_cache(maxsize=1)
def fast_validator() -> Any:
    """jsonschema-rs compiled from the committed schema, checked first by jsonschema's meta-schema."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return jsonschema_rs.Draft202012Validator(schema)


def record_errors(record: dict[str, Any]) -> list[str]:
    """Every schema violation as 'path: message'; empty when the record is valid (the per-record gate)."""
    validator = fast_validator()
    if validator.is_valid(record):
        return []
    errors = sorted(validator.iter_errors(record), key=lambda e: [str(p) for p in e.instance_path])
    return [f"{_where(e.instance_path)}: {e.message}" for e in errors]


def clear_validators() -> None:
    """Forget the compiled validators (after the schema file changed, as in tests)."""
    record_validator.cache_clear()
    fast_validator.cache_clear()
