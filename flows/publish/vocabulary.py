"""The names the published graph uses: identifiers of shared and article-scoped nodes, typed literals,
unit codes, and the JSON-LD context (inlined in every file, so that each one loads alone).

Shared nodes (a trial's registry page, a Cell Ontology PURL, a condition, a measure, a cited work) have
the same IRI in every article, so graphs merge; what one article says about them sits on nodes of that
article, `<article IRI>#<family>-<index>`, so that after a merge each claim still names its source.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stemwire.flows.output.layout import CONTEXT_FILE, OutputLayout
from stemwire.schemas.families import BUILT_IN_NAMES, EXTRA_MENTIONS, families

DEFAULT_BASE_IRI = "https://stemwire.example.org/"
# schema.org's own context maps its terms to http://schema.org/, so data published under it and ours
# are one graph with no rewriting (README, "One schema.org namespace").
SCHEMA = "http://schema.org/"
SW = "https://stemwire.example.org/vocab#"
CL_PURL = "http://purl.obolibrary.org/obo/"
CL_SET = "http://purl.obolibrary.org/obo/cl.owl"
DEFINED_TERM_PROFILE = "https://bioschemas.org/profiles/DefinedTerm/1.0-RELEASE"
XSD_BY_PATTERN = (  # an ISO 8601 calendar value's XML Schema type, by its shape
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "xsd:date"),
    (re.compile(r"^\d{4}-\d{2}$"), "xsd:gYearMonth"),
    (re.compile(r"^\d{4}$"), "xsd:gYear"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?$"), "xsd:dateTime"),
)
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def context_document() -> str:
    return resources.files("stemwire.schemas").joinpath(CONTEXT_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def inline_context() -> dict[str, Any]:
    """The context object every published JSON-LD file carries (shared, never mutated)."""
    context: dict[str, Any] = json.loads(context_document())["@context"]
    return context


def vocabulary_document() -> str:
    """schemas/vocab.ttl, and the terms of every family registered beyond the built-ins (its list, its
    class, its columns), declared from the registry so that no published term goes undeclared."""
    text = resources.files("stemwire.schemas").joinpath("vocab.ttl").read_text(encoding="utf-8")
    extra = []
    for family in families():
        if family.name in BUILT_IN_NAMES or family.name in EXTRA_MENTIONS:
            continue
        model = family.model.__name__
        extra.append(f"sw:{model} a rdfs:Class ; rdfs:label {json.dumps(family.label)} .")
        extra.append(
            f"sw:{family.name} a rdf:Property ; rdfs:label {json.dumps(family.label)} ; rdfs:range sw:{model} ."
        )
        for column in family.columns:
            if column in ("start", "end", "text"):
                continue
            field = family.model.model_fields.get(column)
            comment = json.dumps((field.description if field else None) or column, ensure_ascii=False)
            extra.append(f"sw:{column} a rdf:Property ; rdfs:domain sw:{model} ; rdfs:comment {comment} .")
    return text + ("\n# Families registered beyond the built-ins\n" + "\n".join(extra) + "\n" if extra else "")


def local_document_loader(out_dir: Path) -> Callable[..., dict[str, Any]]:
    """A pyld document loader that serves the context published in `out_dir` and refuses the network.
    Published files inline their context and need no loader; this one serves consumers who refer to
    OUT/context.jsonld from documents of their own."""
    context = json.loads(OutputLayout(out_dir).context.read_text(encoding="utf-8"))

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url.rsplit("/", 1)[-1] != CONTEXT_FILE:
            raise ValueError(f"stemwire output refers to no remote document, yet {url} was asked for")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load


def typed_date(value: str) -> dict[str, str] | str:
    """An ISO 8601 date as a typed literal SPARQL can compare; a week (2025-W10) has no XML Schema
    type and stays a plain string."""
    for pattern, datatype in XSD_BY_PATTERN:
        if pattern.match(value):
            return {"@value": value, "@type": datatype}
    return value


def typed_duration(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:duration"}


class Utf16:
    """UTF-16 code-unit offsets of code-point offsets into one text (JavaScript and Java count those):
    each character outside the Basic Multilingual Plane before an offset adds one."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in ASTRAL.finditer(text)]
        self.same = not self._astral  # every offset is its own: callers may skip the call

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset) if self._astral else offset


def article_iri(base_iri: str, article_id: str) -> str:
    return f"{base_iri.rstrip('/')}/article/{article_id}"


def fact_iri(article: str, family: str, index: int) -> str:
    """The node of one fact an article states: the article's IRI with the family and position."""
    return f"{article}#{family}-{index}"


def trial_report_iri(article: str, registry_id: str) -> str:
    return f"{article}#trial-{quote(registry_id, safe='')}"


def cell_type_iri(base_iri: str, cell: dict[str, Any]) -> str:
    if cell.get("cl_id"):
        return CL_PURL + cell["cl_id"].replace(":", "_")
    return f"{base_iri.rstrip('/')}/cell-type/{cell['key']}"


def condition_iri(base_iri: str, condition: dict[str, Any]) -> str:
    return f"{base_iri.rstrip('/')}/condition/{condition['key']}"


@lru_cache(maxsize=4096)  # a few hundred measures, named again in every article
def measure_iri(base_iri: str, key: str) -> str:
    return f"{base_iri.rstrip('/')}/measure/{quote(key, safe='')}"


def measure_set_iri(base_iri: str) -> str:
    return f"{base_iri.rstrip('/')}/measure/"


def identifier_iri(base_iri: str, scheme: str, value: str) -> str:
    return f"{base_iri.rstrip('/')}/identifier/{scheme}/{quote(value, safe='')}"


def text_iri(base_iri: str, article_id: str) -> str:
    return f"{base_iri.rstrip('/')}/text/{article_id}.txt"


def reference_iri(ref: dict[str, Any]) -> str | None:
    if ref.get("doi"):
        return "https://doi.org/" + ref["doi"]
    if ref.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/"
    if ref.get("pmcid"):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{ref['pmcid']}/"
    url: str | None = ref.get("url")
    return url


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
