"""An article's published JSON-LD file as the quads of its named graph in the store, for files the
flow reads itself (a run's end reconciling what changed behind its back, or a graph the workers could
not prepare: flows/store/documents.py says what of a document the store holds).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from stemwire.flows.store.documents import graph_body, graphs_payload, has_blank_node_labels, store_document


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_body(data: bytes) -> str | None:
    """graph_body() of a published file's bytes: None if it must be loaded as N-Quads (article_nquads)."""
    return None if has_blank_node_labels(data) else graph_body(json.loads(data))


def article_nquads(data: bytes, iri: str) -> bytes:
    """The N-Quads of one published JSON-LD file's graph, named `iri`. Oxigraph parses the JSON-LD
    and writes N-Triples; each line then gets the graph's name (N-Triples escapes every line break
    inside a literal, so " .\\n" only ever ends a statement)."""
    document = store_document(json.loads(data))
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    lines = ox.serialize(ox.parse(text, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(lines, bytes)
    if b"_:" in lines:  # rare (our documents name every node): the slow path
        return _with_fresh_blank_nodes(list(ox.parse(text, format=ox.RdfFormat.JSON_LD)), iri)
    return lines.replace(b" .\n", f" <{iri}> .\n".encode())


def _with_fresh_blank_nodes(triples: list[ox.Triple], iri: str) -> bytes:
    """A labelled blank node ("_:x") keeps its label through the parser, and one label in two articles
    loaded together would be one node: each article's blank nodes get labels of their own."""
    fresh: dict[str, ox.BlankNode] = {}

    def own(term: Any) -> Any:
        return fresh.setdefault(term.value, ox.BlankNode()) if isinstance(term, ox.BlankNode) else term

    graph = ox.NamedNode(iri)
    quads = [ox.Quad(own(t.subject), t.predicate, own(t.object), graph) for t in triples]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert isinstance(data, bytes)
    return data


def article_graph(path: Path, iri: str) -> tuple[str, str, list[ox.Quad]]:
    """(article IRI, sha256 of the file, the quads of its named graph `iri`) of one published JSON-LD
    file, as the store loads it."""
    data = path.read_bytes()
    body = file_body(data)
    if body is None:
        quads = list(ox.parse(article_nquads(data, iri), format=ox.RdfFormat.N_QUADS))
    else:
        quads = list(ox.parse(graphs_payload([(iri, body)]), format=ox.RdfFormat.JSON_LD))
    return iri, hashlib.sha256(data).hexdigest(), quads
