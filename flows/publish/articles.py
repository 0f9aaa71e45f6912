"""One article's published files, and where they live.

A valid record is published as its JSON-LD, its rows of the CSV tables (state/rows, so that a run
rebuilds the tables without parsing every record), its report page, and last the record itself: a
record on disk always has the rest. The validation process runs `validate_and_write` beside
extraction; nothing here needs spaCy, so that process stays small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stemwire.flows.publish.files import write_json_atomic, write_text_atomic
from stemwire.flows.publish.jsonld import article_document
from stemwire.flows.publish.report import article_page, page_path
from stemwire.flows.publish.tables import table_fragment
from stemwire.schemas.validation import record_errors


def record_path(out_dir: Path, article_id: str) -> Path:
    return out_dir / "records" / f"{article_id}.json"


def jsonld_path(out_dir: Path, article_id: str) -> Path:
    return out_dir / "jsonld" / f"{article_id}.jsonld"


def fragment_path(out_dir: Path, article_id: str) -> Path:
    return out_dir / "state" / "rows" / f"{article_id}.json"


def article_files(out_dir: Path, article_id: str) -> list[Path]:
    """Everything an article publishes, in the order it is written (record last)."""
    paths = [jsonld_path(out_dir, article_id), fragment_path(out_dir, article_id), page_path(out_dir, article_id)]
    return [*paths, record_path(out_dir, article_id)]


def write_article(record: dict[str, Any], out_dir: Path, base_iri: str) -> None:
    aid = record["id"]
    # Durable at the manifest's commit point, not file by file (see flows/publish/files.py).
    write_json_atomic(jsonld_path(out_dir, aid), article_document(record, base_iri), compact=True, durable=False)
    write_json_atomic(fragment_path(out_dir, aid), table_fragment(record), compact=True, durable=False)
    write_text_atomic(page_path(out_dir, aid), article_page(record), durable=False)
    write_json_atomic(record_path(out_dir, aid), record, compact=True, durable=False)


def validate_and_write(record: dict[str, Any], out_dir: Path, base_iri: str) -> list[str]:
    """The record's schema errors; a record without any is published."""
    errors = record_errors(record)
    if not errors:
        write_article(record, out_dir, base_iri)
    return errors
