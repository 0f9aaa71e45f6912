"""Compare the raw folder with the manifest: what is new or changed, unchanged, deleted or not ready.

Unchanged means same size and modification time as when it was last read, with its outputs still on
disk, so a run over thousands of unchanged files reads none of them. Files still being written
(temporary names such as *.part, or a size that changes while we look) are left for a later run.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from stemwire.extractors.decode import ARTICLE_SUFFIXES
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry, Manifest
from stemwire.schemas.ids import article_id

TEMPORARY_PATTERNS = ("*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload", "*.download", "*.swp", "*~", "~$*")
SETTLE_SECONDS = 2.0  # a file changed this recently is watched until it has been still this long


@dataclass
class Inventory:
    to_read: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    not_ready: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): skipped this time
    ignored: list[str] = field(default_factory=list)  # not an article file type
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): never read from there
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
    """The paths that hold still: a file changed within the last `settle` seconds is looked at again
    once it would be that old (one pause for all of them), and counts only if its size and time have
    not moved since, so a writer that pauses for less than `settle` is never read half-way."""
    now = time.time()
    recent = [p for p in paths if now - stats[p].st_mtime <= settle]
    if recent:
        youngest = max(stats[p].st_mtime for p in recent)
        time.sleep(max(0.0, min(settle, youngest + settle - now)))
    moving = set()
    for p in recent:
        try:
            st = p.stat()
        except OSError:
            moving.add(p)
            continue
        if (st.st_size, st.st_mtime_ns) != (stats[p].st_size, stats[p].st_mtime_ns):
            moving.add(p)
    return set(paths) - moving


def _refusal(path: Path, raw_real: Path) -> str | None:
    """Why a directory entry of raw/ must not be read, or None: raw/ is a boundary. Only regular
    files whose real path lies inside it are read; a name that is not UTF-8 is refused too (the
    manifest, the records and the catalog are UTF-8 text)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8; rename the file"
    try:
        real = path.resolve(strict=True)
        mode = os.stat(real).st_mode
    except (OSError, RuntimeError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if real.parent != raw_real and raw_real not in real.parents:
        return f"a link to {real}, outside the raw folder: not read"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device): not read"
    return None


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
    raw_real = raw_dir.resolve()
    for path in sorted(raw_dir.iterdir()):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        if (reason := _refusal(path, raw_real)) is not None:
            if path.suffix.lower() in ARTICLE_SUFFIXES or not path.is_file():
                inv.rejected.append((printable(path), reason))
            continue
        if any(fnmatch.fnmatch(path.name, p) for p in TEMPORARY_PATTERNS):
            inv.not_ready.append((str(path), "temporary file, still being written; read on a later run"))
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            inv.ignored.append(str(path))
        else:
            candidates.append(path)
    stats = {}
    for path in candidates:
        try:
            stats[path] = path.stat()
        except OSError as exc:  # gone since it was listed
            inv.not_ready.append((str(path), f"cannot be read now ({exc.strerror}); read on a later run"))
    candidates = [p for p in candidates if p in stats]
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


def printable(path: Path) -> str:
    """The path as text that can always be written out (bytes that are not UTF-8 shown escaped)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
