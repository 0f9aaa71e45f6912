"""The Prefect flow behind `stemwire run` and `stemwire serve`: a handful of task calls over plain functions.

A run holds the output folder's lock, compares the raw folder with the manifest, and reads only what
is new or changed, in batches (one task per batch, not per article or per fact), so Prefect's per-task
cost and state writes stay small next to the extraction work. The manifest is saved after every batch;
a run killed at any point is completed by the next one. A run that finds nothing to do writes nothing.
"""

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.decode import MAX_BYTES
from flows.batch import (
    ArticleOutcome,
    RunSummary,
    batches,
    finalize,
    process_batch,
    publish_article,
    remember,
    summarise,
)
from flows.inventory import SETTLE_SECONDS, Inventory, take_inventory
from flows.publish.jsonld import DEFAULT_BASE_IRI
from flows.state import Manifest, load_manifest, output_lock, save_manifest

DEFAULT_BATCH_SIZE = 200


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(items: list[tuple[Path, str]], max_bytes: int) -> list[ArticleOutcome]:
    return process_batch(items, max_bytes)


@task(name="publish-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_batch(outcomes: list[ArticleOutcome], out_dir: Path, base_iri: str) -> None:
    for outcome in outcomes:
        publish_article(outcome, out_dir, base_iri)


@task(name="publish-tables", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_tables(out_dir: Path, manifest: Manifest, inventory: Inventory, base_iri: str, bom: bool) -> Manifest:
    finalize(out_dir, manifest, inventory, base_iri, bom)
    return manifest


@flow(name="stemwire-run", log_prints=False)
def stemwire_run(
    raw_dir: Path,
    out_dir: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    base_iri: str = DEFAULT_BASE_IRI,
    bom: bool = False,
    max_bytes: int = MAX_BYTES,
    wait_seconds: float = 0.0,
    settle_seconds: float = SETTLE_SECONDS,
) -> RunSummary:
    with output_lock(out_dir, wait_seconds):
        manifest = load_manifest(out_dir)
        inventory = take_inventory(raw_dir, out_dir, manifest, settle_seconds)
        if not inventory.changes and manifest.tables_current:
            return summarise([], inventory, manifest)
        manifest.tables_current = False
        save_manifest(out_dir, manifest)
        outcomes: list[ArticleOutcome] = []
        items = [(path, inventory.ids[path.name]) for path in inventory.to_read]
        for batch in batches(items, batch_size):
            extracted = extract_batch(batch, max_bytes)
            publish_batch(extracted, out_dir, base_iri)
            for outcome in extracted:
                remember(manifest, outcome)
            save_manifest(out_dir, manifest)
            outcomes.extend(extracted)
        manifest = publish_tables(out_dir, manifest, inventory, base_iri, bom)
        summary = summarise(outcomes, inventory, manifest)
        manifest.tables_current = True
        save_manifest(out_dir, manifest)
        return summary
