"""An article's published JSON-LD as the quads of its named graph in the store.

The store holds the article's claims (trials, observations, references, dates, durations) and the
words each claim rests on, but not its mention spans nor the character offsets of its claims: spans
are ~85% of an article's quads and offsets a quarter of the rest, both of use only next to the text,
and loading them would make the store cost more than the whole rest of a run (figures in README's
store section). They stay in jsonld/ and annotations/.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

# Keys of the article document left out of the store (see the module's docstring).
OMITTED_KEYS = frozenset({"spans"})
# Keys of every claim node left out: where in the article's text the claim's words are.
OMITTED_CLAIM_KEYS = frozenset({"start", "end", "startUtf16", "endUtf16"})


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_document(document: dict[str, Any]) -> dict[str, Any]:
    """The part of an article's JSON-LD document the store holds (the context is kept as it is).
    Claims are the items of the document's top-level lists; only they carry offsets."""
    kept: dict[str, Any] = {}
    for key, value in document.items():
        if key in OMITTED_KEYS:
            continue
        if isinstance(value, list):
            value = [
                {k: v for k, v in item.items() if k not in OMITTED_CLAIM_KEYS} if isinstance(item, dict) else item
                for item in value
            ]
        kept[key] = value
    return kept


def has_blank_node_labels(data: bytes) -> bool:
    return b'"_:' in data


def graphs_document(documents: list[tuple[str, dict[str, Any]]]) -> bytes:
    """One JSON-LD document holding each (graph IRI, article document) as a named graph, its context
    stated once: Oxigraph then reads many articles in one call and processes their context once.
    The articles must share one context and name no blank node (has_blank_node_labels): a label in
    two articles of one document would be one node."""
    context = documents[0][1].get("@context")
    graphs = []
    for iri, document in documents:
        body = store_document(document)
        if body.pop("@context", None) != context:
            raise ValueError(f"{iri}: its context differs from the others of its chunk")
        graphs.append({"@id": iri, "@graph": [body]})
    return json.dumps({"@context": context, "@graph": graphs}, ensure_ascii=False).encode("utf-8")


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
    if has_blank_node_labels(data):
        quads = list(ox.parse(article_nquads(data, iri), format=ox.RdfFormat.N_QUADS))
    else:
        quads = list(ox.parse(graphs_document([(iri, json.loads(data))]), format=ox.RdfFormat.JSON_LD))
    return iri, hashlib.sha256(data).hexdigest(), quads
