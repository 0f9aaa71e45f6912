"""The pool batches run in with `--workers N`: Prefect's process pool, its workers forked from one
process that has loaded the pipeline (multiprocessing's forkserver) instead of each started afresh.

Started afresh ("spawn", Prefect's choice), every worker imports Prefect, spaCy and the pipeline on
its own: ~190 MB each and seconds before its first article. Forked from a server that has loaded them
once, workers share those pages (copy-on-write; the loaded objects are frozen out of the garbage
collector's reach, so that collecting does not copy them) and start at once. The server itself is a
fresh process, not a fork of the flow's threads, and is started early (start_worker_server) so that
it loads while the flow takes its inventory.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import threading
from typing import Any, Self

from prefect.task_runners import ProcessPoolTaskRunner

# Imported by the worker server before it forks any worker (flows/worker_server_preload.py).
PRELOAD = "stemwire.flows.worker_server_preload"
_PATCHING = threading.Lock()


def worker_context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


def start_worker_server() -> None:
    """Start the worker server now, so that it loads the pipeline while the flow does other work."""
    worker_context()
    multiprocessing.forkserver.ensure_running()


class PreloadedProcessPool(ProcessPoolTaskRunner):
    """ProcessPoolTaskRunner whose workers are forked from the worker server. Prefect asks for the
    "spawn" context when it enters; for that moment, the request is answered with the worker
    server's context (a Prefect that asks otherwise simply keeps its own way of starting workers)."""

    def __enter__(self) -> Self:
        context = worker_context()
        real = multiprocessing.get_context

        def get_context(method: str | None = None) -> Any:
            return context if method == "spawn" else real(method)

        with _PATCHING:
            multiprocessing.get_context = get_context
            try:
                return super().__enter__()
            finally:
                multiprocessing.get_context = real
