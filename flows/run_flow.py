"""The Prefect flow behind `stemwire run` and `stemwire serve`: a handful of task calls over plain functions.

A run holds the output folder's lock, compares the raw folder with the manifest, and reads only what
is new or changed, in batches (one task per batch, not per article or per fact), so Prefect's per-task
cost and state writes stay small next to the extraction work. The manifest is saved after every batch;
a run killed at any point is completed by the next one. A run that finds nothing to do writes nothing.
"""

from collections import deque
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from stemwire.extractors.decode import MAX_BYTES
from stemwire.flows import validation_process
from stemwire.flows.batch import batches, pack, process_batch, remember, unpack
from stemwire.flows.finalize import finalize
from stemwire.flows.output.inventory import SETTLE_SECONDS, Inventory, take_inventory
from stemwire.flows.output.lock import output_lock
from stemwire.flows.output.manifest import Manifest, load_manifest, save_manifest
from stemwire.flows.publish.jsonld import DEFAULT_BASE_IRI
from stemwire.flows.summary import RunSummary, add_to_summary, close_summary

T = TypeVar("T")
DEFAULT_BATCH_SIZE = 200
IN_FLIGHT_BATCHES = 2  # one batch extracting while the flow publishes the one before


def _opaque(value: T) -> T:
    """The value wrapped in Prefect's quote(), so the task receives it without Prefect walking
    through every record in it (as typed: Prefect unwraps it before the task runs)."""
    return cast(T, quote(value))


@task(name="extract-and-publish-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def extract_batch(items: list[tuple[Path, str]], out_dir: Path, base_iri: str, max_bytes: int) -> str:
    # Publishing where the extraction ran keeps records out of the flow's memory; every write is
    # atomic and per article, so a retried batch rewrites the same files.
    return pack(process_batch(items, out_dir, base_iri, max_bytes))


@task(name="publish-tables", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_tables(out_dir: Path, manifest: Manifest, inventory: Inventory, base_iri: str, bom: bool) -> Manifest:
    finalize(out_dir, manifest, inventory, base_iri, bom)
    return manifest


# One extraction at a time in-process; `stemwire run --workers N` swaps in a Dask task runner, whose
# worker processes each hold their own pipeline.
@flow(name="stemwire-run", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))  # type: ignore[arg-type]
def stemwire_run(
    raw_dir: Path,
    out_dir: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    base_iri: str = DEFAULT_BASE_IRI,
    bom: bool = False,
    max_bytes: int = MAX_BYTES,
    wait_seconds: float = 0.0,
    settle_seconds: float = SETTLE_SECONDS,
    in_flight: int = IN_FLIGHT_BATCHES,
) -> RunSummary:
    with validation_process.for_one_run(), output_lock(out_dir, wait_seconds):
        manifest = load_manifest(out_dir)
        inventory = take_inventory(raw_dir, out_dir, manifest, settle_seconds)
        summary = RunSummary()
        if not inventory.changes and manifest.tables_current:
            return close_summary(summary, inventory, manifest)
        manifest.tables_current = False
        save_manifest(out_dir, manifest)
        items = [(path, inventory.ids[path.name]) for path in inventory.to_read]
        pending: deque[PrefectFuture[str]] = deque()
        todo = deque(batches(items, batch_size))
        while todo or pending:
            # A bounded window of batches in flight keeps workers busy and memory flat.
            while todo and len(pending) < max(1, in_flight):
                pending.append(extract_batch.submit(todo.popleft(), out_dir, base_iri, max_bytes))
            extracted = unpack(pending.popleft().result())
            for outcome in extracted:
                remember(manifest, outcome)
            save_manifest(out_dir, manifest)
            add_to_summary(summary, extracted)
        manifest = publish_tables(out_dir, _opaque(manifest), _opaque(inventory), base_iri, bom)
        close_summary(summary, inventory, manifest)
        manifest.tables_current = True
        save_manifest(out_dir, manifest)
        return summary


def dask_task_runner(workers: int | None = None, address: str | None = None) -> TaskRunner[PrefectFuture[Any]]:
    """prefect-dask's runner on an existing scheduler, or on a local cluster of `workers` processes."""
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise RuntimeError("Dask support is an extra: pip install 'stemwire[dask]'") from exc
    if address:
        runner = DaskTaskRunner(address=address)
    else:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers or 2, "threads_per_worker": 1, "processes": True})
    return cast(TaskRunner[PrefectFuture[Any]], runner)
