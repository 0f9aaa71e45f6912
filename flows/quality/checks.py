"""Check a published output folder with the processors its consumers use.

Records against the JSON Schema; every JSON-LD file alone and offline, and through pyld (expansion and N-Quads, offline, with
the local context) and rdflib; the merged graph against the SHACL shapes in schemas/shapes.ttl and for
one node per trial and per cell type; the catalog against the records; the CSV tables against their
CSV on the Web metadata with the csvw package; and what flows/quality/consumer_checks.py checks (the
project's vocabulary declared, text files and annotations, portable and readable files).
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path

from pyld import jsonld
from rdflib import Graph, URIRef

from stemwire.flows.output.layout import CSV_METADATA_FILE, OutputLayout
from stemwire.flows.publish.jsonld import local_document_loader
from stemwire.flows.quality import consumer_checks as consumer
from stemwire.flows.quality.finding import Check
from stemwire.schemas.validation import reference_errors

SCHEMA = "http://schema.org/"
MAX_SHOWN = 20


def _records(out_dir: Path) -> tuple[Check, dict[str, dict]]:
    check, records = Check("records match the JSON Schema"), {}
    for path in sorted(OutputLayout(out_dir).records_dir.glob("*.json")):
        check.checked += 1
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            check.problems.append(f"{path.name}: not JSON: {exc}")
            continue
        records[record.get("id", path.stem)] = record
        check.problems += [f"{path.name}: {e}" for e in reference_errors(record)]
    return check, records


def _jsonld(out_dir: Path) -> tuple[Check, Graph]:
    check, merged = Check("JSON-LD expands and converts to N-Quads (pyld), parses (rdflib)"), Graph()
    loader = local_document_loader(out_dir)
    for path in sorted(OutputLayout(out_dir).jsonld_dir.glob("*.jsonld")):
        check.checked += 1
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            options = {"base": path.resolve().as_uri(), "documentLoader": loader}
            if not jsonld.expand(doc, options):
                raise ValueError("expands to nothing")
            nquads = jsonld.to_rdf(doc, {**options, "format": "application/n-quads"})
            merged.parse(data=nquads, format="nquads")
            Graph().parse(path, format="json-ld")
        except Exception as exc:  # any processor failure is a finding about this file
            check.problems.append(f"{path.name}: {exc.__class__.__name__}: {exc}")
    return check, merged


def _shapes(graph: Graph) -> Check:
    from pyshacl import validate

    check = Check("JSON-LD conforms to schemas/shapes.ttl (pyshacl)", checked=len(graph))
    shapes = Graph().parse(data=resources.files("stemwire.schemas").joinpath("shapes.ttl").read_text(encoding="utf-8"))
    conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none")
    if not conforms:
        sh = "http://www.w3.org/ns/shacl#"
        for result in report.subjects(URIRef(sh + "resultSeverity"), None):
            focus = report.value(result, URIRef(sh + "focusNode"))
            message = report.value(result, URIRef(sh + "resultMessage"))
            path = report.value(result, URIRef(sh + "resultPath"))
            check.problems.append(f"{focus} {path}: {message}")
    return check


def _one_node_each(graph: Graph) -> Check:
    """The same trial or cell type must be one node in the merged graph of all articles."""
    check = Check("one node per trial and per cell type")
    nodes_by_key: dict[str, set] = defaultdict(set)
    for node in graph.subjects(URIRef(SCHEMA + "termCode"), None):
        nodes_by_key[f"cell type {graph.value(node, URIRef(SCHEMA + 'termCode'))}"].add(node)
    trial_type = URIRef(SCHEMA + "MedicalTrial")
    for node in graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), trial_type):
        for ident in graph.objects(node, URIRef(SCHEMA + "identifier")):
            nodes_by_key[f"trial {graph.value(ident, URIRef(SCHEMA + 'value'))}"].add(node)
    check.checked = len(nodes_by_key)
    check.problems = [f"{key}: {len(nodes)} nodes" for key, nodes in sorted(nodes_by_key.items()) if len(nodes) > 1]
    return check


def _catalog(out_dir: Path, records: dict[str, dict]) -> Check:
    check = Check("catalog lists every record with its hash")
    path = OutputLayout(out_dir).catalog
    if not path.exists():
        return Check(check.name, problems=["catalog.jsonld is missing"])
    catalog = json.loads(path.read_text(encoding="utf-8"))
    datasets = catalog.get("dataset", [])
    listed = {e["name"]: e for e in datasets if e.get("creativeWorkStatus", "published") == "published"}
    check.checked = len(listed)
    for aid, record in sorted(records.items()):
        entry = listed.get(aid)
        if entry is None:
            check.problems.append(f"{aid}: published but not in the catalog")
        elif entry["sha256"] != record["source"]["sha256"]:
            check.problems.append(f"{aid}: catalog hash differs from the record's")
    check.problems += [f"{aid}: in the catalog but not published" for aid in sorted(set(listed) - set(records))]
    return check


def _tables(out_dir: Path) -> Check:
    from csvw import CSVW

    metadata = OutputLayout(out_dir).csv_metadata
    check = Check("CSV tables match their CSVW metadata (csvw)")
    if not metadata.exists():
        return Check(check.name, problems=[f"csv/{CSV_METADATA_FILE} is missing"])
    check.checked = len(json.loads(metadata.read_text(encoding="utf-8"))["tables"])
    try:
        tables = CSVW(str(metadata), validate=True, strict=True)
        if not tables.is_valid:
            check.problems += [str(w.message) for w in tables.warnings] or ["csvw reports the tables invalid"]
    except (ValueError, OSError) as exc:  # a bad cell or key raises; so does a missing table
        check.problems.append(str(exc))
    return check


def validate_output(out_dir: Path) -> list[Check]:
    records_check, records = _records(out_dir)
    jsonld_check, graph = _jsonld(out_dir)
    return [
        records_check,
        jsonld_check,
        consumer.loads_alone(out_dir),
        _shapes(graph),
        _one_node_each(graph),
        consumer.vocabulary_declared(out_dir, graph),
        consumer.texts_and_annotations(out_dir, records),
        consumer.portable_and_readable(out_dir, records),
        _catalog(out_dir, records),
        _tables(out_dir),
        consumer.datapackage(out_dir),
    ]
