"""Every mention of an article as a W3C Web Annotation on its published text (OUT/text/<id>.txt).

Each annotation targets the text file with a TextPositionSelector (code points, as the Web Annotation
model counts; UTF-16 offsets beside them) and a TextQuoteSelector (the exact span with some context),
and its body is the IRI of what the span names (`identifying`), or, where the record names nothing
published, a tag with the mention's type. The collection carries the provenance: the software and its
version, the component that finds each type, the OpenCC configuration, the vocabulary digest and the
Cell Ontology release the ids were checked against. The context is inlined (a subset of the Web
Annotation context, http://www.w3.org/ns/anno.jsonld, with the same term names), so the file loads alone.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import lru_cache
from importlib import resources
from typing import Any

from stemwire import __version__
from stemwire.flows.publish.jsonld import mention_targets
from stemwire.flows.publish.vocabulary import SW, Utf16, article_iri, text_iri
from stemwire.schemas.families import EXTRA_MENTIONS, families

QUOTE_CONTEXT = 16  # characters of prefix and suffix a TextQuoteSelector keeps
OPENCC_CONFIG = "t2s"  # extractors/script.py converts with it, plus one-to-one width folding
CELL_ONTOLOGY = "obophenotype/cell-ontology commit fd61b954f3eba08f5780f2c86eba72913d35b5d4 (2026-08-19)"
_XSD_COUNT = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
CONTEXT: dict[str, Any] = {
    "@vocab": SW,
    "oa": "http://www.w3.org/ns/oa#",
    "as": "https://www.w3.org/ns/activitystreams#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "id": "@id",
    "type": "@type",
    "Annotation": "oa:Annotation",
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "TextPositionSelector": "oa:TextPositionSelector",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextualBody": "oa:TextualBody",
    "Software": "as:Application",
    "identifying": "oa:identifying",
    "tagging": "oa:tagging",
    "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"},
    "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
    "body": {"@id": "oa:hasBody", "@type": "@id"},
    "target": {"@id": "oa:hasTarget", "@type": "@id"},
    "source": {"@id": "oa:hasSource", "@type": "@id"},
    "selector": {"@id": "oa:hasSelector", "@type": "@id"},
    "generator": {"@id": "as:generator", "@type": "@id"},
    "first": {"@id": "as:first", "@type": "@id"},
    "items": {"@id": "as:items", "@container": "@list", "@type": "@id"},
    "total": {"@id": "as:totalItems", "@type": _XSD_COUNT},
    "start": {"@id": "oa:start", "@type": _XSD_COUNT},
    "end": {"@id": "oa:end", "@type": _XSD_COUNT},
    "startUtf16": {"@id": "sw:startUtf16", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
    "endUtf16": {"@id": "sw:endUtf16", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
    "sw": SW,
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "value": "rdf:value",
    "label": "rdfs:label",
    "name": "foaf:name",
}


@lru_cache(maxsize=1)
def vocabulary_digest() -> str:
    """SHA-256 over the extractors' data files (gazetteers, grammar words): which vocabulary found it."""
    digest = hashlib.sha256()
    data = resources.files("stemwire.extractors").joinpath("data")
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _provenance() -> dict[str, Any]:
    return {
        "type": "Software",
        "name": "stemwire",
        "softwareVersion": __version__,
        "openccConfig": OPENCC_CONFIG,
        "openccVersion": importlib.metadata.version("opencc"),
        "vocabularyDigest": vocabulary_digest(),
        "cellOntologyRelease": CELL_ONTOLOGY,
    }


def components() -> dict[str, str]:
    """The spaCy component that finds each mention type (the `stemwire_<group>` factories)."""
    groups = {f.name: (f.mention_type, f.component) for f in families() if f.mention_type}
    groups |= {g: (t, None) for g, t in EXTRA_MENTIONS.items()}
    found: dict[str, str] = {}
    for group, (kind, component) in groups.items():
        found.setdefault(kind, component or f"stemwire_{group}")
    return found


def annotation_document(
    record: dict[str, Any], base_iri: str, targets: list[str | None] | None = None
) -> dict[str, Any]:
    """`targets`: the record's mention_targets, when the caller has them already."""
    if targets is None:
        targets = mention_targets(record, base_iri)
    text = record["text"]
    article = article_iri(base_iri, record["id"])
    source = text_iri(base_iri, record["id"])
    utf16 = Utf16(text)
    by_type = components()
    items = []
    same = utf16.same
    for i, (m, target) in enumerate(zip(record["mentions"], targets, strict=True)):
        s, e, kind = m["start"], m["end"], m["type"]
        annotation: dict[str, Any] = {
            "id": f"{article}#annotation-{i}",
            "type": "Annotation",
            "motivation": "identifying" if target else "tagging",
            "body": target or {"type": "TextualBody", "value": kind, "purpose": "tagging"},
            "target": {
                "source": source,
                "selector": [
                    {
                        "type": "TextPositionSelector",
                        "start": s,
                        "end": e,
                        "startUtf16": s if same else utf16(s),
                        "endUtf16": e if same else utf16(e),
                    },
                    {
                        "type": "TextQuoteSelector",
                        "exact": m["text"],
                        "prefix": text[max(0, s - QUOTE_CONTEXT) : s],
                        "suffix": text[e : e + QUOTE_CONTEXT],
                    },
                ],
            },
            "mentionType": kind,
        }
        if kind in by_type:
            annotation["component"] = by_type[kind]
        items.append(annotation)
    collection = f"{base_iri.rstrip('/')}/annotations/{record['id']}.jsonld"
    return {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"mentions of {record['id']}",
        "total": len(items),
        "generator": {"id": f"{base_iri.rstrip('/')}/software/stemwire/{__version__}", **_provenance()},
        "first": {"id": f"{collection}#page-0", "type": "AnnotationPage", "items": items},
    }
