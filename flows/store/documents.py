"""What of an article's published JSON-LD the store holds, as plain JSON (no RDF library here: the
workers that publish an article also prepare its graph for the store, and need not load one).

The store holds the article's claims (trials, observations, references, dates, durations) and the
words each claim rests on, but not its mention spans nor the character offsets of its claims: spans
are ~85% of an article's quads and offsets a quarter of the rest, both of use only next to the text,
and loading them would make the store cost more than the whole rest of a run (figures in README's
store section). They stay in jsonld/ and annotations/.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from stemwire.flows.publish.vocabulary import inline_context

# Keys of the article document left out of the store (see the module's docstring).
OMITTED_KEYS = frozenset({"spans"})
# Keys of every claim node left out: where in the article's text the claim's words are.
OMITTED_CLAIM_KEYS = frozenset({"start", "end", "startUtf16", "endUtf16"})


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


def file_stat(path: Path) -> str:
    """What the store records of a file beside its hash, to tell an untouched file without reading it."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def has_blank_node_labels(data: bytes) -> bool:
    return b'"_:' in data


def graph_body(document: dict[str, Any]) -> str | None:
    """The store's part of a published document as JSON text without its context, ready for
    graphs_payload(); None if the document's context is not the one published today or it names a
    blank node (such a document is loaded from its file, flows/store/graphs.py)."""
    if document.get("@context") != inline_context():
        return None
    body = {k: v for k, v in store_document(document).items() if k != "@context"}
    text = json.dumps(body, ensure_ascii=False)
    return None if has_blank_node_labels(text.encode("utf-8")) else text


@lru_cache(maxsize=1)
def _context_json() -> str:
    return json.dumps(inline_context(), ensure_ascii=False)


def graphs_payload(bodies: list[tuple[str, str]]) -> bytes:
    """One JSON-LD document holding each (graph IRI, graph_body) as a named graph, the context stated
    once, so that Oxigraph reads many articles in one call and processes their context once. Bodies
    name no blank node (graph_body): a label in two articles of one document would be one node."""
    graphs = ",".join(f'{{"@id":{json.dumps(iri)},"@graph":[{body}]}}' for iri, body in bodies)
    return f'{{"@context":{_context_json()},"@graph":[{graphs}]}}'.encode()
