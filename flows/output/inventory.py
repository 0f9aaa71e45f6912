"""Compare the raw folder with the manifest: what is new or changed, unchanged, deleted or not ready.

Unchanged means same size and modification time as when it was last read, with its outputs still on
disk, so a run over thousands of unchanged files reads none of them. Files still being written
(temporary names such as *.part, or a size that changes while we look) are left for a later run.
"""

from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from stemwire.extractors.decode import ARTICLE_SUFFIXES
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry, Manifest
from stemwire.schemas.ids import article_id

TEMPORARY_PATTERNS = ("*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload", "*.download", "*.swp", "*~", "~$*")
SETTLE_SECONDS = 2.0  # a file changed this recently is looked at twice before it is read
_RECHECK_DELAY = 0.3


@dataclass
class Inventory:
    to_read: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    not_ready: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): skipped this time
    ignored: list[str] = field(default_factory=list)  # not an article file type
    ids: dict[str, str] = field(default_factory=dict)  # file name -> article id

    @property
    def changes(self) -> bool:
        return bool(self.to_read or self.deleted)


def _outputs_present(out_dir: Path, entry: Entry) -> bool:
    layout = OutputLayout(out_dir)
    if entry.status == "published":
        return layout.record(entry.article_id).exists() and layout.jsonld(entry.article_id).exists()
    return layout.error(entry.name).exists()


def _settled(paths: list[Path], stats: dict[Path, os.stat_result], settle: float) -> set[Path]:
    """The paths whose size and time hold still across one short look; only files changed within
    `settle` seconds are looked at twice, and all of them after a single pause."""
    recent = [p for p in paths if time.time() - stats[p].st_mtime <= settle]
    if recent:
        time.sleep(_RECHECK_DELAY)
    moving = {p for p in recent if (p.stat().st_size, p.stat().st_mtime_ns) != (stats[p].st_size, stats[p].st_mtime_ns)}
    return set(paths) - moving


def assign_ids(names: list[str], manifest: Manifest) -> dict[str, str]:
    """Article ids from file names, stable across runs: a file keeps the id it was first given, and a
    name whose id is taken (a.txt beside a.html) gets its type appended."""
    ids: dict[str, str] = {}
    taken = {e.article_id: e.name for e in manifest.live()}
    for name in sorted(names):
        known = manifest.entries.get(name)
        if known is not None and known.status != "withdrawn":
            ids[name] = known.article_id
    used = set(ids.values())
    for name in sorted(names):
        if name in ids:
            continue
        candidate = article_id(Path(name))
        if taken.get(candidate, name) != name or candidate in used:
            candidate = f"{candidate}-{Path(name).suffix.lstrip('.').lower() or 'file'}"
        n = 2
        base = candidate
        while taken.get(candidate, name) != name or candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        ids[name] = candidate
        used.add(candidate)
    return ids


def take_inventory(raw_dir: Path, out_dir: Path, manifest: Manifest, settle: float = SETTLE_SECONDS) -> Inventory:
    inv = Inventory()
    candidates: list[Path] = []
    for path in sorted(raw_dir.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        if any(fnmatch.fnmatch(path.name, p) for p in TEMPORARY_PATTERNS):
            inv.not_ready.append((str(path), "temporary file, still being written; read on a later run"))
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            inv.ignored.append(str(path))
        else:
            candidates.append(path)
    stats = {path: path.stat() for path in candidates}
    settled = _settled(candidates, stats, settle)
    present: list[str] = []
    for path in candidates:
        st = stats[path]
        if path not in settled:
            inv.not_ready.append((str(path), "size still changing; read on a later run"))
            if path.name in manifest.entries:
                present.append(path.name)  # an old version stays published until the new one settles
            continue
        present.append(path.name)
        entry = manifest.entries.get(path.name)
        if (
            entry is not None
            and entry.status != "withdrawn"
            and (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns)
            and _outputs_present(out_dir, entry)
        ):
            inv.unchanged.append(path.name)
        else:
            inv.to_read.append(path)
    still_there = set(present)
    inv.deleted = sorted(e.name for e in manifest.live() if e.name not in still_there)
    inv.ids = assign_ids(present, manifest)
    return inv
