"""The per-record gate (jsonschema-rs) and the validator of reference (jsonschema) give the same
verdict: on every record we publish (dev corpus, our own gold set, the synthetic corpus) and on
records broken one schema keyword at a time."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stemwire import extract_file
from stemwire.flows.quality.synthetic import write_corpus
from stemwire.schemas.export import SCHEMA_PATH
from stemwire.schemas.validation import record_errors, reference_errors
from tests.helpers import DEV_CORPUS, FIXTURES

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALID = json.loads((FIXTURES / "records" / "valid.json").read_text(encoding="utf-8"))


def _keywords(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs"):
                found |= {k for v in value.values() for k in _keywords(v)}
            elif key not in ("description", "title", "default"):
                found |= {key} | _keywords(value)
    elif isinstance(node, list):
        for value in node:
            found |= _keywords(value)
    return found


def _same_verdict(record: dict[str, Any]) -> bool:
    fast, reference = record_errors(record), reference_errors(record)
    assert bool(fast) == bool(reference), (fast, reference)
    return not fast


def _published_records(tmp_path: Path) -> Iterator[dict[str, Any]]:
    paths = sorted((FIXTURES / "articles").glob("*.txt"))
    paths += sorted(DEV_CORPUS.glob("*.txt")) if DEV_CORPUS.is_dir() else []
    paths += write_corpus(tmp_path / "synthetic", 30)
    for path in paths:
        if path.stat().st_size:
            yield extract_file(path).model_dump(mode="json")


def test_both_validators_accept_every_record_we_publish(tmp_path: Path) -> None:
    records = list(_published_records(tmp_path))
    assert len(records) >= 45
    assert all(_same_verdict(r) for r in records)


def _set(path: list[Any], value: Any) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _drop(path: list[Any]) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


# One or more mutations per kind of keyword the schema uses; each must make the record invalid.
MUTATIONS = {
    "type": [
        _set(["trials", 0, "enrollment"], "18"),
        _set(["title"], 7),
        _set(["dates", 0, "relative"], "no"),
        _set(["metrics", 0, "value"], None),
        _set(["trials", 0, "mention_count"], True),
    ],
    "required": [_drop(["source"]), _drop(["trials", 0, "registry_id"]), _drop(["mentions", 0, "key"])],
    "enum": [
        _set(["source", "script"], "cyrillic"),
        _set(["dates", 0, "role"], "birthday"),
        _set(["mentions", 0, "type"], "gene"),
    ],
    "const": [_set(["schema_version"], "0.9.0")],
    "pattern": [
        _set(["id"], "Bad Id"),
        _set(["cell_types", 0, "cl_id"], "CL:٠٠٠٠٠٤٧"),
        _set(["durations", 0, "value"], "P12"),
        _set(["source", "sha256"], "ABC"),
        _set(["conditions", 0, "icd10"], "I6"),
    ],
    "minimum": [_set(["trials", 0, "enrollment"], -1), _set(["mentions", 0, "start"], -5)],
    "additionalProperties": [_set(["unexpected"], 1), _set(["trials", 0, "sponsor"], "x")],
    "items": [_set(["cell_types", 0, "products"], [1, 2]), _set(["studies"], ["a study"])],
    "anyOf": [_set(["trials", 0, "phase"], 3), _set(["date_published"], {"y": 2025})],
}
ANNOTATIONS = {"$schema", "$id", "$ref", "version", "title", "description", "default"}


def test_the_mutations_cover_every_keyword_the_schema_uses() -> None:
    assert _keywords(SCHEMA) - ANNOTATIONS <= set(MUTATIONS), _keywords(SCHEMA) - ANNOTATIONS - set(MUTATIONS)


@pytest.mark.parametrize(
    ("keyword", "index"), [(k, i) for k, ms in MUTATIONS.items() for i in range(len(ms))], ids=lambda v: str(v)
)
def test_both_validators_reject_a_record_broken_by_one_keyword(keyword: str, index: int) -> None:
    broken = copy.deepcopy(VALID)
    MUTATIONS[keyword][index](broken)
    assert not _same_verdict(broken)


def test_both_validators_agree_field_by_field() -> None:
    """Every field of the first fact of each family set to values of every JSON type."""
    for family in ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "mentions", "studies"):
        for field in VALID[family][0]:
            for bad in (None, "x", -1, 1.0, 1.5, [], {}, True, "CL:0000047"):
                broken = copy.deepcopy(VALID)
                broken[family][0][field] = bad
                _same_verdict(broken)
