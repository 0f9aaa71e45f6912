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
from pathlib import Path, PurePath
from typing import Any

from stemwire.flows.output.files import atomic_writers, write_json_atomic
from stemwire.flows.output.layout import CSV_METADATA_FILE
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI
from stemwire.schemas import SCHEMA_VERSION
from stemwire.schemas.families import FactFamily, column_specs, families

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "|"  # keys and product names never contain it


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str = "string"
    is_list: bool = False
    description: str = ""


_ARTICLE_ID = Column("article_id", description="Stable article id (from the source file name).")
_INDEX = Column("index", "integer", description="Position of the fact in the article's record.")


# What the page says about itself (the record's `page`): the columns analysts filter on.
_PAGE_COLUMNS = (
    ("date_modified", "Last modification date the page states, ISO 8601."),
    ("date_source", "Where date_published came from: caller, meta, json-ld, time, markup, url, byline or body."),
    ("site_name", "The site that published the page."),
    ("author", "Author as the page names them."),
    ("canonical_url", "The page's own address."),
)


def _article_columns() -> list[Column]:
    return [
        _ARTICLE_ID,
        Column("title", description="The article's headline."),
        Column("date_published", description="The article's own dateline, ISO 8601."),
        *[Column(f"page_{name}", description=description) for name, description in _PAGE_COLUMNS],
        Column("language", description="zh-Hant or zh-Hans."),
        Column("script", description="traditional, simplified, mixed or unknown."),
        Column("source_path", description="The source file, relative to the raw folder."),
        Column("sha256", description="SHA-256 of the source file's bytes."),
        Column("duplicate_of", description="The article this file repeats; its facts are not listed again."),
        *[Column(f"{f.name}_count", "integer", description=f"Number of {f.label} facts.") for f in families()],
    ]


@dataclass(frozen=True)
class _Tables:
    """The tables of one state of the registry, derived once: every article's fragment needs them."""

    families: tuple[FactFamily, ...]
    columns: dict[str, list[Column]]
    names: dict[str, tuple[str, ...]]  # each table's column names, in order
    layout: str  # see layout()


_derived: list[_Tables] = []  # the last registry's tables


def _build_tables(found: tuple[FactFamily, ...]) -> _Tables:
    columns = {"articles": _article_columns()}
    for f in found:
        derived = [Column(c.name, c.datatype, c.is_list, c.description) for c in column_specs(f)]
        columns[f.name] = [_ARTICLE_ID, *([_INDEX] if f.by_position else []), *derived]
    names = {n: tuple(c.name for c in cols) for n, cols in columns.items()}
    digest = hashlib.sha256(json.dumps({n: list(cs) for n, cs in names.items()}).encode()).hexdigest()[:16]
    return _Tables(found, columns, names, digest)


def _same(cached: tuple[FactFamily, ...], found: tuple[FactFamily, ...]) -> bool:
    return len(cached) == len(found) and all(a is b for a, b in zip(cached, found, strict=True))


def _tables() -> _Tables:
    """The registry's tables, derived again only when a family was registered or removed since."""
    found = families()
    last = _derived[0] if _derived else None
    if last is None or not _same(last.families, found):
        last = _build_tables(found)
        _derived[:] = [last]
    return last


def tables() -> dict[str, list[Column]]:
    """Every table's columns: articles, then one table per fact family (from the registry)."""
    return {name: list(columns) for name, columns in _tables().columns.items()}


def primary_keys() -> dict[str, list[str]]:
    keys = {"articles": ["article_id"]}
    keys.update({f.name: ["article_id", *(f.key or ("index",))] for f in families()})
    return keys


_EXACT_INTEGER = 10**28  # below it, an int's Decimal (28 digits of precision) is the int itself


def cell(value: Any) -> str:
    kind = type(value)
    if kind is str:  # most cells: the same as the general path below, without its checks
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if kind is int and -_EXACT_INTEGER < value < _EXACT_INTEGER:
        return str(value)
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
    shape = _tables()
    names = [f.name for f in shape.families]
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in shape.columns}
    rows["articles"].append(
        {
            "article_id": aid,
            "title": record.get("title"),
            "date_published": record.get("date_published"),
            **{f"page_{name}": (record.get("page") or {}).get(name) for name, _ in _PAGE_COLUMNS},
            "language": record["source"]["language"],
            "script": record["source"]["script"],
            "source_path": PurePath(record["source"]["path"]).name,  # relative to the raw folder
            "sha256": record["source"]["sha256"],
            "duplicate_of": None,  # known only once the run has seen every article: see write_tables
            **{f"{name}_count": len(record.get(name, [])) for name in names},
        }
    )
    for name in names:
        rows[name] = [{"article_id": aid, "index": i, **item} for i, item in enumerate(record.get(name, []))]
    return rows


def layout() -> str:
    """Which columns a stored fragment was written for: fragments of another layout are rebuilt."""
    return _tables().layout


def table_fragment(record: dict[str, Any]) -> dict[str, Any]:
    """One article's rows of every table, cells already formatted: kept beside the record so that a
    run rebuilds the tables from small fragments instead of parsing every record again."""
    shape = _tables()
    cells = {name: [_cells(row, shape.names[name]) for row in rows] for name, rows in rows_for(record).items()}
    return {"layout": shape.layout, "article_id": record["id"], "rows": cells}


def _cells(row: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """[cell(row.get(name)) for name in names], with the commonest cells (empty, text that is no
    formula) made here rather than by a call."""
    return [
        ("" if value is None else value if type(value) is str and not value.startswith(FORMULA_STARTS) else cell(value))
        for value in map(row.get, names)
    ]


def _writer(handle: Any) -> Any:
    return csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


NULLABLE_INTEGER = "Empty where unknown: read it as a nullable integer (pandas: dtype 'Int64')."


def _column_metadata(column: Column, required: bool, article_url: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": column.name, "titles": column.name, "datatype": column.datatype}
    if column.is_list:
        meta["separator"] = LIST_SEPARATOR
    description = column.description
    if column.datatype == "integer" and not required:
        description = f"{description} {NULLABLE_INTEGER}".strip()
    if description:
        meta["dc:description"] = description
    if column.name == "article_id":  # the row names the article's JSON-LD @id
        meta["valueUrl"] = article_url
    if required:
        meta["required"] = True
    return meta


def _about_url(name: str, article_url: str) -> str | None:
    """The JSON-LD @id of a row's fact: the article, its report of a trial, or its fact by position
    (flows/publish/vocabulary.py names them the same way)."""
    if name == "articles":
        return article_url
    if name == "trials":
        return article_url + "#trial-{registry_id}"
    if any(f.name == name and f.by_position for f in families()):
        return article_url + "#" + name + "-{index}"
    return None


def table_group_metadata(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """CSVW metadata for the tables: columns with datatypes, primary keys, every table's article_id
    as a foreign key into articles.csv, and URI templates (aboutUrl, valueUrl) naming each row's
    JSON-LD node."""
    described = []
    keys = primary_keys()
    article_url = base_iri.rstrip("/") + "/article/{article_id}"
    for name, columns in tables().items():
        schema: dict[str, Any] = {
            "columns": [_column_metadata(c, c.name in keys[name], article_url) for c in columns],
            "primaryKey": keys[name],
        }
        about = _about_url(name, article_url)
        if about:
            schema["aboutUrl"] = about
        if name != "articles":
            schema["foreignKeys"] = [
                {
                    "columnReference": "article_id",
                    "reference": {"resource": "articles.csv", "columnReference": "article_id"},
                }
            ]
        described.append({"url": f"{name}.csv", "tableSchema": schema})
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": "stemwire facts",
        "dc:hasVersion": SCHEMA_VERSION,
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True},
        "tables": described,
    }


def write_tables(
    fragments: Iterable[dict[str, Any]],
    csv_dir: Path,
    bom: bool = False,
    duplicates: dict[str, str] | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
) -> list[Path]:
    """Stream articles' fragments (table_fragment, in article-id order) into every table; memory stays
    flat however many there are. `duplicates` maps the id of an article that repeats another to the
    id it repeats: its row in articles.csv says so, and its facts are counted once, under the other."""
    duplicates = duplicates or {}
    columns = tables()
    duplicate_of = [c.name for c in columns["articles"]].index("duplicate_of")
    paths = [csv_dir / f"{name}.csv" for name in columns]
    with atomic_writers(paths) as handles:
        writers = {}
        for name, handle in zip(columns, handles, strict=True):
            if bom:
                handle.write("\ufeff")
            writers[name] = _writer(handle)
            writers[name].writerow([c.name for c in columns[name]])
        for fragment in fragments:
            rows = fragment["rows"]
            repeats = duplicates.get(fragment["article_id"])
            for row in rows["articles"]:
                row[duplicate_of] = cell(repeats)
            for name in ("articles",) if repeats else columns:
                writers[name].writerows(rows[name])
    write_json_atomic(csv_dir / CSV_METADATA_FILE, table_group_metadata(base_iri))
    return [*paths, csv_dir / CSV_METADATA_FILE]
