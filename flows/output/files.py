"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Durability: files written per article (records, JSON-LD, report pages) skip the per-file fsync,
which cost ~1 ms each, three per article; `flush_to_disk` makes them durable in one call before the
manifest, the run's commit point, is saved. After a power cut, files of a batch the manifest does
not list yet may be stale or empty, and the next run extracts those articles again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any


def _temp_prefix(path: Path) -> str:
    """A temporary name beside the file, hidden and short enough for any file name's limit."""
    return f".{path.name[:40]}."


def _file_mode() -> int:
    """What open() would give a new file under the process's umask (0644 under the usual 022):
    mkstemp creates 0600, which no web server or other reader could open."""
    umask = os.umask(0o022)  # reading the umask means setting it: put back at once
    os.umask(umask)
    return 0o666 & ~umask


def _temp_file(path: Path) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    os.fchmod(fd, _file_mode())
    return fd, tmp


def write_text_atomic(path: Path, content: str, encoding: str = "utf-8", durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_file(path)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(content)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(data: Any, compact: bool = False) -> str:
    """Deterministic JSON: sorted keys, UTF-8 characters kept, trailing newline. Compact output is
    several times faster to write (Python's C encoder does not indent), for files written per article."""
    if compact:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_json_atomic(path: Path, data: Any, compact: bool = False, durable: bool = True) -> None:
    write_text_atomic(path, dump_json(data, compact), durable=durable)


def flush_to_disk() -> None:
    """Every file written so far made durable, in one call (see the module's note)."""
    os.sync()


@contextmanager
def atomic_writers(paths: list[Path], encoding: str = "utf-8") -> Iterator[list[IO[str]]]:
    """Text handles for several files written in a stream; each file appears only when all are
    complete, and none does if writing fails."""
    temps: list[str] = []
    try:
        with ExitStack() as stack:
            handles: list[IO[str]] = []
            for path in paths:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = _temp_file(path)
                temps.append(tmp)
                handles.append(stack.enter_context(os.fdopen(fd, "w", encoding=encoding, newline="")))
            yield handles
            for fh in handles:
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in zip(temps, paths, strict=True):
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            Path(tmp).unlink(missing_ok=True)
        raise


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Write text produced piece by piece (a large document never held whole), atomically."""
    with atomic_writers([path]) as (handle,):
        for chunk in chunks:
            handle.write(chunk)
