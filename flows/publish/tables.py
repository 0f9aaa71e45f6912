"""CSV tables for analysts: one per fact type plus articles.csv, each row keyed by article_id.

UTF-8 (optionally with a BOM so Excel reads Chinese), RFC 4180 quoting and CRLF line ends, a fixed
column order, numbers as plain decimals, and text cells that a spreadsheet would run as a formula
(= + - @ tab CR at the start) prefixed with an apostrophe so they show as text.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from flows.publish.files import write_text_atomic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FACT_TABLES = ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "references")

TABLES: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "title",
        "date_published",
        "language",
        "script",
        "source_path",
        "sha256",
        "cell_types",
        "conditions",
        "trials",
        "dates",
        "durations",
        "metrics",
        "references",
    ],
    "cell_types": ["article_id", "key", "name", "cl_id", "name_zh_hans", "name_zh_hant", "products", "mention_count"],
    "conditions": ["article_id", "key", "name", "icd10", "name_zh", "mention_count"],
    "trials": [
        "article_id",
        "registry_id",
        "registry",
        "url",
        "phase",
        "enrollment",
        "conditions",
        "interventions",
        "follow_up",
        "study",
        "mention_count",
    ],
    "dates": ["article_id", "value", "precision", "role", "relative", "start", "end", "text"],
    "durations": ["article_id", "value", "kind", "qualifier", "range_part", "study", "start", "end", "text"],
    "metrics": [
        "article_id",
        "value",
        "unit",
        "measure",
        "direction",
        "qualifier",
        "range_part",
        "study",
        "measure_text",
        "start",
        "end",
        "text",
    ],
    "references": ["article_id", "number", "doi", "pmid", "pmcid", "url", "start", "end", "text"],
}


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text
    if isinstance(value, list):  # keys and names never contain "|"
        value = "|".join(map(str, value))
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
            **{k: len(record[k]) for k in FACT_TABLES},
        }
    )
    for name in FACT_TABLES:
        rows[name] = [{"article_id": aid, **item} for item in record[name]]
    return rows


def render_table(name: str, rows: list[dict[str, Any]], bom: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TABLES[name])
    for row in rows:
        writer.writerow([cell(row.get(col)) for col in TABLES[name]])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def write_tables(records: list[dict[str, Any]], csv_dir: Path, bom: bool = False) -> list[Path]:
    combined: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for record in sorted(records, key=lambda r: r["id"]):
        for name, rows in rows_for(record).items():
            combined[name].extend(rows)
    written = []
    for name in TABLES:
        path = csv_dir / f"{name}.csv"
        write_text_atomic(path, render_table(name, combined[name], bom=bom))
        written.append(path)
    return written
