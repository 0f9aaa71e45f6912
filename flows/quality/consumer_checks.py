"""Checks of what issue 18 promises consumers of the output, beside flows/quality/checks.py: each
JSON-LD file loads alone (from a string, no base, no document loader, no network), every term of the
project's vocabulary the graph uses is declared in OUT/vocab.ttl, the text files hold the records' text
and every Web Annotation quotes it at its position, no output names an absolute path, and every file
is readable by others."""

from __future__ import annotations

import json
import stat
from pathlib import Path, PurePath
from typing import Any

from pyld import jsonld
from rdflib import RDF, Graph

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.quality.finding import Check


def _no_network(url: str, options: Any = None) -> dict[str, Any]:
    raise ValueError(f"the file needs {url}: it does not load alone")


def _jsonld_files(layout: OutputLayout) -> list[Path]:
    files = [*sorted(layout.jsonld_dir.glob("*.jsonld")), *sorted(layout.annotations_dir.glob("*.jsonld"))]
    return [*files, layout.catalog] if layout.catalog.exists() else files


def loads_alone(out_dir: Path) -> Check:
    check = Check("every JSON-LD file loads alone from a string, offline (pyld, rdflib)")
    for path in _jsonld_files(OutputLayout(out_dir)):
        check.checked += 1
        try:
            text = path.read_text(encoding="utf-8")
            nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads", "documentLoader": _no_network})
            alone = Graph().parse(data=text, format="json-ld")
            if len(alone) != len(Graph().parse(data=nquads, format="nquads")) or not len(alone):
                raise ValueError("pyld and rdflib read different graphs")
        except Exception as exc:  # any processor failure is a finding about this file
            check.problems.append(f"{path.name}: {exc.__class__.__name__}: {exc}")
    return check


def vocabulary_declared(out_dir: Path, graph: Graph) -> Check:
    check = Check("every stemwire term the graph uses is declared in vocab.ttl")
    layout = OutputLayout(out_dir)
    if not layout.vocabulary.exists():
        return Check(check.name, problems=["vocab.ttl is missing"])
    declared = {str(s) for s in Graph().parse(layout.vocabulary, format="turtle").subjects()}
    views = Graph()  # the trial views (flows/store/trial_view.py) speak our vocabulary too
    for path in sorted(layout.trials_dir.glob("*.jsonld")):
        views.parse(path, format="json-ld")
    used = set()
    for g in (graph, views):
        used |= {str(p) for p in g.predicates()} | {str(o) for o in g.objects(None, RDF.type)}
    ours = sorted(t for t in used if t.startswith(SW))
    check.checked = len(ours)
    check.problems = [f"{t} is not declared" for t in ours if t not in declared]
    return check


def _annotation_problems(text: str, collection: dict[str, Any]) -> list[str]:
    found = []
    for annotation in collection.get("first", {}).get("items", []):
        position, quote = annotation["target"]["selector"]
        if text[position["start"] : position["end"]] != quote["exact"]:
            found.append(f"{annotation['id']}: the quote is not the text at its position")
    return found


def texts_and_annotations(out_dir: Path, records: dict[str, dict[str, Any]]) -> Check:
    check, layout = Check("text files hold the records' text; every annotation quotes it"), OutputLayout(out_dir)
    for aid, record in sorted(records.items()):
        check.checked += 1
        try:
            text = layout.text(aid).read_text(encoding="utf-8")
            collection = json.loads(layout.annotations(aid).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            check.problems.append(f"{aid}: {exc}")
            continue
        if text != record["text"]:
            check.problems.append(f"{aid}: text/{aid}.txt differs from the record's text")
        check.problems += _annotation_problems(text, collection)
    return check


def portable_and_readable(out_dir: Path, records: dict[str, dict[str, Any]]) -> Check:
    check, layout = Check("no absolute path in the output; every file readable by others"), OutputLayout(out_dir)
    for aid, record in sorted(records.items()):
        if PurePath(record["source"]["path"]).is_absolute() or "/" in record["source"]["path"]:
            check.problems.append(f"{aid}: source path {record['source']['path']} is not relative to the raw folder")
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        if path.relative_to(out_dir).parts[0] == layout.state_dir.name or path == layout.lock:
            continue
        check.checked += 1
        if not stat.S_IMODE(path.stat().st_mode) & stat.S_IROTH:
            check.problems.append(f"{path.relative_to(out_dir)}: not readable by others")
    return check


def datapackage(out_dir: Path) -> Check:
    from frictionless import Package, system

    path = OutputLayout(out_dir).datapackage
    check = Check("CSV tables match their Data Package (frictionless)")
    if not path.exists():
        return Check(check.name, problems=["csv/datapackage.json is missing"])
    with system.use_context(trusted=True):  # our own package: its paths are ours
        report = Package(str(path)).validate()
    check.checked = len(report.tasks)
    for task in report.tasks:
        check.problems += [f"{task.name}: {e.message}" for e in task.errors][:20]
    check.problems += [e.message for e in report.errors]
    return check
