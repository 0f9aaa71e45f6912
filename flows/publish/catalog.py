"""The catalog (OUT/catalog.jsonld): a schema.org DataCatalog with one Dataset per article published or
withdrawn, for consumers that poll. Its context is inlined and its links are absolute IRIs under the
base IRI, so the file loads alone; it is written one dataset at a time (memory flat in its size)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from stemwire.flows.publish.vocabulary import article_iri, inline_context, text_iri
from stemwire.schemas import SCHEMA_VERSION


def _dataset(e: dict[str, Any], base_iri: str) -> dict[str, Any]:
    base = base_iri.rstrip("/")
    dataset: dict[str, Any] = {
        "@id": f"{base}/dataset/{e['id']}",
        "@type": "Dataset",
        "name": e["id"],
        "about": article_iri(base_iri, e["id"]),
        "sourcePath": e["path"],
        "sha256": e["sha256"],
        "dateModified": e["modified"],
        "schemaVersion": SCHEMA_VERSION,
        "creativeWorkStatus": e.get("status", "published"),
    }
    if e.get("duplicate_of"):
        dataset["sameAs"] = f"{base}/dataset/{e['duplicate_of']}"
    if dataset["creativeWorkStatus"] == "published":
        files = [
            (f"{base}/jsonld/{e['id']}.jsonld", "application/ld+json"),
            (f"{base}/records/{e['id']}.json", "application/json"),
            (text_iri(base_iri, e["id"]), "text/plain"),
            (f"{base}/annotations/{e['id']}.jsonld", "application/ld+json"),
        ]
        dataset["distribution"] = [
            {"@id": url, "@type": "DataDownload", "contentUrl": url, "encodingFormat": fmt} for url, fmt in files
        ]
    return dataset


def catalog_chunks(entries: Iterable[dict[str, Any]], base_iri: str, date_modified: str | None) -> Iterator[str]:
    """The catalog as compact JSON with sorted keys, one dataset at a time.

    entries (in article-id order): id, path (relative to the raw folder), sha256, modified (ISO 8601
    time the source last changed, or was withdrawn), and optionally status ("published"/"withdrawn")
    and duplicate_of. Each entry is a Dataset about the article's @id, so catalog and articles merge.
    """
    head = {"@context": inline_context(), "@id": f"{base_iri.rstrip('/')}/catalog", "@type": "DataCatalog"}
    tail: dict[str, Any] = {"name": "stemwire articles", "schemaVersion": SCHEMA_VERSION}
    if date_modified:
        tail["dateModified"] = date_modified

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    yield dump(head)[:-1] + ',"dataset":['
    for i, entry in enumerate(entries):
        yield ("," if i else "") + dump(_dataset(entry, base_iri))
    yield "]," + dump(tail)[1:] + "\n"
