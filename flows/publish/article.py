"""One article's published files.

A valid record is published as its JSON-LD, its text (the one every offset refers to), its mentions
as Web Annotations, its rows of the CSV tables (state/rows, so that a run rebuilds the tables without
parsing every record), its report page, and last the record itself: a record on disk always has the
rest. Publishers read only what they are handed: the record and the converted text its report page
shows beside the original.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from stemwire.flows.output.files import json_bytes, plain_json, write_bytes_atomic, write_json_atomic, write_text_atomic
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.annotations import annotation_document
from stemwire.flows.publish.jsonld import article_document, mention_targets
from stemwire.flows.publish.report_page import article_page
from stemwire.flows.publish.tables import table_fragment
from stemwire.schemas.validation import record_errors


def portable(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its source path relative to the raw folder (a flat folder: the file's name), so
    no output names the machine it was made on and two machines publish the same bytes."""
    name = PurePath(record["source"]["path"]).name
    if name == record["source"]["path"]:
        return record
    return {**record, "source": {**record["source"], "path": name}}


def write_article(
    record: dict[str, Any], converted: str, layout: OutputLayout, base_iri: str
) -> tuple[dict[str, Any], bytes]:
    """Returns the JSON-LD document and its file's bytes (what the graph store loads of the article)."""
    record = portable(record)
    aid = record["id"]
    # The JSON-LD and the annotations are built from the record alone and compute no number, so the
    # record's floats are all theirs: one plain_json verdict serves the three; table cells are strings.
    plain = plain_json(record)
    targets = mention_targets(record, base_iri)
    document = article_document(record, base_iri, targets=targets)
    jsonld = json_bytes(document, compact=True, plain=plain)
    # Durable at the manifest's commit point, not file by file (see flows/output/files.py).
    write_bytes_atomic(layout.jsonld(aid), jsonld, durable=False)
    write_text_atomic(layout.text(aid), record["text"], durable=False)
    annotations = annotation_document(record, base_iri, targets)
    write_json_atomic(layout.annotations(aid), annotations, compact=True, durable=False, plain=plain)
    write_json_atomic(layout.rows(aid), table_fragment(record), compact=True, durable=False, plain=True)
    write_text_atomic(layout.page(aid), article_page(record, converted), durable=False)
    write_json_atomic(layout.record(aid), record, compact=True, durable=False, plain=plain)
    return document, jsonld


def validate_and_write(record: dict[str, Any], converted: str, layout: OutputLayout, base_iri: str) -> list[str]:
    """The record's schema errors; a record without any is published."""
    errors = record_errors(record)
    if not errors:
        write_article(record, converted, layout, base_iri)
    return errors
