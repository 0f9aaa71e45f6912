"""CSV tables for analysts: one per fact type plus articles.csv, each row keyed by article_id, and the
CSV on the Web metadata that describes them (csv/csv-metadata.json: columns, datatypes, keys).

UTF-8 (optionally with a BOM so Excel reads Chinese), RFC 4180 quoting and CRLF line ends, a fixed
column order, numbers as plain decimals, and text cells that a spreadsheet would run as a formula
(= + - @ tab CR at the start) prefixed with an apostrophe so they show as text.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from stemwire.flows.publish.files import atomic_writers, write_json_atomic
from stemwire.schemas import SCHEMA_VERSION

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FACT_TABLES = ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "references")
METADATA_FILE = "csv-metadata.json"
LIST_SEPARATOR = "|"  # keys and product names never contain it


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str = "string"
    is_list: bool = False
    description: str = ""


def _c(name: str, datatype: str = "string", description: str = "", is_list: bool = False) -> Column:
    return Column(name, datatype, is_list, description)


_SPAN = [
    _c("start", "integer", "Offset of the first character in the original text."),
    _c("end", "integer", "Offset just past the last character."),
    _c("text", description="The original text of the span."),
]
_INDEX = _c("index", "integer", "Position of the fact in the article's record.")

TABLES: dict[str, list[Column]] = {
    "articles": [
        _c("article_id", description="Stable article id (from the source file name)."),
        _c("title"),
        _c("date_published", description="The article's own dateline, ISO 8601."),
        _c("language", description="zh-Hant or zh-Hans."),
        _c("script", description="traditional, simplified, mixed or unknown."),
        _c("source_path"),
        _c("sha256", description="SHA-256 of the source file's bytes."),
        _c("duplicate_of", description="The article this file repeats; its facts are not listed again."),
        *[_c(f"{name}_count", "integer", f"Number of {name.replace('_', ' ')} facts.") for name in FACT_TABLES],
    ],
    "cell_types": [
        _c("article_id"),
        _c("key", description="Gazetteer key."),
        _c("name", description="Cell Ontology label, or the gazetteer's English label."),
        _c("cl_id", description="Cell Ontology id (CL:0000047), empty where CL has none."),
        _c("name_zh_hans"),
        _c("name_zh_hant"),
        _c("products", description="Product names made of this cell type.", is_list=True),
        _c("mention_count", "integer"),
    ],
    "conditions": [
        _c("article_id"),
        _c("key", description="Condition vocabulary key."),
        _c("name"),
        _c("icd10", description="WHO ICD-10 category, where one fits."),
        _c("name_zh", description="The name as the article first writes it."),
        _c("mention_count", "integer"),
    ],
    "trials": [
        _c("article_id"),
        _c("registry_id"),
        _c("registry"),
        _c("url", "anyURI"),
        _c("phase", description='Normalised phase: "1", "1/2a", "2", "3".'),
        _c("enrollment", "integer"),
        _c("conditions", description="Condition keys.", is_list=True),
        _c("interventions", description="Cell-type keys.", is_list=True),
        _c("follow_up", description="ISO 8601 duration."),
        _c("study"),
        _c("mention_count", "integer"),
    ],
    "dates": [
        _c("article_id"),
        _INDEX,
        _c("value", description="ISO 8601 date at the text's precision."),
        _c("precision", description="year, month, week or day."),
        _c("role", description="event, dateline or reference."),
        _c("relative", "boolean", "Resolved from context."),
        *_SPAN,
    ],
    "durations": [
        _c("article_id"),
        _INDEX,
        _c("value", description="ISO 8601 duration."),
        _c("kind", description="length or time_point."),
        _c("qualifier", description="~, >=, <=, > or <; empty when exact."),
        _c("range_part", description="start or end of a range."),
        _c("study"),
        *_SPAN,
    ],
    "metrics": [
        _c("article_id"),
        _INDEX,
        _c("value", "decimal"),
        _c("unit"),
        _c("measure"),
        _c("direction", description="increase, decrease or improvement."),
        _c("qualifier", description="~, >=, <=, > or <; empty when exact."),
        _c("range_part"),
        _c("study"),
        _c("measure_text", description="The words of the text that name the measure."),
        *_SPAN,
    ],
    "references": [
        _c("article_id"),
        _INDEX,
        _c("number", "integer", "The list number, where the entry has one."),
        _c("doi"),
        _c("pmid"),
        _c("pmcid"),
        _c("url", "anyURI"),
        *_SPAN,
    ],
}

PRIMARY_KEYS = {
    "articles": ["article_id"],
    "cell_types": ["article_id", "key"],
    "conditions": ["article_id", "key"],
    "trials": ["article_id", "registry_id"],
    "dates": ["article_id", "index"],
    "durations": ["article_id", "index"],
    "metrics": ["article_id", "index"],
    "references": ["article_id", "index"],
}


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(map(str, value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows_for(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    aid = record["id"]
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rows["articles"].append(
        {
            "article_id": aid,
            "title": record.get("title"),
            "date_published": record.get("date_published"),
            "language": record["source"]["language"],
            "script": record["source"]["script"],
            "source_path": record["source"]["path"],
            "sha256": record["source"]["sha256"],
            "duplicate_of": None,  # known only once the run has seen every article: see write_tables
            **{f"{k}_count": len(record[k]) for k in FACT_TABLES},
        }
    )
    for name in FACT_TABLES:
        rows[name] = [{"article_id": aid, "index": i, **item} for i, item in enumerate(record[name])]
    return rows


# Which columns a stored fragment was written for: fragments of an older layout are rebuilt.
LAYOUT = hashlib.sha256(json.dumps({n: [c.name for c in cols] for n, cols in TABLES.items()}).encode()).hexdigest()[:16]
_DUPLICATE_OF = [c.name for c in TABLES["articles"]].index("duplicate_of")


def table_fragment(record: dict[str, Any]) -> dict[str, Any]:
    """One article's rows of every table, cells already formatted: kept beside the record so that a
    run rebuilds the tables from small fragments instead of parsing every record again."""
    cells = {
        name: [[cell(row.get(c.name)) for c in TABLES[name]] for row in rows] for name, rows in rows_for(record).items()
    }
    return {"layout": LAYOUT, "article_id": record["id"], "rows": cells}


def _writer(handle: Any) -> Any:
    return csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def _column_metadata(column: Column, required: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": column.name, "titles": column.name, "datatype": column.datatype}
    if column.is_list:
        meta["separator"] = LIST_SEPARATOR
    if column.description:
        meta["dc:description"] = column.description
    if required:
        meta["required"] = True
    return meta


def table_group_metadata() -> dict[str, Any]:
    """CSVW metadata for the tables: columns with datatypes, primary keys, and every table's article_id
    as a foreign key into articles.csv."""
    tables = []
    for name, columns in TABLES.items():
        schema: dict[str, Any] = {
            "columns": [_column_metadata(c, c.name in PRIMARY_KEYS[name]) for c in columns],
            "primaryKey": PRIMARY_KEYS[name],
        }
        if name != "articles":
            schema["foreignKeys"] = [
                {
                    "columnReference": "article_id",
                    "reference": {"resource": "articles.csv", "columnReference": "article_id"},
                }
            ]
        tables.append({"url": f"{name}.csv", "tableSchema": schema})
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": "stemwire facts",
        "dc:hasVersion": SCHEMA_VERSION,
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True},
        "tables": tables,
    }


def write_tables(
    fragments: Iterable[dict[str, Any]], csv_dir: Path, bom: bool = False, duplicates: dict[str, str] | None = None
) -> list[Path]:
    """Stream articles' fragments (table_fragment, in article-id order) into every table; memory stays
    flat however many there are. `duplicates` maps the id of an article that repeats another to the
    id it repeats: its row in articles.csv says so, and its facts are counted once, under the other."""
    duplicates = duplicates or {}
    paths = [csv_dir / f"{name}.csv" for name in TABLES]
    with atomic_writers(paths) as handles:
        writers = {}
        for name, handle in zip(TABLES, handles, strict=True):
            if bom:
                handle.write("\ufeff")
            writers[name] = _writer(handle)
            writers[name].writerow([c.name for c in TABLES[name]])
        for fragment in fragments:
            rows = fragment["rows"]
            repeats = duplicates.get(fragment["article_id"])
            for row in rows["articles"]:
                row[_DUPLICATE_OF] = cell(repeats)
            for name in ("articles",) if repeats else TABLES:
                writers[name].writerows(rows[name])
    write_json_atomic(csv_dir / METADATA_FILE, table_group_metadata())
    return [*paths, csv_dir / METADATA_FILE]
