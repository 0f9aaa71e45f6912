"""csv/datapackage.json: the CSV tables described as a Frictionless Data Package, for frictionless and
pandas users, from the same table registry as the CSVW metadata beside it (flows/publish/tables.py)."""

from __future__ import annotations

from typing import Any

from stemwire.flows.publish.tables import NULLABLE_INTEGER, Column, primary_keys, tables
from stemwire.schemas import SCHEMA_VERSION

# CSVW datatypes as Table Schema field types; a list column (|-separated) stays a string.
FIELD_TYPES = {"integer": "integer", "decimal": "number", "boolean": "boolean", "anyURI": "string"}


def _field(column: Column, required: bool) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": "string" if column.is_list else FIELD_TYPES.get(column.datatype, "string"),
    }
    if column.datatype == "anyURI":
        field["format"] = "uri"
    description = column.description
    if column.datatype == "integer" and not required:
        description = f"{description} {NULLABLE_INTEGER}".strip()
    if description:
        field["description"] = description
    if required:
        field["constraints"] = {"required": True}
    return field


def datapackage_metadata(bom: bool = False) -> dict[str, Any]:
    keys = primary_keys()
    resources = []
    for name, columns in tables().items():
        schema: dict[str, Any] = {
            "fields": [_field(c, c.name in keys[name]) for c in columns],
            "primaryKey": keys[name],
            "missingValues": [""],  # an empty cell is unknown
        }
        if name != "articles":
            schema["foreignKeys"] = [
                {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}}
            ]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if bom else "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True, "quoteChar": '"'},
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "stemwire-facts",
        "title": "stemwire facts",
        "version": SCHEMA_VERSION,
        "resources": resources,
    }
