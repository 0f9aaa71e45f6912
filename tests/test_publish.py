import copy
import csv
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef

from stemwire.flows.publish.jsonld import article_document, local_document_loader
from stemwire.flows.publish.tables import cell, table_fragment, write_tables
from stemwire.flows.quality.checks import validate_output
from tests.helpers import DEV_CORPUS, FIXTURES, publish


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish(sorted((FIXTURES / "articles").glob("*.txt")), tmp_path_factory.mktemp("out"))


def problems(out: Path) -> dict[str, list[str]]:
    return {c.name: c.problems for c in validate_output(out) if c.problems}


def test_jsonld_parses_offline_in_pyld_and_rdflib(published: Path) -> None:
    files = sorted((published / "jsonld").glob("*.jsonld"))
    assert len(files) == len(list((FIXTURES / "gold").glob("*.gold.json")))
    loader = local_document_loader(published)
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        base = path.resolve().as_uri()
        expanded = jsonld.expand(doc, {"base": base, "documentLoader": loader})
        assert expanded and "http://schema.org/mentions" in expanded[0]
        nquads = jsonld.to_rdf(doc, {"base": base, "documentLoader": loader, "format": "application/n-quads"})
        graph = Graph().parse(data=nquads, format="nquads")
        assert len(graph) > 50
        assert len(Graph().parse(path, format="json-ld")) == len(graph)


def test_local_loader_refuses_the_network(published: Path) -> None:
    with pytest.raises(ValueError, match="remote"):
        local_document_loader(published)("https://schema.org/")


def test_published_output_passes_every_check(published: Path) -> None:
    assert problems(published) == {}


def test_trials_carry_conditions_interventions_and_study_results(published: Path) -> None:
    graph = Graph()
    for path in (published / "jsonld").glob("*.jsonld"):
        graph.parse(path, format="json-ld")
    # What the article says of the trial is the article's own node (issue 18), linked to the trial.
    query = """
        PREFIX s: <http://schema.org/> PREFIX sw: <https://stemwire.example.org/vocab#>
        SELECT ?phase ?code ?cell WHERE {
          ?report sw:reportedTrial <https://clinicaltrials.gov/study/NCT02590692> ; sw:trialPhase ?phase ;
              sw:condition/s:code/s:codeValue ?code ; sw:intervention ?cell .
        }"""
    rows = {(str(p), str(c), str(cell)) for p, c, cell in graph.query(query)}
    assert ("1", "H35.3", "http://purl.obolibrary.org/obo/CL_0002586") in rows
    cl = URIRef("http://purl.obolibrary.org/obo/CL_0002586")
    assert (cl, URIRef("http://schema.org/termCode"), Literal("CL:0002586")) in graph
    results = graph.query(
        """PREFIX s: <http://schema.org/>
        SELECT ?v WHERE { [] a s:Observation ; s:observationAbout <https://clinicaltrials.gov/study/NCT02590692> ;
                             s:value ?v }"""
    )
    assert len(list(results)) >= 3


def test_shapes_catch_a_trial_without_identifier_and_a_metric_without_measure(published: Path, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(published, out)
    target = out / "jsonld" / "sci-opc-hant-tw.jsonld"
    doc = json.loads(target.read_text(encoding="utf-8"))
    broken = copy.deepcopy(doc)
    for node in broken["mentions"]:
        node.pop("identifier", None)
    del broken["observation"][0]["variableMeasured"]
    target.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    found = problems(out)["JSON-LD conforms to schemas/shapes.ttl (pyshacl)"]
    assert any("identifier" in p for p in found) and any("variableMeasured" in p for p in found)


def test_the_same_trial_under_two_ids_is_reported(published: Path, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(published, out)
    record = json.loads((out / "records" / "sci-opc-hant-tw.json").read_text(encoding="utf-8"))
    record["id"] = "copy"
    record["trials"][0]["url"] = "https://example.org/other-page"
    (out / "jsonld" / "copy.jsonld").write_text(json.dumps(article_document(record)), encoding="utf-8")
    assert problems(out)["one node per trial and per cell type"] == ["trial KCT0005678: 2 nodes"]


def test_catalog_lists_hash_and_modification_time(published: Path) -> None:
    catalog = json.loads((published / "catalog.jsonld").read_text(encoding="utf-8"))
    entries = {e["name"]: e for e in catalog["dataset"]}
    assert len(entries) == len(list((published / "records").glob("*.json")))
    entry = entries["ms-hsct-hant"]
    mtime = int(os.stat(FIXTURES / "articles" / "ms-hsct-hant.txt").st_mtime)
    assert entry["dateModified"].endswith("Z") and entry["schemaVersion"] == catalog["schemaVersion"]
    assert catalog["dateModified"] == max(e["dateModified"] for e in entries.values())
    assert entry["dateModified"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime))


def test_failed_article_is_reported_and_others_published(published: Path) -> None:
    error = json.loads((published / "errors" / "broken-empty.txt.json").read_text(encoding="utf-8"))
    assert error["reason"] == "file is empty"
    assert not (published / "records" / "broken-empty.json").exists()


def test_csv_tables_have_stable_headers_and_article_ids(published: Path) -> None:
    with (published / "csv" / "metrics.csv").open(encoding="utf-8", newline="") as fh:
        raw = fh.read()
    assert "\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows and all(r["article_id"] for r in rows)
    assert "100000000" in {r["value"] for r in rows}  # 1亿个心肌细胞
    assert all("e" not in r["value"].lower() for r in rows), "numbers must be plain decimals"


def test_csvw_check_catches_a_broken_foreign_key(published: Path, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(published, out)
    dates = out / "csv" / "dates.csv"
    text = dates.read_bytes().decode("utf-8")
    first_id = text.split("\r\n")[1].split(",")[0]
    dates.write_bytes(text.replace(f"\r\n{first_id},", "\r\nno-such-article,", 1).encode("utf-8"))
    found = problems(out)["CSV tables match their CSVW metadata (csvw)"]
    assert found and "no-such-article" in found[0]


def test_formula_in_an_article_is_text_in_every_table(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "formula.txt").write_text(
        '=HYPERLINK("http://x.example")干细胞新闻\n\n研究(NCT01234567)纳入20名患者。\n', encoding="utf-8"
    )
    out = publish([raw / "formula.txt"], tmp_path / "out", bom=True)
    articles = (out / "csv" / "articles.csv").read_text(encoding="utf-8-sig")
    title = next(csv.DictReader(io.StringIO(articles)))["title"]
    assert title.startswith("'=HYPERLINK(")
    assert problems(out) == {}


def test_cells_that_start_a_formula_are_neutralised() -> None:
    assert cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(-5.52) == "-5.52"  # numbers stay numbers
    assert cell(1e8) == "100000000"


def test_tables_quote_rfc4180_and_start_with_a_bom_on_request(tmp_path: Path) -> None:
    record = json.loads((FIXTURES / "records" / "valid.json").read_text(encoding="utf-8"))
    record["dates"][0]["text"] = 'x,"y"\nz'
    write_tables([table_fragment(record)], tmp_path, bom=True)
    table = (tmp_path / "dates.csv").read_bytes().decode("utf-8")
    assert table.startswith("\ufeffarticle_id,") and '"x,""y""\nz"' in table


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="../shared/corpus/dev is absent")
def test_dev_corpus_output_passes_every_check(tmp_path) -> None:
    out = publish(sorted(DEV_CORPUS.glob("*.txt")), tmp_path / "out")
    checks = {c.name: c for c in validate_output(out)}
    assert all(c.ok for c in checks.values()), {n: c.problems[:3] for n, c in checks.items() if not c.ok}
    assert checks["one node per trial and per cell type"].checked > 30


def test_streamed_catalog_is_the_sorted_compact_json_of_itself() -> None:
    from stemwire.flows.publish.jsonld import catalog_chunks

    entries = [
        {"id": "a", "path": "raw/a.txt", "sha256": "0" * 64, "modified": "2025-01-01T00:00:00Z", "status": "published"},
        {"id": "b", "path": "raw/b.txt", "sha256": "1" * 64, "modified": "2025-02-01T00:00:00Z", "status": "withdrawn"},
        {"id": "c", "path": "raw/c.txt", "sha256": "2" * 64, "modified": "2025-01-03T00:00:00Z", "duplicate_of": "a"},
    ]
    text = "".join(catalog_chunks(entries, "https://example.org/", "2025-02-01T00:00:00Z"))
    catalog = json.loads(text)
    assert text == json.dumps(catalog, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert [d["creativeWorkStatus"] for d in catalog["dataset"]] == ["published", "withdrawn", "published"]
    assert "distribution" not in catalog["dataset"][1] and catalog["dataset"][2]["sameAs"].endswith("/dataset/a")


def test_what_a_page_says_about_itself_is_in_its_json_ld() -> None:
    from stemwire import extract_file

    record = extract_file(FIXTURES / "pages" / "msc-jsonld-hans.html").model_dump(mode="json")
    graph = Graph().parse(data=json.dumps(article_document(record), ensure_ascii=False), format="json-ld")
    article = URIRef("https://stemwire.example.org/article/msc-jsonld-hans")
    schema, sw = "http://schema.org/", "https://stemwire.example.org/vocab#"
    page = record["page"]
    assert graph.value(article, URIRef(schema + "url")) == URIRef(page["canonical_url"])
    assert str(graph.value(article, URIRef(schema + "dateModified"))) == page["date_modified"]
    assert str(graph.value(article, URIRef(schema + "creditText"))) == page["author"]
    assert str(graph.value(article, URIRef(sw + "dateSource"))) == page["date_source"]
    publisher = graph.value(article, URIRef(schema + "publisher"))
    assert str(graph.value(publisher, URIRef(schema + "name"))) == page["site_name"]
    # An address that is no IRI, a bare week: no fact rather than a broken one.
    odd = copy.deepcopy(record)
    odd["page"] = {**page, "canonical_url": "news.example.cn/a b", "date_modified": "2022-W33"}
    document = article_document(odd)
    assert "url" not in document and "dateModified" not in document
