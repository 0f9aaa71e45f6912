"""Every schema.org term the published graph uses exists in the current release, and each property is
used within its domain and range. Checked against tests/data/schemaorg-current.json, derived from the
schema.org vocabulary (CC BY-SA 4.0, https://schema.org; see tests/data/derive_schemaorg.py): every
class and property of the release, not only ours, so that a term we should not use is caught."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef

from tests.helpers import FIXTURES, publish

S = "http://schema.org/"
VOCABULARY = Path(__file__).parent / "data" / "schemaorg-current.json"
DATATYPES = {"Text", "URL", "Number", "Integer", "Float", "Date", "DateTime", "Time", "Boolean", "Duration"}


@cache
def vocabulary() -> dict:
    return json.loads(VOCABULARY.read_text(encoding="utf-8"))


def ancestors(cls: str) -> set[str]:
    classes, found, todo = vocabulary()["classes"], set(), [cls]
    while todo:
        c = todo.pop()
        if c not in found:
            found.add(c)
            todo += classes.get(c, {}).get("subClassOf", [])
    return found


def types_of(graph: Graph, node) -> set[str]:
    return {str(t).removeprefix(S) for t in graph.objects(node, RDF.type) if str(t).startswith(S)}


def findings(graph: Graph) -> list[str]:
    vocab, found = vocabulary(), set()
    for s, p, o in graph:
        if p == RDF.type and str(o).startswith(S):
            name = str(o).removeprefix(S)
            if name not in vocab["classes"] or "supersededBy" in vocab["classes"][name]:
                found.add(f"class {name} is not in schema.org {vocab['release']}")
            continue
        if not str(p).startswith(S):
            continue
        name = str(p).removeprefix(S)
        prop = vocab["properties"].get(name)
        if prop is None or "supersededBy" in prop:
            found.add(f"property {name} is not in schema.org {vocab['release']}")
            continue
        subject_types = set().union(*(ancestors(t) for t in types_of(graph, s))) if types_of(graph, s) else set()
        if not subject_types & set(prop["domainIncludes"]):
            found.add(f"{name} on {sorted(types_of(graph, s))}: outside its domain {prop['domainIncludes']}")
        ranges = set(prop["rangeIncludes"])
        if isinstance(o, Literal):
            ok = bool(ranges & DATATYPES) or bool(ranges & ancestors("Text"))
        elif isinstance(o, URIRef) and "URL" in ranges:  # a URL names any resource, typed or not
            ok = True
        elif isinstance(o, URIRef | BNode) and types_of(graph, o):
            ok = bool(set().union(*(ancestors(t) for t in types_of(graph, o))) & ranges)
        else:  # an IRI the graph does not type: a link, fine where a URL is allowed or a thing is meant
            ok = "URL" in ranges or bool(ranges - DATATYPES)
        if not ok:
            found.add(
                f"{name} -> {o if isinstance(o, Literal) else sorted(types_of(graph, o))}: outside {sorted(ranges)}"
            )
    return sorted(found)


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    raw = sorted((FIXTURES / "articles").glob("*.txt")) + sorted((FIXTURES / "trial_pair").glob("*.txt"))
    raw += sorted((FIXTURES / "pages").glob("*.html"))  # what pages say about themselves (url, publisher ...)
    out = publish(raw, tmp_path_factory.mktemp("out"))
    merged = Graph()
    for path in [*sorted((out / "jsonld").glob("*.jsonld")), out / "catalog.jsonld"]:
        merged.parse(path, format="json-ld")
    return merged


def test_the_vocabulary_copy_is_the_whole_release() -> None:
    vocab = vocabulary()
    assert len(vocab["classes"]) > 800 and len(vocab["properties"]) > 1400
    assert "phase" not in vocab["properties"]  # removed in 7.0: the check would catch it
    assert vocab["properties"]["variableMeasured"]["domainIncludes"] == ["Dataset", "Observation"]


def test_every_schema_org_term_exists_and_sits_in_its_domain_and_range(graph: Graph) -> None:
    assert len(graph) > 1000
    assert findings(graph) == []


def test_the_check_catches_the_terms_the_old_output_used() -> None:
    old = Graph().parse(
        data=json.dumps(
            {
                "@context": {"@vocab": S},
                "@id": "https://clinicaltrials.gov/study/NCT1",
                "@type": "MedicalTrial",
                "phase": "2",
                "variableMeasured": {"@type": "PropertyValue", "value": 1},
                "studySubject": {"@id": "http://purl.obolibrary.org/obo/CL_0000047", "@type": "DefinedTerm"},
            }
        ),
        format="json-ld",
    )
    problems = " | ".join(findings(old))
    assert "property phase is not in" in problems
    assert "variableMeasured on ['MedicalTrial']: outside its domain" in problems
    assert "studySubject -> ['DefinedTerm']: outside" in problems


def test_cell_types_are_bioschemas_defined_terms(graph: Graph) -> None:
    term_code, term_set = URIRef(S + "termCode"), URIRef(S + "inDefinedTermSet")
    conforms = URIRef("http://purl.org/dc/terms/conformsTo")
    cells = [s for s in graph.subjects(term_code, None) if str(s).startswith("http://purl.obolibrary.org/obo/CL_")]
    assert cells
    for cell in cells:
        assert str(graph.value(cell, term_code)) == str(cell).rsplit("/", 1)[-1].replace("_", ":")
        assert (graph.value(cell, term_set), RDF.type, URIRef(S + "DefinedTermSet")) in graph
        assert str(graph.value(cell, conforms)).startswith("https://bioschemas.org/profiles/DefinedTerm/")
