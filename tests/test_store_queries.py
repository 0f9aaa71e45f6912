"""The example queries: the same rows from rdflib over the published JSON-LD files as from the
embedded store; the trial pair's enrollment conflict found; `stemwire query` prints each format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from stemwire.flows.cli import app
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store.query import Result, cell_text, named_queries, query_store
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")
SAMPLE = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's sample article and the trial pair (one trial, 18 vs 20 enrolled), published."""
    raw = tmp_path_factory.mktemp("raw")
    for path in [*SAMPLE.glob("*.txt"), *(FIXTURES / "trial_pair").glob("*.txt")]:
        shutil.copy(path, raw / path.name)
    out = raw.parent / "out"
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    return out


def _rdflib_rows(out: Path, text: str) -> Result:
    dataset = rdflib.Dataset()
    for path in sorted(OutputLayout(out).jsonld_dir.glob("*.jsonld")):
        document = json.loads(path.read_text(encoding="utf-8"))
        dataset.graph(rdflib.URIRef(document["@id"])).parse(data=json.dumps(document), format="json-ld")
    result = dataset.query(text)
    columns = [str(v) for v in result.vars or []]

    def cell(term: object) -> str:
        if term is None:
            return ""
        if isinstance(term, rdflib.Literal):
            return cell_text(str(term), str(term.datatype) if term.datatype else None)
        return str(term)

    return Result(columns, [[cell(row[c]) for c in columns] for row in result])


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_rdflib_over_the_files_and_the_store_give_the_same_rows(published: Path, name: str) -> None:
    text = named_queries()[name]
    from_store = query_store(OutputLayout(published).store_dir, text)
    from_files = _rdflib_rows(published, text)
    assert from_store.columns == from_files.columns
    assert sorted(from_store.rows) == sorted(from_files.rows)
    if name != "new-articles-per-week":  # the sample's articles carry no day of publication
        assert from_store.rows, f"{name} found nothing on the sample"


def test_the_trial_pairs_enrollment_conflict_is_found(published: Path) -> None:
    rows = query_store(OutputLayout(published).store_dir, named_queries()["conflicting-claims"])
    found = [dict(zip(rows.columns, r, strict=True)) for r in rows.rows if r[1] == "enrollment"]
    assert len(found) == 1
    assert {found[0]["value_a"], found[0]["value_b"]} == {"18", "20"}
    assert {found[0]["article_a"].rsplit("/", 1)[1], found[0]["article_b"].rsplit("/", 1)[1]} == {
        "knee-trial-first",
        "knee-trial-second",
    }


def test_stemwire_query_lists_and_prints_csv_and_json(published: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list"])
    assert listed.exit_code == 0 and set(named_queries()) == {
        line.split("\t")[0] for line in listed.stdout.splitlines()
    }
    as_csv = runner.invoke(app, ["query", "trials-by-cell-type", "--out", str(published), "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {(r["cell_type"], r["trial"], r["phase"]) for r in rows} == {
        ("mesenchymal stem cell of umbilical cord", "NCT05123456", "1"),
        ("mesenchymal stem cell of umbilical cord", "NCT05123456", "2"),
        ("neural stem cell", "NCT04631406", "1/2a"),
    }
    as_json = runner.invoke(app, ["query", "trials-by-cell-type", "--out", str(published), "--format", "json"])
    assert json.loads(as_json.stdout) == rows
    missing = runner.invoke(app, ["query", "trials-by-cell-type", "--out", str(published / "nowhere")])
    assert missing.exit_code != 0


def test_new_articles_per_week_counts_days_from_the_first_of_january(tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(tmp_path / "store"))
    published = ox.NamedNode("http://schema.org/datePublished")
    dates = {"a": "2025-01-07", "b": "2025-01-08", "c": "2025-01-14", "d": "2024-03-01", "e": "2025-03-01"}
    for name, day in dates.items():
        article = ox.NamedNode(f"https://example.org/article/{name}")
        date = ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
        store.add(ox.Quad(article, published, date, article))
    del store
    rows = query_store(tmp_path / "store", named_queries()["new-articles-per-week"]).rows
    # 1 March is day 61 of leap 2024 (week 09) and day 60 of 2025 (week 09 too); 8 January opens week 02.
    assert rows == [["2024-W09", "1"], ["2025-W01", "1"], ["2025-W02", "2"], ["2025-W09", "1"]]
