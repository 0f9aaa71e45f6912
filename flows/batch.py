"""One batch of articles, start to finish, in the process the batch's task runs in: read, extract,
validate (the compiled per-record gate of schemas/validation.py) and, if valid, publish each article
(flows/publish/article.py). One broken file never stops the batch: it gets OUT/errors/<file>.json with
the reason. What comes back to the flow is a few fields per article (ArticleOutcome without its
record), which the flow records in the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from functools import lru_cache
from pathlib import Path

from stemwire.extractors.article import build_record, extract_article
from stemwire.extractors.decode import MAX_BYTES, decoded_text
from stemwire.extractors.errors import ArticleError
from stemwire.extractors.pipeline import build_pipeline
from stemwire.extractors.script import analysis_text
from stemwire.flows.deadline import ArticleTimeout, article_budget, timeout_reason
from stemwire.flows.outcome import ArticleOutcome
from stemwire.flows.output.files import write_json_atomic
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.article import write_article
from stemwire.flows.publish.jsonld import DEFAULT_BASE_IRI
from stemwire.flows.store.documents import file_stat, graph_body
from stemwire.schemas.families import names
from stemwire.schemas.validation import fast_validator, record_errors


def _extract(path: Path, article_id: str, max_bytes: int) -> ArticleOutcome:
    """Read and extract one article; `outcome.record` holds the record, not yet validated."""
    outcome = ArticleOutcome(path=str(path), article_id=article_id)
    try:
        st = path.stat()
        outcome.size, outcome.mtime_ns = st.st_size, st.st_mtime_ns
        record, outcome.converted = extract_article(path, article_id, max_bytes)
        outcome.record = record.model_dump(mode="json")
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


def process_article(
    path: Path, article_id: str, max_bytes: int = MAX_BYTES, timeout: float | None = None
) -> ArticleOutcome:
    """Extract and validate one article, in this process, within `timeout` seconds (flows/deadline.py)."""
    try:
        with article_budget(timeout):
            outcome = _extract(path, article_id, max_bytes)
            errors = record_errors(outcome.record) if outcome.record is not None else []
    except ArticleTimeout:
        outcome = ArticleOutcome(path=str(path), article_id=article_id, error=timeout_reason(timeout or 0))
        with contextlib.suppress(OSError):  # as read: an unchanged file is not tried again at this budget
            st = path.stat()
            outcome.size, outcome.mtime_ns = st.st_size, st.st_mtime_ns
        return outcome
    return _settle(outcome, errors)


def process_batch(
    items: list[tuple[Path, str]],
    out_dir: Path,
    base_iri: str = DEFAULT_BASE_IRI,
    max_bytes: int = MAX_BYTES,
    timeout: float | None = None,
    store_graphs: bool = False,
) -> list[ArticleOutcome]:
    """Extract, validate and publish a batch. The outcomes come back without their records, so that
    what the flow keeps per article is a few fields. `timeout`: each article's budget in seconds;
    loading the pipeline is not counted in it. `store_graphs`: each outcome also carries its
    article's graph prepared for the store (the flow only loads it)."""
    warm_up()
    outcomes = []
    for path, article_id in items:
        outcome = process_article(path, article_id, max_bytes, timeout)
        try:
            publish_article(outcome, out_dir, base_iri, store_graphs)
        except OSError as exc:  # disk full, read-only folder...: this article fails, the batch goes on
            outcome.error = f"its outputs could not be written ({exc.strerror or exc})"
            outcome.fact_counts, outcome.graph, outcome.graph_sha256, outcome.graph_stat = {}, "", "", ""
            with contextlib.suppress(OSError):
                _record_outcome(outcome, OutputLayout(out_dir))
        outcome.record, outcome.converted = None, ""
        outcomes.append(outcome)
    return outcomes


def publish_article(
    outcome: ArticleOutcome, out_dir: Path, base_iri: str = DEFAULT_BASE_IRI, store_graph: bool = False
) -> None:
    """A published article's files (flows/publish/article.py); a failed article gets an error file,
    and whatever it published before is withdrawn. `store_graph`: prepare its graph for the store."""
    layout = OutputLayout(out_dir)
    if outcome.ok and outcome.record is not None:
        converted = outcome.converted or analysis_text(outcome.record["text"])
        document, jsonld = write_article(outcome.record, converted, layout, base_iri)
        body = graph_body(document) if store_graph else None
        if body is not None:
            outcome.graph_sha256 = hashlib.sha256(jsonld).hexdigest()
            outcome.graph_stat, outcome.graph = file_stat(layout.jsonld(outcome.article_id)), body
    _record_outcome(outcome, layout)


def _record_outcome(outcome: ArticleOutcome, layout: OutputLayout) -> None:
    """The error file of a failed article (and its earlier files withdrawn), or none for a published one."""
    if outcome.ok:
        layout.error(outcome.name).unlink(missing_ok=True)
        return
    write_json_atomic(
        layout.error(outcome.name),
        {"path": outcome.name, "article_id": outcome.article_id, "reason": outcome.error},
        durable=False,
    )
    for path in layout.article_files(outcome.article_id):
        path.unlink(missing_ok=True)


# Touches every family once, so that what loads lazily (converters, vocabularies, compiled patterns)
# loads before the first article's budget starts.
_WARM_TEXT = "试验简报\n北京2024年3月5日电 间充质干细胞治疗膝骨关节炎的II期试验（NCT01234567）入组60例，随访12个月后有效率为80%。"


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Load the pipeline, compile the validator and extract one short article (in each worker process,
    before its first batch), so that one-time costs are not counted in an article's budget."""
    build_pipeline()
    fast_validator()
    data = _WARM_TEXT.encode("utf-8")
    record = build_record(decoded_text(Path("warm-up.txt"), _WARM_TEXT, "utf-8", data), "warm-up")
    record_errors(record.model_dump(mode="json"))
