"""JSON-LD with schema.org terms: one document per article and a catalog of them all.

Every document refers to the local context published beside it (OUT/context.jsonld) by a relative
IRI, so reading it never needs the network. Identifiers are stable: an article's @id comes from its
file name under a configurable base IRI; trials and cell types use public IRIs (the registry's page,
the Cell Ontology PURL) so the same thing has the same @id in every article and graphs merge.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stemwire.flows.output.layout import CONTEXT_FILE, OutputLayout
from stemwire.schemas import SCHEMA_VERSION
from stemwire.schemas.families import BUILT_IN_NAMES, FactFamily, families

DEFAULT_BASE_IRI = "https://stemwire.example.org/"
CL_PURL = "http://purl.obolibrary.org/obo/"
CL_SET = "http://purl.obolibrary.org/obo/cl.owl"
# unitCode: a UN/CEFACT common code where one exists, else a UCUM code with its "UCUM:" prefix
# (schema.org admits other code systems written with a prefix).
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
    "mL": "MLT",
    "g/L": "GL",
    "mmHg": "HP",
    "percentage_point": "UCUM:%",
    "cells": "UCUM:{cells}",
    "cells/kg": "UCUM:{cells}/kg",
    "mg/dL": "UCUM:mg/dL",
    "mmol/L": "UCUM:mmol/L",
    "mmol/mol": "UCUM:mmol/mol",
    "ng/mL": "UCUM:ng/mL",
    "pg/mL": "UCUM:pg/mL",
    "pmol/L": "UCUM:pmol/L",
    "U/L": "UCUM:U/L",
}
UNSPECIFIED_MEASURE = "unspecified"


def context_document() -> str:
    return resources.files("stemwire.schemas").joinpath(CONTEXT_FILE).read_text(encoding="utf-8")


def local_document_loader(out_dir: Path) -> Callable[..., dict[str, Any]]:
    """A pyld document loader that serves the context published in `out_dir` and refuses the network."""
    context = json.loads(OutputLayout(out_dir).context.read_text(encoding="utf-8"))

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url.rsplit("/", 1)[-1] != CONTEXT_FILE:
            raise ValueError(f"stemwire output refers to no remote document, yet {url} was asked for")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load


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


def condition_iri(base_iri: str, condition: dict[str, Any]) -> str:
    return f"{base_iri.rstrip('/')}/condition/{condition['key']}"


def _span(item: dict[str, Any]) -> dict[str, Any]:
    return {"start": item["start"], "end": item["end"], "text": item["text"]}


def _date(d: dict[str, Any]) -> dict[str, Any]:
    node = {"@type": "DateMention", "isoValue": d["value"], "precision": d["precision"], "role": d["role"], **_span(d)}
    if d.get("underspecified"):  # the text leaves part of it out: say what filled it in
        node["underspecified"] = True
    if d.get("reference_date"):
        node["referenceDate"] = d["reference_date"]
    return node


def _fact(family: FactFamily, fact: dict[str, Any]) -> dict[str, Any]:
    """A fact of a family with no schema.org mapping of its own: typed by its model, each column a
    property of the stemwire vocabulary (sw:), its span as every mention's."""
    node: dict[str, Any] = {"@type": f"sw:{family.model.__name__}"}
    node.update(
        {f"sw:{c}": fact[c] for c in family.columns if c not in ("start", "end", "text") and fact.get(c) is not None}
    )
    if "start" in fact:
        node.update(_span(fact))
    return node


def _names(english: str, zh: str, language: str) -> list[dict[str, str]]:
    return [{"@value": english, "@language": "en"}, {"@value": zh, "@language": language}]


def _condition(base_iri: str, c: dict[str, Any], language: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": condition_iri(base_iri, c),
        "@type": "MedicalCondition",
        "name": _names(c["name"], c["name_zh"], language),
    }
    if c.get("icd10"):
        node["code"] = {"@type": "MedicalCode", "codeValue": c["icd10"], "codingSystem": "ICD-10"}
    return node


def _trial(base_iri: str, trial: dict[str, Any], conditions: dict[str, str], cells: dict[str, str]) -> dict[str, Any]:
    # The identifier has an @id of its own so that every article's copy of it merges into one node.
    identifier_iri = f"{base_iri.rstrip('/')}/registry-id/{quote(trial['registry_id'], safe='')}"
    node: dict[str, Any] = {
        "@id": trial["url"],
        "@type": "MedicalTrial",
        "name": trial["registry_id"],
        "identifier": {
            "@id": identifier_iri,
            "@type": "PropertyValue",
            "propertyID": trial["registry"],
            "value": trial["registry_id"],
        },
        "url": trial["url"],
        "healthCondition": [conditions[k] for k in trial["conditions"] if k in conditions],
        "studySubject": [cells[k] for k in trial["interventions"] if k in cells],
    }
    if trial.get("phase"):
        node["phase"] = trial["phase"]
    if trial.get("enrollment") is not None:
        node["enrollment"] = trial["enrollment"]
        if trial.get("enrollment_type"):
            node["enrollmentType"] = trial["enrollment_type"]
    if trial.get("follow_up"):
        node["followUp"] = trial["follow_up"]
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
    alternate = cell.get("abbreviations", []) + cell.get("products", [])
    if alternate:
        node["alternateName"] = alternate
    return node


def _metric(m: dict[str, Any]) -> dict[str, Any]:
    measure = m.get("measure") or UNSPECIFIED_MEASURE
    node: dict[str, Any] = {"@type": "PropertyValue", "name": measure, "measure": measure, "value": m["value"]}
    if m.get("measure_key"):
        node["propertyID"] = m["measure_key"]
    if m.get("unit"):
        node["unitText"] = m["unit"]
        if m["unit"] in UNIT_CODES:
            node["unitCode"] = UNIT_CODES[m["unit"]]
    for key in ("direction", "qualifier"):
        if m.get(key):
            node[key] = m[key]
    if m.get("range_part"):
        node["rangePart"] = m["range_part"]
    if m.get("arm"):  # which group the value describes, where the text says
        node["arm"] = m["arm"]
    if m.get("time_point"):  # when it was measured, from the start of treatment
        node["timePoint"] = m["time_point"]
    return {**node, **_span(m)}


def _study(s: dict[str, Any], iri: str, metrics: list[dict[str, Any]]) -> dict[str, Any]:
    """A registered trial (the same node as its mention, by @id), or a study only this article reports."""
    node: dict[str, Any] = {"@id": iri, "@type": "MedicalTrial" if s["trial_ids"] else "MedicalStudy"}
    if not s["trial_ids"]:
        node["name"] = s["label"]
        node["studyKind"] = s["kind"]
    node["variableMeasured"] = [_metric(m) for m in metrics if m.get("study") == s["id"]]
    return node


def _citation(ref: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "ScholarlyArticle", "text": ref["text"], "start": ref["start"], "end": ref["end"]}
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
    return node


def article_document(
    record: dict[str, Any], base_iri: str = DEFAULT_BASE_IRI, same_as: str | None = None
) -> dict[str, Any]:
    """The article as schema.org JSON-LD: what it is about, what it mentions, the studies it reports
    with their results, what it cites, and every span it was read from. `same_as`: the IRI of the
    article this file repeats (the same text dropped twice, or in the other script)."""
    iri = article_iri(base_iri, record["id"])
    language = record["source"]["language"]
    cells = {c["key"]: cell_type_iri(base_iri, c) for c in record["cell_types"]}
    conditions = {c["key"]: condition_iri(base_iri, c) for c in record["conditions"]}
    trial_nodes = {t["registry_id"]: _trial(base_iri, t, conditions, cells) for t in record["trials"]}
    study_iris = {
        s["id"]: (trial_nodes[s["trial_ids"][0]]["@id"] if s["trial_ids"] else f"{iri}#{s['id']}")
        for s in record["studies"]
    }
    reports_results = bool(record["metrics"]) or bool(record["trials"])
    doc: dict[str, Any] = {
        "@context": f"../{CONTEXT_FILE}",
        "@id": iri,
        "@type": "MedicalScholarlyArticle" if reports_results else "NewsArticle",
        "schemaVersion": SCHEMA_VERSION,
        "inLanguage": language,
        "sha256": record["source"]["sha256"],
        "sourcePath": record["source"]["path"],
        "script": record["source"]["script"],
        "about": [t["url"] for t in record["trials"]] + list(conditions.values()),
        "mentions": [_cell_type(base_iri, c) for c in record["cell_types"]]
        + [_condition(base_iri, c, language) for c in record["conditions"]]
        + list(trial_nodes.values()),
        "citation": [_citation(r) for r in record["references"]],
        "studies": [_study(s, study_iris[s["id"]], record["metrics"]) for s in record["studies"]],
        # Results no study claims stay with the article.
        "variableMeasured": [_metric(m) for m in record["metrics"] if m.get("study") not in study_iris],
        "dates": [_date(d) for d in record["dates"] if d["value"]],
        "durations": [
            {"@type": "DurationMention", "isoValue": d["value"], "kind": d["kind"], **_span(d)}
            for d in record["durations"]
        ],
        "spans": [
            {"@type": "Mention", "mentionType": m["type"], "key": m["key"], **_span(m)} for m in record["mentions"]
        ],
    }
    for family in families():  # families registered beyond the built-ins, in our own vocabulary
        if family.name not in BUILT_IN_NAMES and record.get(family.name):
            doc[f"sw:{family.name}"] = [_fact(family, fact) for fact in record[family.name]]
    if record.get("title"):
        doc["headline"] = record["title"]
    if record.get("date_published"):
        doc["datePublished"] = record["date_published"]
    if same_as:
        doc["sameAs"] = same_as
    return doc


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
        dataset["distribution"] = [
            {
                "@type": "DataDownload",
                "contentUrl": f"jsonld/{e['id']}.jsonld",
                "encodingFormat": "application/ld+json",
            },
            {"@type": "DataDownload", "contentUrl": f"records/{e['id']}.json", "encodingFormat": "application/json"},
        ]
    return dataset


def catalog_chunks(entries: Iterable[dict[str, Any]], base_iri: str, date_modified: str | None) -> Iterator[str]:
    """A schema.org DataCatalog of every article published or withdrawn, for consumers that poll,
    as compact JSON with sorted keys written one dataset at a time (memory flat in the catalog's size).

    entries (in article-id order): id, path, sha256, modified (ISO 8601 time the source last changed,
    or was withdrawn), and optionally status ("published"/"withdrawn") and duplicate_of. Each entry is
    a Dataset about the article's @id, so the catalog and the articles merge into one graph.
    """
    head = {"@context": CONTEXT_FILE, "@id": f"{base_iri.rstrip('/')}/catalog", "@type": "DataCatalog"}
    tail: dict[str, Any] = {"name": "stemwire articles", "schemaVersion": SCHEMA_VERSION}
    if date_modified:
        tail["dateModified"] = date_modified

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    yield dump(head)[:-1] + ',"dataset":['
    for i, entry in enumerate(entries):
        yield ("," if i else "") + dump(_dataset(entry, base_iri))
    yield "]," + dump(tail)[1:] + "\n"
