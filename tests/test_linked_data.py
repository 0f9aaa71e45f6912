"""What a linked-data consumer relies on (issue 18): each article's claims stay its own after graphs
merge, conflicts are warned about, and the graph joins with data under schema.org's own context."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from stemwire.flows.batch import process_article, publish_article
from stemwire.flows.finalize import finalize
from stemwire.flows.outcome import remember
from stemwire.flows.output.inventory import Inventory
from stemwire.flows.output.manifest import Manifest, load_manifest, save_manifest
from stemwire.schemas.ids import article_id
from tests.helpers import FIXTURES

PAIR = FIXTURES / "trial_pair"
BASE = "https://stemwire.example.org/article/"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SW = Namespace("https://stemwire.example.org/vocab#")
TRIAL = URIRef("https://clinicaltrials.gov/study/NCT05123456")


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("pair")
    manifest = Manifest()
    for path in sorted(PAIR.glob("*.txt")):
        outcome = process_article(path, article_id(path))
        publish_article(outcome, out)
        remember(manifest, outcome)
    warnings = finalize(out, manifest, Inventory())
    save_manifest(out, manifest)
    return out, warnings


def merged(out: Path) -> Graph:
    graph = Graph()
    for path in sorted((out / "jsonld").glob("*.jsonld")):
        graph.parse(data=path.read_text(encoding="utf-8"), format="json-ld")
    return graph


def reachable(graph: Graph, start: URIRef) -> set:
    """Every (predicate, object) edge reachable from `start` along outgoing edges, shared nodes included."""
    seen, edges, todo = {start}, set(), [start]
    while todo:
        for _, p, o in graph.triples((todo.pop(), None, None)):
            edges.add((p, o))
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return edges


def test_each_enrollment_is_reachable_from_its_own_article_only(pair) -> None:
    out, _ = pair
    graph = merged(out)
    first, second = URIRef(BASE + "knee-trial-first"), URIRef(BASE + "knee-trial-second")
    from_first, from_second = reachable(graph, first), reachable(graph, second)
    eighteen, twenty = (
        (SW.enrollment, Literal(18, datatype=XSD.integer)),
        (SW.enrollment, Literal(20, datatype=XSD.integer)),
    )
    assert eighteen in from_first and eighteen not in from_second
    assert twenty in from_second and twenty not in from_first
    phase_one = (SW.trialPhase, Literal("1"))
    assert phase_one in from_first and phase_one not in from_second  # the phases too
    # One trial node, shared, holding only what identifies it.
    assert (SW.reportedTrial, TRIAL) in from_first and (SW.reportedTrial, TRIAL) in from_second
    assert not any(isinstance(o, Literal) and o.datatype == XSD.integer for o in graph.objects(TRIAL, None))
    query = """
        PREFIX sw: <https://stemwire.example.org/vocab#>
        SELECT ?article ?n WHERE { ?report sw:reportedTrial ?trial ; sw:enrollment ?n ; sw:statedIn ?article }"""
    rows = {(str(a).rsplit("/", 1)[-1], int(n)) for a, n in graph.query(query, initBindings={"trial": TRIAL})}
    assert rows == {("knee-trial-first", 18), ("knee-trial-second", 20)}


def test_a_metric_is_an_observation_of_its_study_stated_in_its_article(pair) -> None:
    graph = merged(pair[0])
    query = """
        PREFIX s: <http://schema.org/> PREFIX sw: <https://stemwire.example.org/vocab#>
        SELECT ?article ?value ?measure WHERE {
          ?o a s:Observation ; s:observationAbout ?trial ; s:value ?value ; s:variableMeasured ?measure ;
             sw:statedIn ?article }"""
    rows = list(graph.query(query, initBindings={"trial": TRIAL}))
    assert [(str(a).rsplit("/", 1)[-1], float(v)) for a, v, _ in rows] == [("knee-trial-first", 2.5)]


def test_the_run_warns_when_articles_disagree_about_a_trial(pair) -> None:
    _, warnings = pair
    assert warnings == [
        "articles disagree on the enrollment of NCT05123456: 18 in knee-trial-first; 20 in knee-trial-second",
        "articles disagree on the phase of NCT05123456: 1 in knee-trial-first; 2 in knee-trial-second",
    ]


def test_every_mention_denotes_the_iri_of_what_it_names(pair) -> None:
    doc = json.loads((pair[0] / "jsonld" / "knee-trial-first.jsonld").read_text(encoding="utf-8"))
    ids = {n["@id"] for key in ("mentions", "observation", "dates", "durations", "referenceEntry") for n in doc[key]}
    spans = doc["spans"]
    assert spans and all(s.get("denotes") in ids for s in spans)
    assert {s["mentionType"] for s in spans} >= {"trial", "cell_type", "condition", "metric", "date"}


def test_graph_joins_data_published_under_schema_orgs_own_context(pair) -> None:
    """schema.org's context maps its terms to http://schema.org/: a document written under it (here
    its @vocab, offline) and ours are one graph, no rewriting."""
    theirs = {
        "@context": {"@vocab": "http://schema.org/"},
        "@id": str(TRIAL),
        "@type": "MedicalTrial",
        "sponsor": {"@type": "Organization", "name": "A sponsor"},
    }
    graph = merged(pair[0]).parse(data=json.dumps(theirs), format="json-ld")
    query = """
        PREFIX s: <http://schema.org/>
        SELECT ?id ?sponsor WHERE { ?t a s:MedicalTrial ; s:identifier/s:value ?id ; s:sponsor/s:name ?sponsor }"""
    assert [(str(i), str(s)) for i, s in graph.query(query)] == [("NCT05123456", "A sponsor")]


def test_dates_and_durations_are_typed_so_sparql_compares_them(pair) -> None:
    graph = merged(pair[0])
    query = """
        PREFIX sw: <https://stemwire.example.org/vocab#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?a WHERE { ?a sw:date/sw:isoValue ?d FILTER(?d > "2025-04-01"^^xsd:date) }"""
    dated = {str(a).rsplit("/", 1)[-1] for (a,) in graph.query(query)}
    assert dated == {"knee-trial-second"}
    follow_ups = set(graph.objects(None, URIRef("https://stemwire.example.org/vocab#isoValue")))
    assert Literal("P6M", datatype=XSD.duration) in follow_ups


def test_each_file_loads_alone_from_a_string_and_from_an_empty_folder(pair, tmp_path) -> None:
    from pyld import jsonld

    def no_network(url: str, options: object = None) -> dict:
        raise AssertionError(f"asked the network for {url}")

    out = pair[0]
    files = [*sorted((out / "jsonld").glob("*")), *sorted((out / "annotations").glob("*")), out / "catalog.jsonld"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        alone = tmp_path / path.name
        shutil.copy(path, alone)
        from_string = Graph().parse(data=text, format="json-ld")
        assert len(from_string) > 10 and len(Graph().parse(alone, format="json-ld")) == len(from_string)
        nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads", "documentLoader": no_network})
        assert len(Graph().parse(data=nquads, format="nquads")) == len(from_string)


def test_vocabulary_shapes_and_json_schema_are_published_beside_the_files(pair) -> None:
    out = pair[0]
    vocab = Graph().parse(out / "vocab.ttl")
    declared = {str(s) for s in vocab.subjects()}
    used = {str(p) for p in merged(out).predicates()} | {
        str(o) for o in merged(out).objects(None, URIRef(str(RDF_TYPE)))
    }
    ours = {t for t in used if t.startswith("https://stemwire.example.org/vocab#")}
    assert ours and ours <= declared, sorted(ours - declared)
    assert Graph().parse(out / "schemas" / "shapes.ttl")
    assert json.loads((out / "schemas" / "article.schema.json").read_text(encoding="utf-8"))["$id"]


RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_csv_rows_name_the_json_ld_nodes_of_their_facts(pair) -> None:
    from csvw import CSVW

    out = pair[0]
    subjects = {str(s) for s in merged(out).subjects()}
    described = CSVW(str(out / "csv" / "csv-metadata.json")).to_json()
    named = {
        table["url"].rsplit("/", 1)[-1].removesuffix(".csv"): [
            r["describes"][0]["@id"] for r in table["row"] if "@id" in r["describes"][0]
        ]
        for table in described["tables"]
    }
    for table in ("articles", "trials", "metrics", "dates", "durations"):
        assert named[table] and set(named[table]) <= subjects, table
    metadata = json.loads((out / "csv" / "csv-metadata.json").read_text(encoding="utf-8"))
    enrollment = next(
        c
        for t in metadata["tables"]
        if t["url"] == "trials.csv"
        for c in t["tableSchema"]["columns"]
        if c["name"] == "enrollment"
    )
    assert "Int64" in enrollment["dc:description"]


def test_validate_names_an_undeclared_key_and_a_claim_on_the_shared_trial(pair, tmp_path) -> None:
    from stemwire.flows.quality.checks import validate_output

    out = tmp_path / "out"
    shutil.copytree(pair[0], out)
    target = out / "jsonld" / "knee-trial-first.jsonld"
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["novelKey"] = "kept, not dropped"  # the context's @vocab keeps it as an sw: term
    trial = next(n for n in doc["mentions"] if n["@type"] == "MedicalTrial")
    trial["enrollment"] = 18  # an article's figure on the registry's node
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = {c.name: c.problems for c in validate_output(out) if c.problems}
    assert found["every stemwire term the graph uses is declared in vocab.ttl"] == [
        "https://stemwire.example.org/vocab#novelKey is not declared"
    ]
    shapes = found["JSON-LD conforms to schemas/shapes.ttl (pyshacl)"]
    assert any(str(TRIAL) in p and "vocab#enrollment" in p for p in shapes)


def test_withdrawn_article_takes_its_text_and_annotations(pair, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(pair[0], out)
    manifest = load_manifest(out)
    name = "knee-trial-second.txt"
    assert name in manifest.entries
    finalize(out, manifest, Inventory(deleted=[name]))
    assert not (out / "text" / "knee-trial-second.txt").exists()
    assert not (out / "annotations" / "knee-trial-second.jsonld").exists()
    assert (out / "text" / "knee-trial-first.txt").exists()


def test_each_file_loads_over_http_with_nothing_else_served(pair, tmp_path) -> None:
    """A web server holding one file alone (no context beside it): rdflib reads it by its URL."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    shutil.copy(pair[0] / "jsonld" / "knee-trial-first.jsonld", tmp_path / "a.jsonld")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/a.jsonld"
        graph = Graph().parse(url, format="json-ld")
    finally:
        server.shutdown()
        server.server_close()
    assert (URIRef(BASE + "knee-trial-first"), SW.trialReport, None) in graph
