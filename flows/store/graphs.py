"""An article's published JSON-LD as the quads of its named graph in the store.

The store holds the article's claims (trials, observations, references, dates, durations) but not its
mention spans: spans are ~85% of an article's quads and would make loading the store cost more than
the whole rest of a run (figures in README's store section); they stay in jsonld/ and annotations/.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

# Keys of the article document left out of the store (see the module's docstring).
OMITTED_KEYS = ("spans",)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def article_graph(path: Path, iri: str) -> tuple[str, str, list[ox.Quad]]:
    """(article IRI, sha256 of the file, the quads of its named graph `iri`) of one published JSON-LD file."""
    data = path.read_bytes()
    document = json.loads(data)
    for key in OMITTED_KEYS:
        document.pop(key, None)
    graph = ox.NamedNode(iri)
    triples = ox.parse(json.dumps(document, ensure_ascii=False).encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    return iri, hashlib.sha256(data).hexdigest(), quads
