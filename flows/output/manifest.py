"""What the output folder holds, kept beside it: a manifest of every source file seen.

The manifest (OUT/state/manifest.jsonl, replaced atomically) is keyed by source file name and records
its size, modification time and content hash, the article id it was published under, and whether it
was published, failed or withdrawn. A run compares the raw folder with it to find what is new, changed
or deleted; a run that finds nothing leaves every output untouched. It is JSON Lines (a header line,
then one line per file) so that it is written and read one entry at a time: a whole-document parse
of a large folder's manifest was the largest thing a run held in memory.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

from stemwire.flows.output.files import flush_to_disk, write_chunks_atomic
from stemwire.flows.output.layout import OutputLayout

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
    # The options the published files were written with (base IRI, BOM): a run with others republishes.
    options: dict[str, object] = field(default_factory=dict)
    # Set when the manifest on disk was damaged: where it was moved, for the run's summary to say.
    set_aside: str | None = None

    def live(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.status != "withdrawn"]

    def published(self) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.status == "published"), key=lambda e: e.article_id)


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest; a damaged one (empty, not JSON Lines, a cut line, unknown fields) is moved aside
    and rebuilt from the published records and error files, so that every article keeps its id."""
    layout = OutputLayout(out_dir)
    path = layout.manifest
    if not path.exists():
        return _load_v1(layout.manifest_v1)
    try:
        return _read(path)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, aside)
        manifest = rebuild_manifest(layout)
        manifest.set_aside = str(aside)
        return manifest


def _read(path: Path) -> Manifest:
    entries: dict[str, Entry] = {}
    with path.open(encoding="utf-8") as lines:
        head = json.loads(lines.readline())
        if not isinstance(head, dict) or head.get("version") != MANIFEST_VERSION:
            raise ValueError("not a stemwire manifest")
        for line in lines:
            entry = Entry(**json.loads(line))
            entries[entry.name] = entry
    found = head.get("options")
    options: dict[str, object] = found if isinstance(found, dict) else {}
    return Manifest(entries=entries, tables_current=bool(head.get("tables_current")), options=options)


def rebuild_manifest(layout: OutputLayout) -> Manifest:
    """A manifest from what the folder publishes: each record names its source and id, each error file
    its source. Sizes and times are unknown, so every source is read again, under the id it had."""
    entries: dict[str, Entry] = {}
    for path in sorted(layout.records_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            source = record["source"]
            name = Path(source["path"]).name
            entries[name] = Entry(
                name=name,
                path=source["path"],
                article_id=record["id"],
                sha256=source["sha256"],
                size=-1,
                mtime_ns=-1,
                status="published",
                norm_sha256=source.get("normalised_sha256"),
                title=record.get("title") or "",
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged record: its source is read again as new
    for path in sorted((layout.root / "errors").glob("*.json")):
        try:
            error = json.loads(path.read_text(encoding="utf-8"))
            name = Path(error["path"]).name
            if name not in entries:
                reason = (error["reason"] or "").splitlines()[0]
                entries[name] = Entry(name, error["path"], error["article_id"], "", -1, -1, "failed", reason=reason)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return Manifest(entries=entries, tables_current=False)


def _load_v1(path: Path) -> Manifest:
    if not path.exists():
        return Manifest(tables_current=False)
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = {name: Entry(**fields) for name, fields in data.get("entries", {}).items()}
    return Manifest(entries=entries, tables_current=bool(data.get("tables_current")))


def save_manifest(out_dir: Path, manifest: Manifest) -> None:
    """The commit point: what the manifest lists is on disk for good before the manifest is."""
    layout = OutputLayout(out_dir)
    flush_to_disk()
    write_chunks_atomic(layout.manifest, _manifest_lines(manifest))
    layout.manifest_v1.unlink(missing_ok=True)


def _manifest_lines(manifest: Manifest) -> Iterator[str]:
    head: dict[str, object] = {"version": MANIFEST_VERSION, "tables_current": manifest.tables_current}
    if manifest.options:
        head["options"] = manifest.options
    yield _compact(head) + "\n"
    for name in sorted(manifest.entries):
        entry = manifest.entries[name]
        yield _compact({f: getattr(entry, f) for f in _ENTRY_FIELDS}) + "\n"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
