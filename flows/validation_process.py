"""Schema validation beside extraction, not after it.

jsonschema validates a 5,000-character record in ~7 ms, most of the time extraction takes. A run
therefore hands each record to one validation process and goes on extracting the next article; the
record is published only once its verdict is back, so every record is still validated before it
is published. Where a child process cannot be started (inside a daemonic Dask worker) or has died,
records are validated in-process, with the same validator and the same verdicts.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from schemas.validation import record_errors, record_validator

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _warm() -> None:
    record_validator()  # compile once, before the first record arrives


def _pool_or_none() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and not multiprocessing.current_process().daemon:
            # spawn: the child starts clean instead of copying a parent that runs threads (Prefect's)
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_warm)
        return _pool


def _inline(record: dict[str, Any]) -> Future[list[str]]:
    done: Future[list[str]] = Future()
    done.set_result(record_errors(record))
    return done


def submit(record: dict[str, Any]) -> Future[list[str]]:
    """The record's schema errors, as a future (empty list: valid)."""
    pool = _pool_or_none()
    if pool is None:
        return _inline(record)
    try:
        return pool.submit(record_errors, record)
    except (BrokenProcessPool, RuntimeError):  # the child died or the pool was shut down
        shutdown()
        return _inline(record)


def verdict(record: dict[str, Any], future: Future[list[str]]) -> list[str]:
    """The errors `submit` promised; validated here instead if the child died on the way."""
    try:
        return future.result()
    except BrokenProcessPool:
        shutdown()
        return record_errors(record)


def shutdown() -> None:
    """Stop the validation process (a later `submit` starts a new one)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)
