"""The output folder's lock (OUT/.stemwire.lock, an flock held for the whole run): it keeps two runs
from writing one output folder at once; the second waits up to its timeout, then stops with a message
naming the holder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stemwire.flows.output.layout import OutputLayout


class OutputBusy(RuntimeError):
    pass


@contextmanager
def output_lock(out_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the output folder for one run; OutputBusy when another run holds it past `wait_seconds`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = OutputLayout(out_dir).lock
    with open(path, "a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise OutputBusy(
                        f"{out_dir} is being written by another stemwire run (pid {holder}); "
                        "try again when it has finished, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
