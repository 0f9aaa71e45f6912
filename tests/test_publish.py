import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef

from flows.batch import process_article, publish_article, publish_run
from flows.publish.jsonld import CONTEXT_FILE
from flows.publish.tables import cell, render_table
from tests.helpers import FIXTURES


def local_loader(out_dir: Path):
    """A pyld document loader that serves only the published local context: no network."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if not url.endswith(CONTEXT_FILE):
            raise RuntimeError(f"unexpected remote document {url}")
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads((out_dir / CONTEXT_FILE).read_text(encoding="utf-8")),
        }

    return load


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    outcomes = [process_article(p) for p in sorted((FIXTURES / "articles").glob("*.txt"))]
    for o in outcomes:
        publish_article(o, out)
    publish_run(outcomes, out)
    return out


def test_jsonld_parses_offline_in_pyld_and_rdflib(published: Path) -> None:
    files = sorted((published / "jsonld").glob("*.jsonld"))
    assert len(files) == len(list((FIXTURES / "gold").glob("*.gold.json")))
    loader = local_loader(published)
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        base = path.resolve().as_uri()
        expanded = jsonld.expand(doc, {"base": base, "documentLoader": loader})
        assert expanded and "https://schema.org/mentions" in expanded[0]
        nquads = jsonld.to_rdf(doc, {"base": base, "documentLoader": loader, "format": "application/n-quads"})
        graph = Graph().parse(data=nquads, format="nquads")
        assert len(graph) > 50
        assert len(Graph().parse(path, format="json-ld")) == len(graph)


def test_cell_types_and_trials_have_shared_public_ids(published: Path) -> None:
    graph = Graph()
    for path in (published / "jsonld").glob("*.jsonld"):
        graph.parse(path, format="json-ld")
    rows = graph.query(
        "SELECT ?t ?phase WHERE { ?t a <https://schema.org/MedicalTrial> ; <https://schema.org/phase> ?phase }"
    )
    assert ("https://clinicaltrials.gov/study/NCT02590692", "1") in {(str(t), str(p)) for t, p in rows}
    cl = URIRef("http://purl.obolibrary.org/obo/CL_0002586")
    assert (cl, URIRef("https://schema.org/termCode"), Literal("CL:0002586")) in graph


def test_failed_article_is_reported_and_others_published(published: Path) -> None:
    error = json.loads((published / "errors" / "broken-empty.txt.json").read_text(encoding="utf-8"))
    assert error["reason"] == "file is empty"
    assert not (published / "records" / "broken-empty.json").exists()
    catalog = json.loads((published / "catalog.jsonld").read_text(encoding="utf-8"))
    assert len(catalog["dataset"]) == len(list((published / "records").glob("*.json"))) > 3


def test_csv_tables_have_stable_headers_and_article_ids(published: Path) -> None:
    with (published / "csv" / "metrics.csv").open(encoding="utf-8", newline="") as fh:
        raw = fh.read()
    assert "\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows and all(r["article_id"] for r in rows)
    assert "100000000" in {r["value"] for r in rows}  # 1亿个心肌细胞
    assert all("e" not in r["value"].lower() for r in rows), "numbers must be plain decimals"


def test_cells_that_start_a_formula_are_neutralised() -> None:
    assert cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(-5.52) == "-5.52"  # numbers stay numbers
    assert cell(1e8) == "100000000"
    table = render_table("dates", [{"article_id": "a", "text": 'x,"y"\nz'}], bom=True)
    assert table.startswith("\ufeffarticle_id,") and '"x,""y""\nz"' in table
