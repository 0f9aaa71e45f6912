"""The Prefect flow behind `stemwire run`: a handful of task calls over plain functions.

Articles go through in batches (one task per batch, not per article or per fact), so Prefect's
per-task cost of a few milliseconds and its state writes stay small next to the extraction work.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.batch import (
    ArticleOutcome,
    RunSummary,
    batches,
    discover_articles,
    process_batch,
    publish_article,
    publish_run,
)
from flows.publish.jsonld import DEFAULT_BASE_IRI

DEFAULT_BATCH_SIZE = 200


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(paths: list[Path]) -> list[ArticleOutcome]:
    return process_batch(paths)


@task(name="publish-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_batch(outcomes: list[ArticleOutcome], out_dir: Path, base_iri: str) -> None:
    for outcome in outcomes:
        publish_article(outcome, out_dir, base_iri)


@task(name="publish-tables", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_tables(outcomes: list[ArticleOutcome], out_dir: Path, base_iri: str, bom: bool) -> RunSummary:
    return publish_run(outcomes, out_dir, base_iri, bom)


@flow(name="stemwire-run", log_prints=False)
def stemwire_run(
    raw_dir: Path,
    out_dir: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    base_iri: str = DEFAULT_BASE_IRI,
    bom: bool = False,
) -> RunSummary:
    outcomes: list[ArticleOutcome] = []
    for batch in batches(discover_articles(raw_dir), batch_size):
        extracted = extract_batch(batch)
        publish_batch(extracted, out_dir, base_iri)
        outcomes.extend(extracted)
    return publish_tables(outcomes, out_dir, base_iri, bom)
