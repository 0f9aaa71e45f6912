"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Durability: files written per article (records, JSON-LD, report pages) skip the per-file fsync,
which cost ~1 ms each, three per article; `flush_to_disk` makes them durable in one call before the
manifest, the run's commit point, is saved. After a power cut, files of a batch the manifest does
not list yet may be stale or empty, and the next run extracts those articles again.

Small files are written as bytes with a handful of system calls (create the temporary beside the
file, set its mode, write, rename); the folder is made only when creating the temporary finds none.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

# O_EXCL: never open a file someone else made; O_NOFOLLOW: nor write through a planted link.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_serial = itertools.count()  # with the process id, a temporary name no other writer picks


def _temp_prefix(path: Path) -> str:
    """A temporary name beside the file, hidden and short enough for any file name's limit."""
    return f".{path.name[:40]}."


def _file_mode() -> int:
    """What open() would give a new file under the process's umask (0644 under the usual 022): the
    temporary is created 0600, which no web server or other reader could open."""
    umask = os.umask(0o022)  # reading the umask means setting it: put back at once
    os.umask(umask)
    return 0o666 & ~umask


def _create_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path` (.<name>.<pid>-<n>.tmp), open for writing, with the mode
    the finished file gets; its folder is made if missing."""
    prefix = str(path.parent / _temp_prefix(path))
    made_folder = False
    while True:
        tmp = f"{prefix}{os.getpid()}-{next(_serial)}.tmp"
        try:
            fd = os.open(tmp, _CREATE, 0o600)
        except FileExistsError:  # left by a killed process that had this id: take the next name
            continue
        except (FileNotFoundError, NotADirectoryError):
            if made_folder:
                raise
            # mkdir raises what a missing or blocked folder deserves (its message ends in the error file)
            path.parent.mkdir(parents=True, exist_ok=True)
            made_folder = True
            continue
        try:
            os.fchmod(fd, _file_mode())
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        return fd, tmp


def dump_json(data: Any, compact: bool = False) -> str:
    """Deterministic JSON: sorted keys, UTF-8 characters kept, trailing newline. Compact output is
    several times faster to write (Python's C encoder does not indent), for files written per article."""
    if compact:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_isfinite = math.isfinite


def _plain_float(value: float) -> bool:
    """Python writes it as orjson does: finite, and in the range Python writes without an exponent
    (below 1e-4 Python writes 1e-05 and orjson 0.00001; from 1e16 on, 1e+16 and 1e16; NaN: NaN, null)."""
    return value == 0.0 or (_isfinite(value) and 1e-4 <= abs(value) < 1e16)


_SCALARS = frozenset({str, int, bool, type(None)})  # written alike by both; a float only if plain
_CONTAINERS = frozenset({dict, list, tuple})


def plain_json(node: Any) -> bool:
    """Whether `node` is made of dicts, lists, tuples, strings, ints, booleans, None and plain floats
    (`_plain_float`) only: then orjson writes the same bytes as json.dumps, several times faster.
    Anything else (a subclass, a type json.dumps would refuse) is not plain."""
    kind = type(node)
    if kind is dict:
        node = node.values()
    elif kind is not list and kind is not tuple:
        return kind in _SCALARS or (kind is float and _plain_float(node))
    for value in node:
        kind = type(value)
        if kind in _SCALARS:
            continue
        if kind is float:
            if not _plain_float(value):
                return False
        elif kind not in _CONTAINERS or not plain_json(value):
            return False
    return True


_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_ORJSON_INDENTED = _ORJSON_OPTIONS | orjson.OPT_INDENT_2  # json.dumps's indent=2: the same separators


def json_bytes(data: Any, compact: bool = False, plain: bool | None = None) -> bytes:
    """dump_json's text as UTF-8. JSON whose floats are plain is written by orjson, compact or
    indented: the same bytes (tests/test_json_bytes.py), a fraction of the time. `plain`: the caller's
    own plain_json verdict on `data`, when it has one; anything orjson refuses (ints beyond 64 bits,
    keys that are not strings, lone surrogates, nesting deeper than 255) is left to json.dumps."""
    if plain is None:
        try:
            plain = plain_json(data)
        except RecursionError:  # nested deeper than this check goes: json.dumps decides
            plain = False
    if plain:
        try:
            return orjson.dumps(data, option=_ORJSON_OPTIONS if compact else _ORJSON_INDENTED)
        except TypeError:  # orjson.JSONEncodeError
            pass
    return dump_json(data, compact).encode("utf-8")


def write_bytes_atomic(path: Path, content: bytes, durable: bool = True) -> None:
    fd, tmp = _create_temp(path)
    try:
        try:
            view = memoryview(content)
            while view:  # a regular file takes it in one write; a short write is finished
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_if_changed(path: Path, content: bytes, durable: bool = True) -> bool:
    """write_bytes_atomic unless the file already holds these very bytes (then it is left as it is,
    its time untouched, so a consumer watching the folder sees only what changed); whether it wrote."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except OSError:  # missing or unreadable: written anew
        pass
    write_bytes_atomic(path, content, durable=durable)
    return True


def write_text_atomic(path: Path, content: str, encoding: str = "utf-8", durable: bool = True) -> None:
    # Encoded before any file is made: text that cannot be encoded leaves nothing behind.
    write_bytes_atomic(path, content.encode(encoding), durable=durable)


def write_json_atomic(
    path: Path, data: Any, compact: bool = False, durable: bool = True, plain: bool | None = None
) -> None:
    """`plain`: the caller's plain_json verdict on `data`, if it has one (see json_bytes)."""
    write_bytes_atomic(path, json_bytes(data, compact, plain), durable=durable)


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
                fd, tmp = _create_temp(path)
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
