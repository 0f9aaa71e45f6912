"""JSON-LD with schema.org terms: one document per article and a catalog of them all.

Every document refers to the local context published beside it (OUT/context.jsonld) by a relative
IRI, so reading it never needs the network. Identifiers are stable: an article's @id comes from its
file name under a configurable base IRI; trials and cell types use public IRIs (the registry's page,
the Cell Ontology PURL) so the same thing has the same @id in every article and graphs merge.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from schemas import SCHEMA_VERSION

DEFAULT_BASE_IRI = "https://stemwire.example.org/"
CONTEXT_FILE = "context.jsonld"
CL_PURL = "http://purl.obolibrary.org/obo/"
CL_SET = "http://purl.obolibrary.org/obo/cl.owl"
# UN/CEFACT common codes where one exists for a unit we publish.
UNIT_CODES = {
    "percent": "P1",
    "days": "DAY",
    "hours": "HUR",
    "seconds": "SEC",
    "minutes": "MIN",
    "weeks": "WEE",
    "months": "MON",
    "years": "ANN",
    "m": "MTR",
    "km": "KMT",
    "cm": "CMT",
    "mm": "MMT",
}


def context_document() -> str:
    return resources.files("schemas").joinpath(CONTEXT_FILE).read_text(encoding="utf-8")


def article_iri(base_iri: str, article_id: str) -> str:
    return f"{base_iri.rstrip('/')}/article/{article_id}"


def cell_type_iri(base_iri: str, cell: dict[str, Any]) -> str:
    if cell.get("cl_id"):
        return CL_PURL + cell["cl_id"].replace(":", "_")
    return f"{base_iri.rstrip('/')}/cell-type/{cell['key']}"


def reference_iri(ref: dict[str, Any]) -> str | None:
    if ref.get("doi"):
        return "https://doi.org/" + ref["doi"]
    if ref.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/"
    if ref.get("pmcid"):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{ref['pmcid']}/"
    return ref.get("url")


def _span(item: dict[str, Any]) -> dict[str, Any]:
    return {"start": item["start"], "end": item["end"], "text": item["text"]}


def _trial(trial: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": trial["url"],
        "@type": "MedicalTrial",
        "name": trial["registry_id"],
        "identifier": {"@type": "PropertyValue", "propertyID": trial["registry"], "value": trial["registry_id"]},
        "url": trial["url"],
    }
    if trial.get("phase"):
        node["phase"] = trial["phase"]
    if trial.get("enrollment") is not None:
        node["enrollment"] = trial["enrollment"]
    return node


def _cell_type(base_iri: str, cell: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": cell_type_iri(base_iri, cell),
        "@type": "DefinedTerm",
        "name": [
            {"@value": cell["name"], "@language": "en"},
            {"@value": cell["name_zh_hans"], "@language": "zh-Hans"},
            {"@value": cell["name_zh_hant"], "@language": "zh-Hant"},
        ],
    }
    if cell.get("cl_id"):
        node["termCode"] = cell["cl_id"]
        node["inDefinedTermSet"] = CL_SET
    if cell.get("abbreviations"):
        node["alternateName"] = cell["abbreviations"]
    return node


def _metric(m: dict[str, Any], study_iris: dict[str, str]) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "PropertyValue", "value": m["value"], **_span(m)}
    if m.get("unit"):
        node["unitText"] = m["unit"]
        if m["unit"] in UNIT_CODES:
            node["unitCode"] = UNIT_CODES[m["unit"]]
    if m.get("measure"):
        node["propertyID"] = m["measure"]
        node["measure"] = m["measure"]
    for key in ("direction", "qualifier"):
        if m.get(key):
            node[key] = m[key]
    if m.get("range_part"):
        node["rangePart"] = m["range_part"]
    if m.get("study") in study_iris:
        node["study"] = study_iris[m["study"]]
    return node


def article_document(record: dict[str, Any], base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    iri = article_iri(base_iri, record["id"])
    study_iris = {
        s["id"]: (next((t["url"] for t in record["trials"] if t["registry_id"] in s["trial_ids"]), f"{iri}#{s['id']}"))
        for s in record["studies"]
    }
    reports_results = bool(record["metrics"]) or bool(record["trials"])
    doc: dict[str, Any] = {
        "@context": f"../{CONTEXT_FILE}",
        "@id": iri,
        "@type": "MedicalScholarlyArticle" if reports_results else "NewsArticle",
        "schemaVersion": SCHEMA_VERSION,
        "inLanguage": record["source"]["language"],
        "sha256": record["source"]["sha256"],
        "sourcePath": record["source"]["path"],
        "script": record["source"]["script"],
        "about": [t["url"] for t in record["trials"]],
        "mentions": [_cell_type(base_iri, c) for c in record["cell_types"]] + [_trial(t) for t in record["trials"]],
        "citation": [],
        "variableMeasured": [_metric(m, study_iris) for m in record["metrics"]],
        "dates": [
            {"@type": "DateMention", "isoValue": d["value"], "precision": d["precision"], "role": d["role"], **_span(d)}
            for d in record["dates"]
            if d["value"]
        ],
        "durations": [
            {"@type": "DurationMention", "isoValue": d["value"], "kind": d["kind"], **_span(d)}
            for d in record["durations"]
        ],
        "studies": [
            {
                "@id": study_iris[s["id"]],
                "@type": "MedicalTrial" if s["trial_ids"] else "MedicalStudy",
                "name": s["label"],
            }
            for s in record["studies"]
        ],
        "spans": [{"@type": "Mention", "mentionType": m["type"], **_span(m)} for m in record["mentions"]],
    }
    if record.get("title"):
        doc["headline"] = record["title"]
    if record.get("date_published"):
        doc["datePublished"] = record["date_published"]
    for ref in record["references"]:
        node: dict[str, Any] = {"@type": "ScholarlyArticle", "text": ref["text"]}
        ref_iri = reference_iri(ref)
        if ref_iri:
            node["@id"] = ref_iri
        ids = [
            {"@type": "PropertyValue", "propertyID": k.upper(), "value": ref[k]}
            for k in ("doi", "pmid", "pmcid")
            if ref.get(k)
        ]
        if ids:
            node["identifier"] = ids
        if ref.get("url"):
            node["url"] = ref["url"]
        doc["citation"].append(node)
    return doc


def catalog_document(entries: list[dict[str, Any]], base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """A schema.org DataCatalog listing every published article (entries: id, path, sha256, file)."""
    return {
        "@context": CONTEXT_FILE,
        "@id": f"{base_iri.rstrip('/')}/catalog",
        "@type": "DataCatalog",
        "name": "stemwire articles",
        "schemaVersion": SCHEMA_VERSION,
        "dataset": [
            {
                "@id": article_iri(base_iri, e["id"]),
                "@type": "Dataset",
                "name": e["id"],
                "sourcePath": e["path"],
                "sha256": e["sha256"],
                "schemaVersion": SCHEMA_VERSION,
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "contentUrl": f"jsonld/{e['id']}.jsonld",
                        "encodingFormat": "application/ld+json",
                    },
                    {
                        "@type": "DataDownload",
                        "contentUrl": f"records/{e['id']}.json",
                        "encodingFormat": "application/json",
                    },
                ],
            }
            for e in sorted(entries, key=lambda e: e["id"])
        ],
    }
