"""Keep the embedded store (OUT/store/) in step with the published JSON-LD files.

One named graph per article, named by the article's IRI. Beside the article graphs, the bookkeeping
graph records for each article graph the sha256 of the file it was loaded from and the file's size
and modification time. The record is removed before its graph is touched and written only after the
graph is flushed in full, so "recorded" always means "complete": a run killed at any point leaves
graphs that are either recorded and complete or unrecorded, and the next reconcile reloads the latter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.store.graphs import article_graph, file_sha256

BOOKKEEPING = ox.NamedNode("urn:stemwire:store")
SHA256 = ox.NamedNode(SW + "graphSha256")
FILE_STAT = ox.NamedNode(SW + "graphFileStat")
# Above this many articles a load streams through bulk_extend (not transactional, but much faster and
# flat in memory); below it one transactional extend is cheaper than writing new files.
BULK_ARTICLES = 50
BULK_CHUNK = 50


@dataclass
class StoreSync:
    loaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: int = 0
    replaced: set[str] = field(default_factory=set)  # of `loaded`, those the store held a version of
    hashes: dict[str, str] = field(default_factory=dict)  # sha256 of the file each graph came from


def _stat(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def recorded_graphs(store: ox.Store) -> dict[str, tuple[str, str]]:
    """{article IRI: (sha256, file stat)} of every graph the store holds in full."""
    query = f"SELECT ?g ?sha ?stat WHERE {{ GRAPH {BOOKKEEPING} {{ ?g {SHA256} ?sha ; {FILE_STAT} ?stat }} }}"
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: (row["sha"].value, row["stat"].value) for row in rows}


def forget_graph(store: ox.Store, iri: str) -> None:
    """Remove the graph's record (what was pushed of it, flows/store/push.py, is kept)."""
    graph = ox.NamedNode(iri)
    for predicate in (SHA256, FILE_STAT):
        for quad in list(store.quads_for_pattern(graph, predicate, None, BOOKKEEPING)):
            store.remove(quad)


def _record(iri: str, sha: str, stat: str) -> list[ox.Quad]:
    graph = ox.NamedNode(iri)
    return [
        ox.Quad(graph, SHA256, ox.Literal(sha), BOOKKEEPING),
        ox.Quad(graph, FILE_STAT, ox.Literal(stat), BOOKKEEPING),
    ]


def _plan(store: ox.Store, wanted: dict[str, Path], sync: StoreSync) -> tuple[list[str], list[ox.Quad]]:
    """The graphs to (re)load, and the records to refresh of files touched but not changed."""
    recorded = recorded_graphs(store)
    to_load, refreshed = [], []
    for iri, path in wanted.items():
        stat = _stat(path)
        sha, old_stat = recorded.get(iri, ("", ""))
        if old_stat == stat:
            sync.unchanged += 1
        elif sha and sha == file_sha256(path):
            forget_graph(store, iri)
            refreshed += _record(iri, sha, stat)
            sync.unchanged += 1
        else:
            to_load.append(iri)
            if sha:
                sync.replaced.add(iri)
    sync.hashes = {iri: sha for iri, (sha, _) in recorded.items()}
    sync.dropped = sorted(iri for iri in recorded if iri not in wanted)
    return to_load, refreshed


def sync_store(store_dir: Path, wanted: dict[str, Path]) -> StoreSync:
    """Make the store hold exactly the graphs of `wanted` ({article IRI: its JSON-LD file}); only
    graphs whose file changed are read. A store already in step is only read, never written."""
    sync = StoreSync()
    store_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_dir))
    to_load, refreshed = _plan(store, wanted, sync)
    kept = set(wanted) - set(to_load)
    for iri in [*sync.dropped, *to_load]:
        forget_graph(store, iri)
    # Every graph but the kept ones is cleared: dropped and changed articles, and graphs a killed run
    # left half-loaded (no record vouches for them).
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph != BOOKKEEPING and graph.value not in kept:
            store.remove_graph(graph)
    records: list[ox.Quad] = []

    def quads(iris: list[str] = to_load) -> Iterator[ox.Quad]:
        for iri in iris:
            _, sha, graph_quads = article_graph(wanted[iri], iri)
            records.extend(_record(iri, sha, _stat(wanted[iri])))
            sync.hashes[iri] = sha
            yield from graph_quads

    if len(to_load) > BULK_ARTICLES:
        # Oxigraph's bulk loader holds what it is given in memory until it writes: one call per chunk
        # keeps a 2,000-article first run from holding every quad at once.
        for start in range(0, len(to_load), BULK_CHUNK):
            store.bulk_extend(quads(to_load[start : start + BULK_CHUNK]))
    elif to_load:
        store.extend(list(quads()))
    if to_load or refreshed:
        store.flush()
        store.extend([*records, *refreshed])  # the records last: see the module's docstring
        store.flush()
    sync.loaded = to_load
    del store  # releases the database's lock for the next opener
    return sync
