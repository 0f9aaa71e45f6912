"""Plain functions a run is made of: find articles, extract and validate them in batches, publish.

One broken article never stops the batch: its outcome carries the reason, it is reported and
written to OUT/errors/, and every other article is published as usual.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.article import article_id, extract_record
from extractors.decode import ARTICLE_SUFFIXES
from extractors.errors import ArticleError
from flows.publish.files import write_json_atomic, write_text_atomic
from flows.publish.jsonld import CONTEXT_FILE, DEFAULT_BASE_IRI, article_document, catalog_document, context_document
from flows.publish.tables import write_tables
from schemas.validation import record_errors

FACT_TYPES = ("cell_types", "trials", "dates", "durations", "metrics", "references")


@dataclass
class ArticleOutcome:
    path: str
    article_id: str
    record: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class RunSummary:
    articles_read: int = 0
    published: int = 0
    facts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FACT_TYPES, 0))
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def discover_articles(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise ArticleError(raw_dir, "raw folder does not exist or is not a folder")
    return sorted(
        p
        for p in raw_dir.iterdir()
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
    )


def process_article(path: Path) -> ArticleOutcome:
    outcome = ArticleOutcome(path=str(path), article_id=article_id(path))
    try:
        record = extract_record(path).model_dump(mode="json")
    except ArticleError as exc:
        outcome.error = exc.reason
        return outcome
    except Exception as exc:  # a bug must not sink the batch; keep the trace for the error file
        outcome.error = f"extraction failed: {exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        return outcome
    errors = record_errors(record)
    if errors:
        outcome.error = "record does not match the schema: " + "; ".join(errors[:5])
        return outcome
    outcome.record = record
    return outcome


def process_batch(paths: list[Path]) -> list[ArticleOutcome]:
    return [process_article(p) for p in paths]


def publish_article(outcome: ArticleOutcome, out_dir: Path, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Write the record, then its JSON-LD; a failed article gets an error file instead."""
    error_file = out_dir / "errors" / f"{Path(outcome.path).name}.json"
    if outcome.record is None:
        write_json_atomic(error_file, {"path": outcome.path, "article_id": outcome.article_id, "reason": outcome.error})
        return
    write_json_atomic(out_dir / "records" / f"{outcome.article_id}.json", outcome.record)
    write_json_atomic(out_dir / "jsonld" / f"{outcome.article_id}.jsonld", article_document(outcome.record, base_iri))
    error_file.unlink(missing_ok=True)


def publish_run(
    outcomes: list[ArticleOutcome], out_dir: Path, base_iri: str = DEFAULT_BASE_IRI, bom: bool = False
) -> RunSummary:
    """CSV tables, the catalog and the local JSON-LD context for this run's articles; the summary."""
    records = [o.record for o in outcomes if o.record is not None]
    write_text_atomic(out_dir / CONTEXT_FILE, context_document())
    write_tables(records, out_dir / "csv", bom=bom)
    entries = [
        {"id": r["id"], "path": r["source"]["path"], "sha256": r["source"]["sha256"], "modified": source_modified(r)}
        for r in records
    ]
    write_json_atomic(out_dir / "catalog.jsonld", catalog_document(entries, base_iri))
    summary = RunSummary(articles_read=len(outcomes), published=len(records))
    counts: Counter[str] = Counter()
    for r in records:
        for kind in FACT_TYPES:
            counts[kind] += len(r[kind])
    summary.facts.update(counts)
    summary.failures = [(o.path, (o.error or "").splitlines()[0]) for o in outcomes if o.record is None]
    return summary


def source_modified(record: dict[str, Any]) -> str:
    """When the article's source file last changed (UTC, ISO 8601): what a polling consumer compares."""
    path = Path(record["source"]["path"])
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return dt.datetime.fromtimestamp(int(stamp), dt.UTC).isoformat().replace("+00:00", "Z")


def batches(paths: list[Path], size: int) -> list[list[Path]]:
    return [paths[i : i + size] for i in range(0, len(paths), max(1, size))]
