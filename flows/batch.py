"""One batch of articles, start to finish: read and extract each here; validate each record and, if
valid, publish it in the validation process while the next article is extracted
(flows/validation_process.py, flows/publish/article.py). One broken file never stops the batch: it
gets OUT/errors/<file>.json with the reason. What comes back to the flow is a few fields per article
(ArticleOutcome without its record), which the flow records in the manifest.
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
from stemwire.extractors.script import analysis_text
from stemwire.flows import validation_process
from stemwire.flows.output.files import write_json_atomic
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry, Manifest
from stemwire.flows.publish.article import write_article
from stemwire.flows.publish.jsonld import DEFAULT_BASE_IRI
from stemwire.schemas.families import names
from stemwire.schemas.validation import record_errors


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
    outcome.fact_counts = {k: len(record.get(k, [])) for k in names()}
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
    layout = OutputLayout(out_dir)
    for outcome, errors in validation_process.alongside(extracted, (layout, base_iri)):
        _record_outcome(_settle(outcome, errors), layout)  # a valid record is already published
        outcome.record = None
        outcomes.append(outcome)
    return outcomes


def publish_article(outcome: ArticleOutcome, out_dir: Path, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """A published article's files (flows/publish/articles.py); a failed article gets an error file,
    and whatever it published before is withdrawn."""
    layout = OutputLayout(out_dir)
    if outcome.ok and outcome.record is not None:
        write_article(outcome.record, analysis_text(outcome.record["text"]), layout, base_iri)
    _record_outcome(outcome, layout)


def _record_outcome(outcome: ArticleOutcome, layout: OutputLayout) -> None:
    """The error file of a failed article (and its earlier files withdrawn), or none for a published one."""
    if outcome.ok:
        layout.error(outcome.name).unlink(missing_ok=True)
        return
    write_json_atomic(
        layout.error(outcome.name),
        {"path": outcome.path, "article_id": outcome.article_id, "reason": outcome.error},
        durable=False,
    )
    for path in layout.article_files(outcome.article_id):
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


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), max(1, size))]
