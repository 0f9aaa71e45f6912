"""The one registry of fact families: what each is called in the record, the model of one fact, the
type of its mentions, its label and colour in the report, and its CSV table.

Everything that lists families (the record builder, the run's counts, the CSV tables and their CSVW
metadata, the JSON-LD, the report, evaluation) reads this registry; see CONTRIBUTING.md, "Adding a fact
family". Column datatypes and descriptions come from the models' own fields, so the CSV metadata and
the JSON Schema describe a column in the same words.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, create_model

from stemwire.schemas.models import (
    CellType,
    Condition,
    DateFact,
    DurationFact,
    Metric,
    Record,
    Reference,
    Trial,
)


@dataclass(frozen=True)
class FactFamily:
    name: str  # the record's field, the CSV table (csv/<name>.csv) and the span group (doc.spans[name])
    model: type[BaseModel]  # one fact
    label: str  # as people read it: "cell types"
    colour: str  # of its facts and mentions in the report
    columns: tuple[str, ...]  # its CSV columns after article_id (and index), in order; fields of `model`
    mention_type: str | None = None  # type of its mentions in record.mentions; None: it has none
    key: tuple[str, ...] = ()  # the columns that identify a row besides article_id; () = its position (index)
    datatypes: Mapping[str, str] = field(default_factory=dict)  # CSVW datatypes the model's types do not say
    description: str = ""  # of the family, for the record's field
    component: str | None = None  # the spaCy factory that finds it, for a family beyond the built-ins

    @property
    def by_position(self) -> bool:
        return not self.key


_SPAN = ("start", "end", "text")
_REGISTRY: dict[str, FactFamily] = {}


def register(family: FactFamily) -> FactFamily:
    """Add a family (at import time, before a pipeline is built); its name must be new and its columns
    fields of its model."""
    if family.name in _REGISTRY:
        raise ValueError(f"fact family {family.name!r} is registered already")
    unknown = [c for c in family.columns if c not in family.model.model_fields]
    if unknown:
        raise ValueError(f"fact family {family.name!r}: columns {unknown} are not fields of {family.model.__name__}")
    _REGISTRY[family.name] = family
    record_model.cache_clear()
    _COLUMN_SPECS.clear()
    return family


def unregister(name: str) -> None:
    """Remove a family registered at run time (for tests that register one of their own)."""
    if name in BUILT_IN_NAMES:
        raise ValueError(f"{name!r} is a built-in fact family")
    _REGISTRY.pop(name, None)
    record_model.cache_clear()
    _COLUMN_SPECS.clear()


def families() -> tuple[FactFamily, ...]:
    """Every registered family, in registration order (the order of tables, counts and report rows)."""
    return tuple(_REGISTRY.values())


def family(name: str) -> FactFamily:
    return _REGISTRY[name]


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


# Mentions that belong to no family of their own: relative dates with no value, and measure names.
EXTRA_MENTIONS = {"unresolved_dates": "date", "measures": "measure"}
MEASURE_COLOUR = "#e0c3fc"


def mention_colours() -> dict[str, tuple[str, str]]:
    """Mention type -> (label, colour), for the report's highlights."""
    colours = {f.mention_type: (f.label.removesuffix("s"), f.colour) for f in families() if f.mention_type}
    colours["measure"] = ("measure", MEASURE_COLOUR)
    return colours


def _csv_datatype(annotation: Any) -> tuple[str, bool]:
    """(CSVW datatype, is a list) of a model field's annotation."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _csv_datatype(args[0])
    if origin is list:
        return "string", True
    if annotation is bool:
        return "boolean", False
    if annotation is int:
        return "integer", False
    if annotation is float:
        return "decimal", False
    return "string", False


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    datatype: str
    is_list: bool
    description: str


# Derived once per family (publishing asks for every row): id -> (the family, its columns). The
# family is kept, so its id names no other object while cached; a change of registry clears it.
_COLUMN_SPECS: dict[int, tuple[FactFamily, tuple[ColumnSpec, ...]]] = {}


def column_specs(family: FactFamily) -> tuple[ColumnSpec, ...]:
    """The family's CSV columns after article_id (and index), typed and described by its model."""
    cached = _COLUMN_SPECS.get(id(family))
    if cached is None or cached[0] is not family:
        fields = family.model.model_fields
        specs = []
        for name in family.columns:
            info = fields[name]
            datatype, is_list = _csv_datatype(info.annotation)
            specs.append(ColumnSpec(name, family.datatypes.get(name, datatype), is_list, info.description or ""))
        cached = _COLUMN_SPECS[id(family)] = (family, tuple(specs))
    return cached[1]


def columns(family: FactFamily) -> Iterator[ColumnSpec]:
    """column_specs, one by one."""
    return iter(column_specs(family))


@cache
def record_model() -> type[Record]:
    """The record with a field for every registered family: the built-in Record itself, or (when a
    family was registered beyond the built-ins) a subclass of it with the new fields."""
    extra: dict[str, Any] = {
        f.name: (list[f.model], Field(default_factory=list, description=f.description or f.label))  # type: ignore[name-defined]
        for f in families()
        if f.name not in Record.model_fields
    }
    if not extra:
        return Record
    model: type[Record] = create_model("Record", __base__=Record, **extra)
    return model


BUILT_IN = (
    FactFamily(
        "cell_types",
        CellType,
        "cell types",
        "#8ecae6",
        ("key", "name", "cl_id", "name_zh_hans", "name_zh_hant", "products", "mention_count"),
        mention_type="cell_type",
        key=("key",),
    ),
    FactFamily(
        "conditions",
        Condition,
        "conditions",
        "#ffb4a2",
        ("key", "name", "icd10", "name_zh", "mention_count"),
        mention_type="condition",
        key=("key",),
    ),
    FactFamily(
        "trials",
        Trial,
        "trials",
        "#b5e48c",
        (
            "registry_id",
            "registry",
            "url",
            "phase",
            "enrollment",
            "enrollment_type",
            "conditions",
            "interventions",
            "follow_up",
            "study",
            "mention_count",
        ),
        mention_type="trial",
        key=("registry_id",),
        datatypes={"url": "anyURI"},
    ),
    FactFamily(
        "dates",
        DateFact,
        "dates",
        "#ffd166",
        ("value", "precision", "role", "relative", "underspecified", "reference_date", *_SPAN),
        mention_type="date",
    ),
    FactFamily(
        "durations",
        DurationFact,
        "durations",
        "#f4a261",
        ("value", "kind", "qualifier", "range_part", "study", *_SPAN),
        mention_type="duration",
    ),
    FactFamily(
        "metrics",
        Metric,
        "metrics",
        "#90e0ef",
        (
            "value",
            "unit",
            "measure",
            "direction",
            "qualifier",
            "range_part",
            "study",
            "measure_text",
            "arm",
            "time_point",
            "time_point_text",
            *_SPAN,
        ),
        mention_type="metric",
    ),
    FactFamily(
        "references",
        Reference,
        "references",
        "#cdb4db",
        ("number", "doi", "pmid", "pmcid", "url", *_SPAN),
        datatypes={"url": "anyURI"},
    ),
)
for _family in BUILT_IN:
    register(_family)
BUILT_IN_NAMES = frozenset(f.name for f in BUILT_IN)
