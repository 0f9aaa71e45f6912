"""Keep the embedded store (OUT/store/) in step with the published JSON-LD files.

One named graph per article, named by the article's IRI; the bookkeeping graph says which graphs are
complete and which changes the feed has yet to announce (flows/store/bookkeeping.py). A run loads the
graphs of the articles it publishes while it runs (GraphLoader, fed batch by batch by the flow), and
reconciles the whole store at its end (sync_store): graphs of files changed behind its back, left
half-loaded by a killed run, or of withdrawn articles.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from stemwire.flows.store import bookkeeping as books
from stemwire.flows.store.bookkeeping import BOOKKEEPING
from stemwire.flows.store.documents import GRAPH_FORMAT, file_stat, graphs_payload
from stemwire.flows.store.graphs import article_nquads, file_body, file_sha256

# Oxigraph's bulk loader pays ~0.1 s per call (it writes and ingests sorted files) and holds what
# one call is given in memory: a run's batch (200 articles, a few MB of JSON-LD) per call is both
# cheap (~0.5 ms an article of fixed cost) and small.
BULK_CHUNK = 200


def _return_freed_memory() -> None:
    """Give back to the system what a bulk load freed: glibc keeps it in the per-thread arenas of
    the loader's threads (~50-100 MB at a batch per call), where the flow's process would hold it for
    the rest of the run."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl): nothing to trim
            _libc().malloc_trim(0)


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6")


@dataclass(frozen=True)
class Prepared:
    """An article's graph as the worker that published it prepared it (flows/store/documents.py):
    the sha256 and stat of the JSON-LD file it wrote, and the store's part of its document."""

    sha256: str
    stat: str
    body: str


@dataclass
class StoreSync:
    loaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: int = 0


class GraphLoader:
    """Loads article graphs into an open store, BULK_CHUNK articles per bulk load."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.recorded = books.recorded_graphs(store)
        self.waiting = books.pending_changes(store)
        self.held = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g != BOOKKEEPING}
        # Graphs made by another version's rules are all reloaded (each announced as an update), and
        # the store says which rules made it once reconcile() has done so; a new store says it at once.
        self.stale = books.store_format(store) != GRAPH_FORMAT
        if self.stale and not (self.recorded or self.held or self.waiting):
            books.set_store_format(store, GRAPH_FORMAT)
            self.stale = False
        self.queue: list[tuple[str, Path, Prepared | None]] = []
        self.sync = StoreSync()

    def current(self, iri: str, path: Path, prepared: Prepared | None = None) -> bool:
        """Whether the store holds the graph of this very file (its hash is read only if its stat moved)."""
        sha, old_stat = self.recorded.get(iri, ("", ""))
        if not sha or self.stale:
            return False
        stat = prepared.stat if prepared else file_stat(path)
        if prepared is None and old_stat == stat:
            return True
        if sha != (prepared.sha256 if prepared else file_sha256(path)):  # a worker's hash is in hand
            return False
        if old_stat == stat:
            return True
        # Touched, not changed: only the record's stat is refreshed.
        books.replace(self.store, [iri], books.RECORD, books.record(iri, sha, stat))
        self.recorded[iri] = (sha, stat)
        return True

    def add(self, iri: str, path: Path, prepared: Prepared | None = None) -> None:
        """Queue the graph of the JSON-LD file `path`, as `prepared` if a worker prepared it."""
        if self.current(iri, path, prepared):
            self.sync.unchanged += 1
            return
        self.queue.append((iri, path, prepared))
        if len(self.queue) >= BULK_CHUNK:
            self.flush()

    def flush(self) -> None:
        chunk, self.queue = self.queue, []
        if not chunk:
            return
        store, kinds = self.store, {}
        # A graph the store knows nothing of has no record to remove first, nor a change to keep
        # pending through its load (cut short, its load is simply done again, still a Create).
        known = [iri for iri, _, _ in chunk if iri in self.recorded or iri in self.waiting or iri in self.held]
        for iri, _, _ in chunk:
            kinds[iri] = books.change_on_load(iri, self.recorded, self.waiting)
        # Each known graph's record gives way to its pending change before the graph is touched.
        reloading: list[ox.Quad] = []
        for iri in known:
            old_sha = self.recorded.pop(iri, ("", ""))[0] or self.waiting.get(iri, ("", ""))[1]
            reloading += books.pending(iri, kinds[iri], old_sha)
        books.replace(store, known, books.RECORD + books.CHANGE, reloading)
        for iri in known:
            if iri in self.held:
                store.remove_graph(ox.NamedNode(iri))
        if known:
            store.flush()
        records: list[ox.Quad] = []
        bodies: list[tuple[str, str]] = []
        labelled = []
        for iri, path, prepared in chunk:
            if prepared is None:  # read from its file (a run's end, or a graph no worker prepared)
                data = path.read_bytes()
                sha, stat, body = hashlib.sha256(data).hexdigest(), file_stat(path), file_body(data)
                if body is None:
                    labelled.append(article_nquads(data, iri))
            else:
                sha, stat, body = prepared.sha256, prepared.stat, prepared.body
            if body is not None:
                bodies.append((iri, body))
            records += books.record(iri, sha, stat) + books.pending(iri, kinds[iri], sha)
            self.recorded[iri] = (sha, stat)
            self.waiting[iri] = (kinds[iri], sha)
        if bodies:
            store.bulk_load(graphs_payload(bodies), format=ox.RdfFormat.JSON_LD)
        if labelled:
            store.bulk_load(b"".join(labelled), format=ox.RdfFormat.N_QUADS)
        store.flush()
        books.replace(store, known, books.CHANGE, records)  # the records last: see flows/store/bookkeeping.py
        store.flush()
        _return_freed_memory()
        self.held.update(iri for iri, _, _ in chunk)
        self.sync.loaded += [iri for iri, _, _ in chunk]

    def drop_all_but(self, wanted: set[str]) -> None:
        """Remove every graph but those of `wanted`: withdrawn articles, graphs a killed run left
        half-loaded (no record vouches for them), and strays."""
        self.flush()
        store = self.store
        waiting = {iri for iri, (kind, _) in self.waiting.items() if kind != "Delete"}
        gone = sorted((self.held | set(self.recorded) | waiting) - wanted)
        deletions: list[ox.Quad] = []
        for iri in gone:
            kind, old_sha = self.waiting.get(iri, ("", ""))
            sha = self.recorded.pop(iri, ("", ""))[0] or old_sha
            if sha and kind != "Create":  # a graph never announced is withdrawn silently
                deletions += books.pending(iri, "Delete", sha)
                self.waiting[iri] = ("Delete", sha)
                self.sync.dropped.append(iri)
            else:
                self.waiting.pop(iri, None)
        # The withdrawal is pending before the graph goes (a kill between the two drops it again).
        books.replace(store, gone, books.RECORD + books.CHANGE, deletions)
        for iri in gone:
            if iri in self.held:
                store.remove_graph(ox.NamedNode(iri))
        self.held &= wanted
        store.flush()


def reconcile(store: ox.Store, wanted: dict[str, Path]) -> StoreSync:
    """Make the open store hold exactly the graphs of `wanted` ({article IRI: its JSON-LD file}); only
    graphs whose file changed are read. A store already in step is only read, never written."""
    loader = GraphLoader(store)
    for iri, path in wanted.items():
        loader.add(iri, path)
    loader.drop_all_but(set(wanted))
    if loader.stale:
        books.set_store_format(store, GRAPH_FORMAT)
        store.flush()
    return loader.sync


def sync_store(store_dir: Path, wanted: dict[str, Path]) -> StoreSync:
    """reconcile() on the store in `store_dir` (made if missing), released on return."""
    store_dir.mkdir(parents=True, exist_ok=True)
    return reconcile(ox.Store(str(store_dir)), wanted)
