"""Schema validation, and publishing, beside extraction, not after it.

jsonschema validates a 5,000-character record in ~7 ms, most of the time extraction takes. A run
therefore hands each record to one validation process and goes on extracting the next article;
that process validates the record and, only if the schema accepts it, writes its files (JSON-LD,
table rows, report page, record), so every record is still validated before it is published.
Where a child process cannot be started (inside a daemonic Dask worker) or has died, records are
validated and published in-process, with the same validator and the same verdicts.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from stemwire.extractors.script import analysis_text
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.article import validate_and_write
from stemwire.schemas.validation import record_errors, record_validator

T = TypeVar("T")
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_largest_mb = 0.0


def _start_worker() -> None:
    """In the validation process: compile the validator before the first record arrives, and exit
    when the process that started this one is gone (killed with -9, it cannot say so)."""
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch_parent, name="watch-parent", daemon=True).start()
    record_validator()


def _pool_or_none() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and not multiprocessing.current_process().daemon:
            # spawn: the child starts clean instead of copying a parent that runs threads (Prefect's)
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_worker)
        return _pool


Destination = tuple[OutputLayout, str]  # output folder and base IRI: publish a record the schema accepts


def _check(record: dict[str, Any], destination: Destination | None) -> list[str]:
    if destination is None:
        return record_errors(record)
    # The report page shows the converted text beside the original: converted here, off the main process.
    return validate_and_write(record, analysis_text(record["text"]), *destination)


def _inline(record: dict[str, Any], destination: Destination | None) -> Future[list[str]]:
    done: Future[list[str]] = Future()
    done.set_result(_check(record, destination))
    return done


def submit(record: dict[str, Any], destination: Destination | None = None) -> Future[list[str]]:
    """The record's schema errors, as a future (empty list: valid). With a destination, a valid
    record is also published there (flows/publish/articles.py), by the same process."""
    pool = _pool_or_none()
    if pool is None:
        return _inline(record, destination)
    try:
        return pool.submit(_check, record, destination)
    except (BrokenProcessPool, RuntimeError):  # the child died or the pool was shut down
        shutdown()
        return _inline(record, destination)


def verdict(record: dict[str, Any], future: Future[list[str]], destination: Destination | None = None) -> list[str]:
    """The errors `submit` promised; checked (and published) here instead if the child died on the way."""
    try:
        return future.result()
    except BrokenProcessPool:
        shutdown()
        return _check(record, destination)


def alongside(
    records: Iterable[tuple[T, dict[str, Any] | None]], destination: Destination | None = None
) -> Iterator[tuple[T, list[str]]]:
    """Each (tag, record) back with its record's errors, in order. The records are drawn one at a
    time, so the next is produced (extracted) while the validation process checks the one before;
    a None record (extraction failed) passes through with no errors."""
    waiting: deque[tuple[T, dict[str, Any] | None, Future[list[str]] | None]] = deque()

    def first() -> tuple[T, list[str]]:
        tag, record, future = waiting.popleft()
        return tag, verdict(record, future, destination) if record is not None and future is not None else []

    for tag, record in records:
        waiting.append((tag, record, submit(record, destination) if record is not None else None))
        while len(waiting) > 1 and (waiting[0][2] is None or waiting[0][2].done()):
            yield first()
    while waiting:
        yield first()


def _usage() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, peak_rss_mb()


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, where
    ru_maxrss carries the parent's figure into a spawned child."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def worker_usage() -> tuple[float, float]:
    """CPU seconds and peak resident MB of the validation process so far, for benchmarks (zeros when
    validation runs in-process, where the caller's own figures already count it)."""
    pool = _pool_or_none()
    return pool.submit(_usage).result() if pool is not None else (0.0, 0.0)


def shutdown() -> None:
    """Stop the validation process (a later `submit` starts a new one)."""
    global _pool, _largest_mb
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        # Its peak memory, for benchmarks, while it can still tell (a dead process has no figure).
        with suppress(Exception):
            _largest_mb = max(_largest_mb, pool.submit(_usage).result(timeout=10)[1])
        pool.shutdown(wait=True, cancel_futures=True)


def largest_worker_mb() -> float:
    """The largest peak memory of the validation processes this process has stopped."""
    return _largest_mb


@contextmanager
def for_one_run() -> Iterator[None]:
    """Stop the validation process when the run ends. A flow-run process that Prefect's runner
    started must be free to exit, and at exit multiprocessing joins live child processes before
    concurrent.futures would stop its workers: a worker left running would hang it."""
    try:
        yield
    finally:
        shutdown()


atexit.register(shutdown)
