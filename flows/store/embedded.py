"""Keep the embedded store (OUT/store/) in step with the published JSON-LD files.

One named graph per article, named by the article's IRI; the bookkeeping graph says which graphs are
complete and which changes the feed has yet to announce (flows/store/bookkeeping.py). A run loads the
graphs of the articles it publishes while it runs (GraphLoader, fed batch by batch by the flow), and
reconciles the whole store at its end (sync_store): graphs of files changed behind its back, left
half-loaded by a killed run, or of withdrawn articles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from stemwire.flows.store import bookkeeping as books
from stemwire.flows.store.bookkeeping import BOOKKEEPING
from stemwire.flows.store.graphs import article_nquads, file_sha256, graphs_document, has_blank_node_labels

# Oxigraph's bulk loader holds what one call is given in memory and pays a fixed cost per call (it
# writes and ingests sorted files): a few dozen articles per call is the cheap middle.
BULK_CHUNK = 50


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
        self.queue: list[tuple[str, Path]] = []
        self.sync = StoreSync()

    def current(self, iri: str, path: Path) -> bool:
        """Whether the store holds the graph of this very file (its hash is read only if its stat moved)."""
        sha, old_stat = self.recorded.get(iri, ("", ""))
        if not sha:
            return False
        stat = books.file_stat(path)
        if old_stat == stat:
            return True
        if sha != file_sha256(path):
            return False
        # Touched, not changed: only the record's stat is refreshed.
        books.forget_graph(self.store, iri)
        self.store.extend(books.record(iri, sha, stat))
        self.recorded[iri] = (sha, stat)
        return True

    def add(self, iri: str, path: Path) -> None:
        if self.current(iri, path):
            self.sync.unchanged += 1
            return
        self.queue.append((iri, path))
        if len(self.queue) >= BULK_CHUNK:
            self.flush()

    def flush(self) -> None:
        chunk, self.queue = self.queue, []
        if not chunk:
            return
        store, kinds = self.store, {}
        for iri, _ in chunk:
            kinds[iri] = books.change_on_load(iri, self.recorded, self.waiting)
            books.forget_graph(store, iri)
            books.clear_pending(store, [iri])
            old_sha = self.recorded.pop(iri, ("", ""))[0] or self.waiting.get(iri, ("", ""))[1]
            store.extend(books.pending(iri, kinds[iri], old_sha))
            if iri in self.held:
                store.remove_graph(ox.NamedNode(iri))
        store.flush()
        records: list[ox.Quad] = []
        by_context: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        labelled = []
        for iri, path in chunk:
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if has_blank_node_labels(data):
                labelled.append(article_nquads(data, iri))
            else:
                document = json.loads(data)
                by_context.setdefault(json.dumps(document.get("@context"), sort_keys=True), []).append((iri, document))
            stat = books.file_stat(path)
            records += books.record(iri, sha, stat) + books.pending(iri, kinds[iri], sha)
            self.recorded[iri] = (sha, stat)
            self.waiting[iri] = (kinds[iri], sha)
        for documents in by_context.values():  # one context in practice: one call
            store.bulk_load(graphs_document(documents), format=ox.RdfFormat.JSON_LD)
        if labelled:
            store.bulk_load(b"".join(labelled), format=ox.RdfFormat.N_QUADS)
        store.flush()
        books.clear_pending(store, [iri for iri, _ in chunk])
        store.extend(records)  # the records last: see flows/store/bookkeeping.py
        store.flush()
        self.held.update(iri for iri, _ in chunk)
        self.sync.loaded += [iri for iri, _ in chunk]

    def drop_all_but(self, wanted: set[str]) -> None:
        """Remove every graph but those of `wanted`: withdrawn articles, graphs a killed run left
        half-loaded (no record vouches for them), and strays."""
        self.flush()
        store = self.store
        waiting = {iri for iri, (kind, _) in self.waiting.items() if kind != "Delete"}
        for iri in sorted((self.held | set(self.recorded) | waiting) - wanted):
            kind, old_sha = self.waiting.get(iri, ("", ""))
            sha = self.recorded.pop(iri, ("", ""))[0] or old_sha
            books.forget_graph(store, iri)
            books.clear_pending(store, [iri])
            if iri in self.held:
                store.remove_graph(ox.NamedNode(iri))
            if sha and kind != "Create":  # a graph never announced is withdrawn silently
                store.extend(books.pending(iri, "Delete", sha))
                self.waiting[iri] = ("Delete", sha)
                self.sync.dropped.append(iri)
            else:
                self.waiting.pop(iri, None)
        self.held &= wanted
        store.flush()


def reconcile(store: ox.Store, wanted: dict[str, Path]) -> StoreSync:
    """Make the open store hold exactly the graphs of `wanted` ({article IRI: its JSON-LD file}); only
    graphs whose file changed are read. A store already in step is only read, never written."""
    loader = GraphLoader(store)
    for iri, path in wanted.items():
        loader.add(iri, path)
    loader.drop_all_but(set(wanted))
    return loader.sync


def sync_store(store_dir: Path, wanted: dict[str, Path]) -> StoreSync:
    """reconcile() on the store in `store_dir` (made if missing), released on return."""
    store_dir.mkdir(parents=True, exist_ok=True)
    return reconcile(ox.Store(str(store_dir)), wanted)
