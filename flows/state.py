"""What the output folder holds, kept beside it: a manifest of every source file seen, and a lock.

The manifest (OUT/state/manifest.jsonl, replaced atomically) is keyed by source file name and records
its size, modification time and content hash, the article id it was published under, and whether it
was published, failed or withdrawn. A run compares the raw folder with it to find what is new, changed
or deleted; a run that finds nothing leaves every output untouched. It is JSON Lines (a header line,
then one line per file) so that it is written and read one entry at a time: a whole-document parse
of a large folder's manifest was the largest thing a run held in memory.

The lock (OUT/.stemwire.lock, an flock held for the whole run) keeps two runs from writing one output
folder at once: the second waits up to its timeout, then stops with a message naming the holder.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

from stemwire.flows.publish.files import flush_to_disk, write_chunks_atomic

MANIFEST_FILE = Path("state") / "manifest.jsonl"
_MANIFEST_V1_FILE = Path("state") / "manifest.json"  # one JSON document, read to migrate
LOCK_FILE = ".stemwire.lock"
MANIFEST_VERSION = 2

Status = Literal["published", "failed", "withdrawn"]


@dataclass(slots=True)  # no per-entry __dict__: a manifest of tens of thousands stays small
class Entry:
    name: str
    path: str
    article_id: str
    sha256: str
    size: int
    mtime_ns: int
    status: Status
    modified: str = ""  # ISO 8601 time the source last changed, for the catalog
    reason: str | None = None
    norm_sha256: str | None = None  # hash of the script-normalised text: finds the same article twice
    duplicate_of: str | None = None
    withdrawn_at: str | None = None
    title: str = ""
    fact_counts: dict[str, int] = field(default_factory=dict)  # per fact family, for the report's index


_ENTRY_FIELDS = [f.name for f in fields(Entry)]


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)
    # False from the moment a run starts changing outputs until its tables and catalog are written:
    # a run killed in between is finished by the next one even when no source changed.
    tables_current: bool = True

    def live(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.status != "withdrawn"]

    def published(self) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.status == "published"), key=lambda e: e.article_id)


def load_manifest(out_dir: Path) -> Manifest:
    path = out_dir / MANIFEST_FILE
    if not path.exists():
        return _load_v1(out_dir / _MANIFEST_V1_FILE)
    entries: dict[str, Entry] = {}
    with path.open(encoding="utf-8") as lines:
        head = json.loads(lines.readline())
        for line in lines:
            entry = Entry(**json.loads(line))
            entries[entry.name] = entry
    return Manifest(entries=entries, tables_current=bool(head.get("tables_current")))


def _load_v1(path: Path) -> Manifest:
    if not path.exists():
        return Manifest(tables_current=False)
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = {name: Entry(**fields) for name, fields in data.get("entries", {}).items()}
    return Manifest(entries=entries, tables_current=bool(data.get("tables_current")))


def save_manifest(out_dir: Path, manifest: Manifest) -> None:
    """The commit point: what the manifest lists is on disk for good before the manifest is."""
    flush_to_disk()
    write_chunks_atomic(out_dir / MANIFEST_FILE, _manifest_lines(manifest))
    (out_dir / _MANIFEST_V1_FILE).unlink(missing_ok=True)


def _manifest_lines(manifest: Manifest) -> Iterator[str]:
    yield _compact({"version": MANIFEST_VERSION, "tables_current": manifest.tables_current}) + "\n"
    for name in sorted(manifest.entries):
        entry = manifest.entries[name]
        yield _compact({f: getattr(entry, f) for f in _ENTRY_FIELDS}) + "\n"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class OutputBusy(RuntimeError):
    pass


@contextmanager
def output_lock(out_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the output folder for one run; OutputBusy when another run holds it past `wait_seconds`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILE
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
