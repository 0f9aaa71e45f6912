"""The task a pool's workers run, in a module of its own: a spawned worker imports the module of the
task it runs, and this one holds only what extracting and publishing need, not the flow's finalize,
store and reporting (a worker that imports less reaches its first article sooner)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE


@task(name="extract-and-publish-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1)
def extract_batch(
    items: list[tuple[Path, str]],
    out_dir: Path,
    base_iri: str,
    max_bytes: int,
    article_timeout: float,
    store_graphs: bool = False,
) -> str:
    # Publishing where the extraction ran keeps records out of the flow's memory; every write is
    # atomic and per article, so a retried batch rewrites the same files. `store_graphs`: also prepare
    # each article's graph for the store, from the document in hand. Imported here: a flow whose
    # batches run in worker processes never loads the pipeline itself.
    from stemwire.flows.batch import process_batch
    from stemwire.flows.outcome import pack

    return pack(process_batch(items, out_dir, base_iri, max_bytes, article_timeout, store_graphs))


def warm_worker() -> None:
    """In each worker process, before its first batch: load the pipeline, compile the validator."""
    import signal

    from stemwire.flows.batch import warm_up

    # Ctrl-C reaches the whole process group: the flow stops the pool, a worker must not die on its own
    # mid-write with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
