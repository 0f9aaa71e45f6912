"""The Prefect flow behind `stemwire run` and `stemwire serve`: a handful of task calls over plain functions.

A run holds the output folder's lock, compares the raw folder with the manifest, and reads only what
is new or changed, in batches (one task per batch, not per article or per fact), so Prefect's per-task
cost and state writes stay small next to the extraction work. The manifest is saved after every batch;
a run killed at any point is completed by the next one. A run that finds nothing to do writes nothing.
"""

import os
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from stemwire.extractors.decode import MAX_BYTES
from stemwire.flows.batch_task import extract_batch, warm_worker
from stemwire.flows.deadline import DEFAULT_ARTICLE_TIMEOUT, budget_of
from stemwire.flows.finalize import derived_outputs_present, finalize
from stemwire.flows.leftovers import end_leftovers, forget_processes, record_processes
from stemwire.flows.outcome import batches, remember, unpack
from stemwire.flows.output.inventory import SETTLE_SECONDS, Inventory, take_inventory
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.lock import OutputBusy, output_lock
from stemwire.flows.output.manifest import Manifest, load_manifest, save_manifest
from stemwire.flows.prefect_reporting import final_state, log_batch, name_run, report_run, skipped
from stemwire.flows.progress import RunProgress, report
from stemwire.flows.publish.jsonld import DEFAULT_BASE_IRI
from stemwire.flows.store.live import LiveStore
from stemwire.flows.summary import RunSummary, add_to_summary, close_summary
from stemwire.flows.worker_pool import PreloadedProcessPool, start_worker_server

T = TypeVar("T")
DEFAULT_BATCH_SIZE = 200
# Raised whenever published files change shape, so that an upgraded stemwire republishes every
# article instead of leaving files of the old shape beside new ones (recorded with the options).
OUTPUT_FORMAT = 3
IN_FLIGHT_PER_WORKER = 2  # one batch extracting while the flow records the one before


def _opaque(value: T) -> T:
    """The value wrapped in Prefect's quote(), so the task receives it without Prefect walking
    through every record in it (as typed: Prefect unwraps it before the task runs)."""
    return cast(T, quote(value))


@task(name="publish-tables", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def publish_tables(
    out_dir: Path,
    manifest: Manifest,
    inventory: Inventory,
    base_iri: str,
    bom: bool,
    store: bool,
    sparql_endpoint: str | None,
) -> tuple[Manifest, list[str]]:
    warnings = finalize(
        out_dir, manifest, inventory, base_iri, bom, store=store, sparql_endpoint=sparql_endpoint
    )  # cross-article conflicts (issue 18)
    return manifest, warnings


# One batch at a time in the flow's own process; `stemwire run --workers N` swaps in a pool of N
# processes (task_runner_for), each holding its own pipeline and validator.
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
    workers: int = 1,
    article_timeout: float = DEFAULT_ARTICLE_TIMEOUT,
    server_pid: int | None = None,
    skip_if_busy: bool = False,
    store: bool = True,
    sparql_endpoint: str | None = None,
) -> Any:
    """`workers`: how many batches the task runner runs at once (the size of its pool).
    `article_timeout`: each article's wall-clock budget in seconds (0: none). `server_pid`: the Prefect
    server this run started, if any (flows/leftovers.py ends it should this run be killed).
    `skip_if_busy`: another run holding OUT makes this one a Skipped run (serve) instead of an error.
    `store`: keep the embedded graph store, the trial views and the changes feed (flows/store/).
    `sparql_endpoint`: a Graph Store Protocol URL to push the store to (default: $STEMWIRE_GRAPH_STORE).
    Returns the RunSummary (Prefect hands the data of a CompletedWithFailures state to the caller)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(output_lock(out_dir, wait_seconds))
        except OutputBusy as busy:
            if not skip_if_busy:
                raise
            return skipped(str(busy))  # a scheduled or watched run neither queues nor fails
        stack.enter_context(_api_shared_with_workers())
        summary = RunSummary()
        summary.notes += end_leftovers(out_dir)
        ours = [server_pid] if server_pid else []
        record_processes(out_dir, ours)
        manifest = load_manifest(out_dir)
        inventory = take_inventory(raw_dir, out_dir, manifest, settle_seconds)
        _retry_under_a_larger_budget(inventory, manifest, raw_dir, article_timeout)
        if manifest.set_aside:
            summary.notes.append(
                f"the manifest was damaged: moved to {manifest.set_aside} and rebuilt from the records"
            )
        options = {"base_iri": base_iri, "bom": bom, "output_format": OUTPUT_FORMAT}
        if manifest.options and manifest.options != options:
            # The published files were written with other options: every article is published again.
            summary.notes.append(f"options changed from {manifest.options}: every article is published again")
            inventory.to_read += [raw_dir / name for name in inventory.unchanged]
            inventory.unchanged = []
        new = sum(1 for path in inventory.to_read if path.name not in manifest.entries)
        name_run(raw_dir, new, len(inventory.to_read) - new, len(inventory.deleted))
        if not inventory.changes and manifest.tables_current and derived_outputs_present(out_dir, store):
            close_summary(summary, inventory, manifest)
            report_run(summary, out_dir)
            return final_state(summary)
        manifest.options = options
        manifest.tables_current = False
        save_manifest(out_dir, manifest)
        items = [(path, inventory.ids[path.name]) for path in inventory.to_read]
        pending: deque[PrefectFuture[str]] = deque()
        # Small runs are cut into enough batches to keep every worker busy.
        size = max(1, min(batch_size, -(-len(items) // (IN_FLIGHT_PER_WORKER * max(1, workers)))))
        todo = deque(batches(items, size))
        progress = RunProgress(total=len(items))
        report(progress)
        live = stack.enter_context(LiveStore(OutputLayout(out_dir), base_iri)) if store else None
        while todo or pending:
            # A bounded window of batches in flight keeps workers busy and memory flat.
            while todo and len(pending) < IN_FLIGHT_PER_WORKER * max(1, workers):
                batch = todo.popleft()
                pending.append(extract_batch.submit(batch, out_dir, base_iri, max_bytes, article_timeout, store))
            record_processes(out_dir, ours)  # pool workers start with the first batches
            extracted = unpack(pending.popleft().result())
            for outcome in extracted:
                remember(manifest, outcome)
            save_manifest(out_dir, manifest)
            add_to_summary(summary, extracted)
            progress.done += len(extracted)
            progress.failed += sum(1 for o in extracted if not o.ok)
            report(progress)
            log_batch(progress.done, progress.total, extracted)
            if live is not None:
                live.published(o for o in extracted if o.ok)  # while workers extract the next
        if live is not None:
            live.close()
        manifest, summary.warnings = publish_tables(
            out_dir, _opaque(manifest), _opaque(inventory), base_iri, bom, store, sparql_endpoint
        )
        close_summary(summary, inventory, manifest)
        manifest.tables_current = True
        save_manifest(out_dir, manifest)
        forget_processes(out_dir)
        report_run(summary, out_dir, logged=progress.failed)  # log_batch named those as they came
        return final_state(summary)


def _retry_under_a_larger_budget(inventory: Inventory, manifest: Manifest, raw_dir: Path, budget: float) -> None:
    """An unchanged article that ran out of a smaller budget is read again (the message said to raise it)."""
    for name in list(inventory.unchanged):
        entry = manifest.entries[name]
        spent = budget_of(entry.reason) if entry.status == "failed" else None
        if spent is not None and (not budget or budget > spent):
            inventory.unchanged.remove(name)
            inventory.to_read.append(raw_dir / name)


@contextmanager
def _api_shared_with_workers() -> Iterator[None]:
    """Worker processes report to the API this flow run uses. Without PREFECT_API_URL, that is the
    embedded server Prefect started for this process, and each worker would start one of its own
    (~200 MB and seconds each): its address is put in the environment the workers inherit."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)
    try:
        yield
    finally:
        del os.environ["PREFECT_API_URL"]


def task_runner_for(workers: int, dask_address: str | None = None, dask: bool = False) -> TaskRunner[Any]:
    """The one way batches run in parallel: a pool of `workers` processes (Prefect's process pool, or a
    Dask cluster: local with `dask`, or the scheduler at `dask_address`), or, for one worker, the flow's
    own process. Every worker extracts, validates and publishes whole batches; outputs do not depend
    on which."""
    if dask or dask_address:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RuntimeError("Dask support is an extra: pip install 'stemwire[dask]'") from exc
        if dask_address:
            return cast(TaskRunner[Any], DaskTaskRunner(address=dask_address))
        kwargs = {"n_workers": workers, "threads_per_worker": 1, "processes": True}
        return cast(TaskRunner[Any], DaskTaskRunner(cluster_kwargs=kwargs))
    if workers <= 1:
        return ThreadPoolTaskRunner(max_workers=1)
    return PreloadedProcessPool(max_workers=workers, initializer=warm_worker)


def load_ahead(workers: int, dask: bool = False) -> None:
    """What a run can load while its Prefect server boots: the pipeline, in this process if batches
    run here (one worker), or in the pool's worker server; a Dask cluster loads its own."""
    if dask:
        return
    if workers <= 1:
        from stemwire.flows.batch import warm_up

        warm_up()
    else:
        start_worker_server()
