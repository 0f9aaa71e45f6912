"""The work of a run as plain functions (the Prefect flow in run_flow.py calls them as tasks).

Per article: read and extract here; validate and, if valid, publish in the validation process while
the next article is extracted (flows/validation_process.py, flows/publish/articles.py). Per run:
withdraw deleted articles, link duplicates, and rebuild the CSV tables, the catalog and the report's
index from the manifest (finalize). One broken file never stops the batch: it gets
OUT/errors/<file>.json with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stemwire.extractors.article import extract_record
from stemwire.extractors.decode import MAX_BYTES
from stemwire.extractors.errors import ArticleError
from stemwire.flows import validation_process
from stemwire.flows.inventory import Inventory
from stemwire.flows.publish.articles import article_files, fragment_path, jsonld_path, record_path, write_article
from stemwire.flows.publish.files import write_chunks_atomic, write_json_atomic, write_text_atomic
from stemwire.flows.publish.jsonld import (
    CONTEXT_FILE,
    DEFAULT_BASE_IRI,
    article_document,
    article_iri,
    catalog_chunks,
    context_document,
)
from stemwire.flows.publish.report import write_report
from stemwire.flows.publish.tables import LAYOUT, table_fragment, write_tables
from stemwire.flows.state import Entry, Manifest
from stemwire.schemas.validation import record_errors

FACT_TYPES = ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "references")


@dataclass
class ArticleOutcome:
    path: str
    article_id: str
    record: dict[str, Any] | None = None
    error: str | None = None
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    norm_sha256: str | None = None
    title: str = ""
    fact_counts: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class RunSummary:
    articles_read: int = 0
    published: int = 0
    unchanged: int = 0
    facts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FACT_TYPES, 0))
    failures: list[tuple[str, str]] = field(default_factory=list)
    not_ready: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (article id, the article it repeats)

    @property
    def ok(self) -> bool:
        return not self.failures


def pack(outcomes: list[ArticleOutcome]) -> str:
    """Outcomes (records already dropped) as one compact string: what a task hands back to the flow,
    where Prefect keeps it until the run ends."""
    return json.dumps([{k: v for k, v in vars(o).items() if k != "record"} for o in outcomes], ensure_ascii=False)


def unpack(packed: str) -> list[ArticleOutcome]:
    return [ArticleOutcome(**fields) for fields in json.loads(packed)]


def _extract(path: Path, article_id: str, max_bytes: int) -> ArticleOutcome:
    """Read and extract one article; `outcome.record` holds the record, not yet validated."""
    outcome = ArticleOutcome(path=str(path), article_id=article_id)
    try:
        st = path.stat()
        outcome.size, outcome.mtime_ns = st.st_size, st.st_mtime_ns
        outcome.record = extract_record(path, article_id, max_bytes).model_dump(mode="json")
    except ArticleError as exc:
        outcome.error = exc.reason
    except Exception as exc:  # a bug must not sink the batch; keep the trace for the error file
        outcome.error = f"extraction failed: {exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    return outcome


def _settle(outcome: ArticleOutcome, errors: list[str]) -> ArticleOutcome:
    """The outcome once the record's schema verdict is known: published fields, or the errors."""
    record = outcome.record
    if record is None:
        return outcome
    outcome.sha256 = str(record.get("source", {}).get("sha256", ""))  # known even if the record fails
    if errors:
        outcome.record = None
        outcome.error = "record does not match the schema: " + "; ".join(errors[:5])
        return outcome
    outcome.norm_sha256 = record["source"]["normalised_sha256"]
    outcome.title = record.get("title") or ""
    outcome.fact_counts = {k: len(record[k]) for k in FACT_TYPES}
    return outcome


def process_article(path: Path, article_id: str, max_bytes: int = MAX_BYTES) -> ArticleOutcome:
    """Extract and validate one article, in this process."""
    outcome = _extract(path, article_id, max_bytes)
    return _settle(outcome, record_errors(outcome.record) if outcome.record is not None else [])


def process_batch(
    items: list[tuple[Path, str]], out_dir: Path, base_iri: str = DEFAULT_BASE_IRI, max_bytes: int = MAX_BYTES
) -> list[ArticleOutcome]:
    """Extract, validate and publish a batch. Each record is validated, and published if valid, by
    the validation process while the next article is extracted. The outcomes come back without
    their records, so that what the flow keeps per article is a few fields (Prefect holds on to
    task results for the whole run)."""
    extracted = ((o, o.record) for o in (_extract(path, aid, max_bytes) for path, aid in items))
    outcomes = []
    for outcome, errors in validation_process.alongside(extracted, (out_dir, base_iri)):
        _record_outcome(_settle(outcome, errors), out_dir)  # a valid record is already published
        outcome.record = None
        outcomes.append(outcome)
    return outcomes


def _error_path(out_dir: Path, name: str) -> Path:
    return out_dir / "errors" / f"{name}.json"


def publish_article(outcome: ArticleOutcome, out_dir: Path, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """A published article's files (flows/publish/articles.py); a failed article gets an error file,
    and whatever it published before is withdrawn."""
    if outcome.ok and outcome.record is not None:
        write_article(outcome.record, out_dir, base_iri)
    _record_outcome(outcome, out_dir)


def _record_outcome(outcome: ArticleOutcome, out_dir: Path) -> None:
    """The error file of a failed article (and its earlier files withdrawn), or none for a published one."""
    if outcome.ok:
        _error_path(out_dir, outcome.name).unlink(missing_ok=True)
        return
    write_json_atomic(
        _error_path(out_dir, outcome.name),
        {"path": outcome.path, "article_id": outcome.article_id, "reason": outcome.error},
        durable=False,
    )
    for path in article_files(out_dir, outcome.article_id):
        path.unlink(missing_ok=True)


def _modified(mtime_ns: int) -> str:
    stamp = dt.datetime.fromtimestamp(mtime_ns // 1_000_000_000, dt.UTC)
    return stamp.isoformat().replace("+00:00", "Z")


def remember(manifest: Manifest, outcome: ArticleOutcome) -> None:
    manifest.entries[outcome.name] = Entry(
        name=outcome.name,
        path=outcome.path,
        article_id=outcome.article_id,
        sha256=outcome.sha256,
        size=outcome.size,
        mtime_ns=outcome.mtime_ns,
        status="published" if outcome.ok else "failed",
        modified=_modified(outcome.mtime_ns),
        reason=None if outcome.ok else (outcome.error or "").splitlines()[0],
        norm_sha256=outcome.norm_sha256,
        title=outcome.title,
        fact_counts=outcome.fact_counts,
    )


def _withdraw(out_dir: Path, manifest: Manifest, names: list[str], now: str) -> None:
    for name in names:
        entry = manifest.entries[name]
        for path in article_files(out_dir, entry.article_id):
            path.unlink(missing_ok=True)
        _error_path(out_dir, name).unlink(missing_ok=True)
        entry.status, entry.withdrawn_at, entry.duplicate_of = "withdrawn", now, None


def _link_duplicates(out_dir: Path, manifest: Manifest, base_iri: str) -> None:
    """The first of several files with the same normalised text is the article; the others say so
    (sameAs in their JSON-LD) and are not counted again."""
    first_by_text: dict[str, Entry] = {}
    for entry in sorted(manifest.published(), key=lambda e: e.name):
        canonical = first_by_text.setdefault(entry.norm_sha256 or entry.name, entry)
        duplicate_of = None if canonical is entry else canonical.article_id
        if duplicate_of != entry.duplicate_of:
            entry.duplicate_of = duplicate_of
            record = json.loads(record_path(out_dir, entry.article_id).read_text(encoding="utf-8"))
            same_as = article_iri(base_iri, duplicate_of) if duplicate_of else None
            document = article_document(record, base_iri, same_as)
            write_json_atomic(jsonld_path(out_dir, entry.article_id), document, compact=True, durable=False)


def _remove_orphans(out_dir: Path, manifest: Manifest) -> None:
    """Outputs no manifest entry owns (left by a run killed before it recorded them)."""
    ids = {e.article_id for e in manifest.published()}
    for sub, ext in (("records", ".json"), ("jsonld", ".jsonld"), ("state/rows", ".json")):
        for path in (out_dir / sub).glob(f"*{ext}"):
            if path.name[: -len(ext)] not in ids:
                path.unlink(missing_ok=True)
    for folder in ("records", "jsonld", "errors", "csv", "state", "state/rows", "report", "report/articles"):
        for tmp in (out_dir / folder).glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _fragment(out_dir: Path, article_id: str) -> dict[str, Any]:
    """The article's table rows as published with it; rebuilt from its record when missing or
    written for other columns (by an older stemwire)."""
    try:
        fragment: dict[str, Any] = json.loads(fragment_path(out_dir, article_id).read_text(encoding="utf-8"))
        if fragment.get("layout") == LAYOUT:
            return fragment
    except (OSError, ValueError):
        pass
    record = json.loads(record_path(out_dir, article_id).read_text(encoding="utf-8"))
    fragment = table_fragment(record)
    write_json_atomic(fragment_path(out_dir, article_id), fragment, compact=True, durable=False)
    return fragment


def finalize(
    out_dir: Path,
    manifest: Manifest,
    inventory: Inventory,
    base_iri: str = DEFAULT_BASE_IRI,
    bom: bool = False,
    now: str | None = None,
) -> None:
    """Withdraw deleted articles, link duplicates, rebuild the tables and the catalog, and the report's
    index (article pages are written as articles are published; any missing is written here)."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    _withdraw(out_dir, manifest, inventory.deleted, now)
    _remove_orphans(out_dir, manifest)
    _link_duplicates(out_dir, manifest, base_iri)
    published = manifest.published()
    fragments = (_fragment(out_dir, e.article_id) for e in published)
    duplicates = {e.article_id: e.duplicate_of for e in published if e.duplicate_of}
    write_text_atomic(out_dir / CONTEXT_FILE, context_document())
    write_tables(fragments, out_dir / "csv", bom=bom, duplicates=duplicates)
    listed = sorted((e for e in manifest.entries.values() if e.status != "failed"), key=lambda e: e.article_id)
    entries = (
        {
            "id": e.article_id,
            "path": e.path,
            "sha256": e.sha256,
            "modified": e.withdrawn_at or e.modified,
            "status": e.status,
            "duplicate_of": e.duplicate_of,
        }
        for e in listed
    )
    latest = max((e.withdrawn_at or e.modified for e in listed), default=None)
    write_chunks_atomic(out_dir / "catalog.jsonld", catalog_chunks(entries, base_iri, latest))
    write_report(out_dir, manifest, changed=set())


def add_to_summary(summary: RunSummary, outcomes: list[ArticleOutcome]) -> None:
    """Count one batch into the run's summary (the batch itself is not kept: memory stays flat)."""
    summary.articles_read += len(outcomes)
    for o in outcomes:
        if not o.ok:
            summary.failures.append((o.path, (o.error or "").splitlines()[0]))
            continue
        summary.published += 1
        for kind in FACT_TYPES:
            summary.facts[kind] += o.fact_counts.get(kind, 0)


def close_summary(summary: RunSummary, inventory: Inventory, manifest: Manifest) -> RunSummary:
    summary.unchanged = len(inventory.unchanged)
    summary.not_ready = inventory.not_ready
    summary.withdrawn = [manifest.entries[n].article_id for n in inventory.deleted]
    summary.duplicates = [(e.article_id, e.duplicate_of) for e in manifest.published() if e.duplicate_of]
    # Files that failed before and have not changed since still fail: the exit status keeps saying so.
    summary.failures += [
        (e.path, f"{e.reason} (unchanged since an earlier run)")
        for name in inventory.unchanged
        if (e := manifest.entries[name]).status == "failed"
    ]
    return summary


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), max(1, size))]
