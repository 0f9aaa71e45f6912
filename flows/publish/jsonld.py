"""One article as JSON-LD: schema.org terms within their domains and ranges, the rest in the project's
vocabulary (schemas/vocab.ttl), the context inlined so that the file loads alone.

Shared things (trials, cell types, conditions, measures, cited works) have public or base-IRI @ids and
carry only what identifies them, so the graphs of many articles merge into one node each. What the
article says about them (a trial's phase and size, a metric, where a reference sits in the text) is a
node of the article (`vocabulary.fact_iri`), linked to the shared node and back to the article
(`statedIn`), so that after a merge every figure is reachable from the article that gave it and from
no other. Every span links (`denotes`) to the IRI of what it names.
"""

from __future__ import annotations

import re
from typing import Any

from stemwire.extractors.measures import measure_entries
from stemwire.flows.publish.catalog import catalog_chunks
from stemwire.flows.publish.vocabulary import (
    CL_SET,
    DEFAULT_BASE_IRI,
    DEFINED_TERM_PROFILE,
    UNIT_CODES,
    Utf16,
    article_iri,
    cell_type_iri,
    condition_iri,
    fact_iri,
    identifier_iri,
    inline_context,
    local_document_loader,
    measure_iri,
    measure_set_iri,
    reference_iri,
    text_iri,
    trial_report_iri,
    typed_date,
    typed_duration,
)
from stemwire.schemas import SCHEMA_VERSION
from stemwire.schemas.families import BUILT_IN_NAMES, EXTRA_MENTIONS, FactFamily, families

__all__ = ["DEFAULT_BASE_IRI", "article_document", "catalog_chunks", "local_document_loader", "mention_targets"]
UNSPECIFIED_MEASURE = "unspecified"
SPAN_KEYS = ("start", "end", "text")
# An address the page gives for itself becomes an IRI only when it is one: absolute http(s), no
# character an IRI cannot hold.
WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _span(item: dict[str, Any], utf16: Utf16) -> dict[str, Any]:
    start, end = item["start"], item["end"]
    if utf16.same:
        return {"start": start, "end": end, "text": item["text"], "startUtf16": start, "endUtf16": end}
    return {"start": start, "end": end, "text": item["text"], "startUtf16": utf16(start), "endUtf16": utf16(end)}


def _names(english: str, zh: str, language: str) -> list[dict[str, str]]:
    return [{"@value": english, "@language": "en"}, {"@value": zh, "@language": language}]


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
    if cell.get("cl_id"):  # Bioschemas DefinedTerm: a CURIE code in a named term set
        node["termCode"] = cell["cl_id"]
        node["inDefinedTermSet"] = {"@id": CL_SET, "@type": "DefinedTermSet", "name": "Cell Ontology"}
        node["conformsTo"] = DEFINED_TERM_PROFILE
    alternate = cell.get("abbreviations", []) + cell.get("products", [])
    if alternate:
        node["alternateName"] = alternate
    return node


def _condition(base_iri: str, c: dict[str, Any], language: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": condition_iri(base_iri, c),
        "@type": "MedicalCondition",
        "name": _names(c["name"], c["name_zh"], language),
    }
    if c.get("icd10"):
        node["code"] = {
            "@id": identifier_iri(base_iri, "icd10", c["icd10"]),
            "@type": "MedicalCode",
            "codeValue": c["icd10"],
            "codingSystem": "ICD-10",
        }
    return node


def _measure(base_iri: str, key: str, name: str) -> dict[str, Any]:
    return {
        "@id": measure_iri(base_iri, key),
        "@type": "DefinedTerm",
        "name": name,
        "termCode": key,
        "inDefinedTermSet": {"@id": measure_set_iri(base_iri), "@type": "DefinedTermSet", "name": "stemwire measures"},
    }


def _trial(base_iri: str, trial: dict[str, Any]) -> dict[str, Any]:
    """The registry's trial: only what identifies it (what articles say about it is theirs)."""
    return {
        "@id": trial["url"],
        "@type": "MedicalTrial",
        "name": trial["registry_id"],
        "identifier": {
            "@id": identifier_iri(base_iri, "registry", trial["registry_id"]),
            "@type": "PropertyValue",
            "propertyID": trial["registry"],
            "value": trial["registry_id"],
        },
        "url": trial["url"],
    }


def _trial_report(
    article: str, trial: dict[str, Any], conditions: dict[str, str], cells: dict[str, str]
) -> dict[str, Any]:
    """What this article says about a trial, as its own node."""
    node: dict[str, Any] = {
        "@id": trial_report_iri(article, trial["registry_id"]),
        "@type": "TrialReport",
        "reportedTrial": trial["url"],
        "statedIn": article,
        "condition": [conditions[k] for k in trial["conditions"] if k in conditions],
        "intervention": [cells[k] for k in trial["interventions"] if k in cells],
    }
    for key, term in (("phase", "trialPhase"), ("phase_text", "phaseText"), ("enrollment_text", "enrollmentText")):
        if trial.get(key):
            node[term] = trial[key]
    if trial.get("enrollment") is not None:
        node["enrollment"] = trial["enrollment"]
        if trial.get("enrollment_type"):
            node["enrollmentType"] = trial["enrollment_type"]
    if trial.get("follow_up"):
        node["followUp"] = typed_duration(trial["follow_up"])
        if trial.get("follow_up_text"):
            node["followUpText"] = trial["follow_up_text"]
    return node


def _observation(
    base_iri: str, article: str, i: int, m: dict[str, Any], studies: dict[str, str], utf16: Utf16
) -> dict[str, Any]:
    """A metric as a schema:Observation of the study it belongs to (a QuantitativeValue: value, unit)."""
    measure = m.get("measure") or UNSPECIFIED_MEASURE
    node: dict[str, Any] = {
        "@id": fact_iri(article, "metrics", i),
        "@type": "Observation",
        "variableMeasured": measure,
        "value": m["value"],
        "statedIn": article,
    }
    if m.get("measure_key"):
        node["measure"] = measure_iri(base_iri, m["measure_key"])
    if m.get("study") in studies:
        node["observationAbout"] = studies[m["study"]]
    if m.get("unit"):
        node["unitText"] = m["unit"]
        if m["unit"] in UNIT_CODES:
            node["unitCode"] = UNIT_CODES[m["unit"]]
    for key, term in (("direction", "direction"), ("qualifier", "qualifier"), ("range_part", "rangePart")):
        if m.get(key):
            node[term] = m[key]
    if m.get("arm"):  # which group the value describes, where the text says
        node["arm"] = m["arm"]
    if m.get("time_point"):  # when it was measured, from the start of treatment
        node["timePoint"] = typed_duration(m["time_point"])
    return {**node, **_span(m, utf16)}


def _study(article: str, s: dict[str, Any]) -> dict[str, Any]:
    """A study only this article reports (a registered one is its trial's node)."""
    return {"@id": f"{article}#{s['id']}", "@type": "MedicalStudy", "name": s["label"], "studyKind": s["kind"]}


def _cited_work(base_iri: str, ref: dict[str, Any], iri: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": iri, "@type": "ScholarlyArticle"}
    ids = [
        {"@id": identifier_iri(base_iri, k, ref[k]), "@type": "PropertyValue", "propertyID": k.upper(), "value": ref[k]}
        for k in ("doi", "pmid", "pmcid")
        if ref.get(k)
    ]
    if ids:
        node["identifier"] = ids
    if ref.get("url"):
        node["url"] = ref["url"]
    return node


def _reference_entry(article: str, i: int, ref: dict[str, Any], utf16: Utf16) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": fact_iri(article, "references", i), "@type": "ReferenceEntry", "statedIn": article}
    if reference_iri(ref):
        node["cites"] = reference_iri(ref)
    if ref.get("number") is not None:
        node["referenceNumber"] = ref["number"]
    return {**node, **_span(ref, utf16)}


def _date(article: str, family: str, i: int, d: dict[str, Any], utf16: Utf16) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": fact_iri(article, family, i), "@type": "DateMention", "role": d["role"]}
    if d.get("value"):
        node["isoValue"] = typed_date(d["value"])
        node["precision"] = d["precision"]
    if d.get("underspecified"):  # the text leaves part of it out: say what filled it in
        node["underspecified"] = True
    if d.get("reference_date"):
        node["referenceDate"] = typed_date(d["reference_date"])
    return {**node, **_span(d, utf16)}


def _duration(article: str, i: int, d: dict[str, Any], utf16: Utf16) -> dict[str, Any]:
    node = {"@id": fact_iri(article, "durations", i), "@type": "DurationMention", "kind": d["kind"]}
    return {**node, "isoValue": typed_duration(d["value"]), **_span(d, utf16)}


def _fact(family: FactFamily, article: str, i: int, fact: dict[str, Any], utf16: Utf16) -> dict[str, Any]:
    """A fact of a family with no schema.org mapping of its own: typed by its model, each column a
    property of the stemwire vocabulary (sw:), its span as every mention's."""
    node: dict[str, Any] = {"@id": fact_iri(article, family.name, i), "@type": f"sw:{family.model.__name__}"}
    node["statedIn"] = article
    node.update({f"sw:{c}": fact[c] for c in family.columns if c not in SPAN_KEYS and fact.get(c) is not None})
    if "start" in fact:
        node.update(_span(fact, utf16))
    return node


def _measures(record: dict[str, Any]) -> dict[str, str]:
    """key -> name of every measure the article names: with a value (its metric's name) or without
    one (a measure mention, named as the vocabulary names it)."""
    found = {
        m["measure_key"]: m.get("measure") or UNSPECIFIED_MEASURE for m in record["metrics"] if m.get("measure_key")
    }
    vocabulary = measure_entries()
    for mention in record["mentions"]:
        if mention["type"] == "measure" and mention["key"] not in found and mention["key"] in vocabulary:
            found[mention["key"]] = vocabulary[mention["key"]].label
    return found


def mention_targets(record: dict[str, Any], base_iri: str) -> list[str | None]:
    """The IRI each of the record's mentions denotes (a cell type, trial, condition, measure, or the
    article's node of a dated fact), None where the record names nothing published."""
    article = article_iri(base_iri, record["id"])
    shared = {
        "cell_type": {c["key"]: cell_type_iri(base_iri, c) for c in record["cell_types"]},
        "condition": {c["key"]: condition_iri(base_iri, c) for c in record["conditions"]},
        "trial": {t["registry_id"]: t["url"] for t in record["trials"]},
        "measure": {key: measure_iri(base_iri, key) for key in _measures(record)},
    }
    targets: list[str | None] = []
    for m in record["mentions"]:
        family, _, index = m["key"].rpartition("/")
        if family and index.isdigit() and int(index) < len(record.get(family, [])):
            targets.append(fact_iri(article, family, int(index)))
        else:
            targets.append(shared.get(m["type"], {}).get(m["key"]))
    return targets


def _page(iri: str, page: dict[str, Any]) -> dict[str, Any]:
    """What the page says about itself (Record.page), where it says it: its own address, its last
    modification, the site that published it, the author as it names them (schema:creditText: the
    page does not say whether a person or an organisation), and where the publication date came from."""
    found: dict[str, Any] = {}
    url = page.get("canonical_url") or ""
    if WEB_ADDRESS.match(url):
        found["url"] = url
    modified = typed_date(page.get("date_modified") or "")
    if isinstance(modified, dict):  # a calendar value XML Schema types (never a bare week)
        found["dateModified"] = modified
    if page.get("site_name"):
        found["publisher"] = {"@id": f"{iri}#publisher", "@type": "Organization", "name": page["site_name"]}
    if page.get("author"):
        found["creditText"] = page["author"]
    if page.get("date_source"):
        found["dateSource"] = page["date_source"]
    return found


def article_document(
    record: dict[str, Any],
    base_iri: str = DEFAULT_BASE_IRI,
    same_as: str | None = None,
    targets: list[str | None] | None = None,
) -> dict[str, Any]:
    """The article as JSON-LD: what it is about and mentions, what it says of each trial, its results as
    Observations, what it cites and where, and every span it was read from. `same_as`: the IRI of the
    article this file repeats (the same text dropped twice, or in the other script). `targets`: the
    record's mention_targets, when the caller has them already (the annotations need them too)."""
    if targets is None:
        targets = mention_targets(record, base_iri)
    iri = article_iri(base_iri, record["id"])
    language = record["source"]["language"]
    utf16 = Utf16(record["text"])
    cells = {c["key"]: cell_type_iri(base_iri, c) for c in record["cell_types"]}
    conditions = {c["key"]: condition_iri(base_iri, c) for c in record["conditions"]}
    urls = {t["registry_id"]: t["url"] for t in record["trials"]}
    studies = {s["id"]: (urls[s["trial_ids"][0]] if s["trial_ids"] else f"{iri}#{s['id']}") for s in record["studies"]}
    measures = _measures(record)
    references = record["references"]
    doc: dict[str, Any] = {
        "@context": inline_context(),
        "@id": iri,
        # News, never a scholarly article: the record cannot tell a paper from a story about one.
        "@type": "NewsArticle",
        "schemaVersion": SCHEMA_VERSION,
        "inLanguage": language,
        "sha256": record["source"]["sha256"],
        "sourcePath": record["source"]["path"],
        "script": record["source"]["script"],
        "textFile": text_iri(base_iri, record["id"]),
        "about": [t["url"] for t in record["trials"]] + list(conditions.values()),
        "mentions": [_cell_type(base_iri, c) for c in record["cell_types"]]
        + [_condition(base_iri, c, language) for c in record["conditions"]]
        + [_trial(base_iri, t) for t in record["trials"]]
        + [_measure(base_iri, k, name) for k, name in sorted(measures.items())],
        "trialReport": [_trial_report(iri, t, conditions, cells) for t in record["trials"]],
        "reportsStudy": [{"@id": studies[s["id"]]} if s["trial_ids"] else _study(iri, s) for s in record["studies"]],
        "observation": [_observation(base_iri, iri, i, m, studies, utf16) for i, m in enumerate(record["metrics"])],
        "citation": [_cited_work(base_iri, r, ri) for r in references if (ri := reference_iri(r))],
        "referenceEntry": [_reference_entry(iri, i, r, utf16) for i, r in enumerate(references)],
        "dates": [_date(iri, "dates", i, d, utf16) for i, d in enumerate(record["dates"])]
        + [_date(iri, "unresolved_dates", i, d, utf16) for i, d in enumerate(record.get("unresolved_dates", []))],
        "durations": [_duration(iri, i, d, utf16) for i, d in enumerate(record["durations"])],
        "spans": [
            {
                "@id": f"{iri}#mention-{i}",
                "@type": "Mention",
                "mentionType": m["type"],
                "key": m["key"],
                **_span(m, utf16),
            }
            | ({"denotes": target} if target else {})
            for i, (m, target) in enumerate(zip(record["mentions"], targets, strict=True))
        ],
    }
    for family in families():  # families registered beyond the built-ins, in our own vocabulary
        if family.name not in BUILT_IN_NAMES and family.name not in EXTRA_MENTIONS and record.get(family.name):
            doc[f"sw:{family.name}"] = [_fact(family, iri, i, f, utf16) for i, f in enumerate(record[family.name])]
    if record.get("title"):
        doc["headline"] = record["title"]
    if record.get("date_published"):
        doc["datePublished"] = typed_date(record["date_published"])
    doc.update(_page(iri, record.get("page") or {}))
    if same_as:
        doc["sameAs"] = same_as
    return doc
