"""What of an article's published JSON-LD the store holds, as plain JSON (no RDF library here: the
workers that publish an article also prepare its graph for the store, and need not load one).

The store holds what questions across articles ask about: the article, its trial reports,
observations, references, cell types and conditions, and the words each claim rests on. It leaves out
what is of use only beside the text: the mention spans (~85% of an article's quads), the date and
duration mentions (each occurrence of a date or a span of time in the text: a quarter of the rest;
a trial's follow-up and the article's dates stay, on the trial report and the article) and the
character offsets of claims. Each quad costs the store ~7 us to load (it keeps six indexes), and
with all of them the store would cost more than the rest of a run (README's store section). They stay
in jsonld/ and annotations/, under the same IRIs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from stemwire.flows.publish.vocabulary import inline_context

# Raised whenever what the store holds of a document changes: every graph is then loaded again.
GRAPH_FORMAT = "2"
# Keys of the article document left out of the store (see the module's docstring).
OMITTED_KEYS = frozenset({"spans", "dates", "durations"})
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


def has_blank_node_labels(data: bytes | str) -> bool:
    """Whether JSON text names a blank node (a string value opening with "_:")."""
    return b'"_:' in data if isinstance(data, bytes) else '"_:' in data


def graph_body(document: dict[str, Any]) -> str | None:
    """The store's part of a published document as JSON text without its context, ready for
    graphs_payload(); None if the document's context is not the one published today or it names a
    blank node (such a document is loaded from its file, flows/store/graphs.py)."""
    if document.get("@context") != inline_context():
        return None
    body = {k: v for k, v in store_document(document).items() if k != "@context"}
    # Only Oxigraph reads this text, so orjson's spelling of a number (1e-5 for 1e-05) is as good as
    # json.dumps's; what orjson refuses (an int beyond 64 bits) is left to json.dumps.
    try:
        text = orjson.dumps(body).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError
        text = json.dumps(body, ensure_ascii=False)
    return None if has_blank_node_labels(text) else text


@lru_cache(maxsize=1)
def _context_json() -> str:
    return json.dumps(inline_context(), ensure_ascii=False)


def graphs_payload(bodies: list[tuple[str, str]]) -> bytes:
    """One JSON-LD document holding each (graph IRI, graph_body) as a named graph, the context stated
    once, so that Oxigraph reads many articles in one call and processes their context once. Bodies
    name no blank node (graph_body): a label in two articles of one document would be one node."""
    graphs = ",".join(f'{{"@id":{json.dumps(iri)},"@graph":[{body}]}}' for iri, body in bodies)
    return f'{{"@context":{_context_json()},"@graph":[{graphs}]}}'.encode()
