"""What the store tests share: the check that the embedded store matches the published files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import load_manifest
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, article_iri
from stemwire.flows.store.bookkeeping import BOOKKEEPING, recorded_graphs
from stemwire.flows.store.graphs import article_graph, file_sha256


def assert_store_matches(out: Path) -> int:
    """Every published article's graph, recorded with its file's hash and holding exactly the quads
    of that file, and no other graph; returns how many."""
    layout = OutputLayout(out)
    files = {
        article_iri(DEFAULT_BASE_IRI, e.article_id): layout.jsonld(e.article_id) for e in load_manifest(out).published()
    }
    store = ox.Store.read_only(str(layout.store_dir))
    recorded = recorded_graphs(store)
    assert {iri: sha for iri, (sha, _) in recorded.items()} == {iri: file_sha256(p) for iri, p in files.items()}
    graphs = {g.value for g in store.named_graphs() if g != BOOKKEEPING}
    assert graphs == set(files)
    for iri, path in files.items():
        expected = {(q.subject, q.predicate, q.object) for q in article_graph(path, iri)[2]}
        held = {
            (q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        }
        assert len(held) == len(expected), iri  # blank nodes differ by label, not by number
    return len(files)
