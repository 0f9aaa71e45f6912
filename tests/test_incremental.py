"""Fault injection for scheduled, incremental runs: bad files among good ones, every encoding, markup
inputs, deletes and edits, the same article twice, no-op reruns, concurrent runs and kill -9."""

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import opencc
import pyoxigraph
import pytest
from typer.testing import CliRunner

from stemwire.flows.cli import app
from stemwire.flows.output.lock import output_lock
from stemwire.flows.output.manifest import load_manifest
from stemwire.flows.quality.checks import validate_output
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store.bookkeeping import recorded_graphs
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

GOOD = ("ms-hsct-hant", "islet-t1d-hans", "sci-opc-hant-tw")


def raw_with(tmp_path: Path, names=GOOD) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    return raw


def run(raw: Path, out: Path, **options):
    return stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, **options)


def snapshot(out: Path) -> dict[str, str]:
    """Content hashes of every output a consumer reads (the manifest is the run's own bookkeeping).
    The graph store's database files are not byte-reproducible: its content stands for them (each
    graph's IRI and the hash of the file it was loaded from, tests/store_helpers.py checks the rest)."""
    found = {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not {"state", "store"} & set(p.relative_to(out).parts) and p.name != ".stemwire.lock"
    }
    if (out / "store").exists():
        graphs = recorded_graphs(pyoxigraph.Store.read_only(str(out / "store")))
        found["store/"] = json.dumps(sorted((iri, sha) for iri, (sha, _) in graphs.items()))
    return found


def assert_consistent(out: Path) -> None:
    assert not list(out.rglob("*.tmp")), "no temporary file may be left behind"
    records = {p.stem for p in (out / "records").glob("*.json")}
    assert records == {p.stem for p in (out / "jsonld").glob("*.jsonld")}
    failing = {c.name: c.problems for c in validate_output(out) if not c.ok}
    assert failing == {}


def test_bad_files_of_every_kind_never_stop_the_batch(tmp_path: Path) -> None:
    raw = raw_with(tmp_path)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "huge.txt").write_text("干细胞。" * 400, encoding="utf-8")
    (raw / "latin1.txt").write_bytes("caf\xe9 r\xe9sum\xe9 na\xefve ".encode("latin-1") * 30)
    (raw / "download.txt.part").write_text("半个文件", encoding="utf-8")
    (raw / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    out = tmp_path / "out"
    summary = run(raw, out, max_bytes=4000)
    assert summary.published == len(GOOD)
    reasons = {Path(p).name: r for p, r in summary.failures}
    assert reasons["empty.txt"] == "file is empty"
    assert "binary" in reasons["binary.txt"]
    assert "over the 4000-byte limit" in reasons["huge.txt"]
    assert "encoding" in reasons["latin1.txt"]
    assert [Path(p).name for p, _ in summary.not_ready] == ["download.txt.part"]
    for name in ("empty.txt", "binary.txt", "huge.txt", "latin1.txt"):
        error = json.loads((out / "errors" / f"{name}.json").read_text(encoding="utf-8"))
        assert error["reason"] == reasons[name]
    assert_consistent(out)


@pytest.mark.parametrize(
    ("source", "encoding"),
    [
        ("ms-hsct-hant", "big5"),
        ("ms-hsct-hant", "gb18030"),
        ("islet-t1d-hans", "gb18030"),
        ("islet-t1d-hans", "gbk"),
        ("islet-t1d-hans", "utf-16"),
        ("islet-t1d-hans", "utf-16-le"),
        ("ms-hsct-hant", "utf-16-be"),
        ("ms-hsct-hant", "utf-8-sig"),
    ],
)
def test_every_encoding_gives_the_facts_of_the_utf8_original(tmp_path: Path, source: str, encoding: str) -> None:
    from stemwire.extractors.article import extract_record

    original = FIXTURES / "articles" / f"{source}.txt"
    copy = tmp_path / f"{source}.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    a, b = extract_record(original), extract_record(copy)
    assert b.source.encoding.replace("_", "-") in (encoding.replace("gbk", "gb18030"), "utf-8 (BOM)")
    for family in ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "references"):
        assert getattr(a, family) == getattr(b, family), family


def test_html_and_markdown_articles_keep_the_text_their_offsets_refer_to(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.html").write_text(
        "<html><head><title>站点</title><script>var x=1;</script></head><body><h1>干细胞治疗多发性硬化</h1>"
        "<p>2024年9月30日 医学新闻</p><p>这项<b>第三期</b>试验（ISRCTN12345678）共招募120名患者，"
        "EDSS平均下降0.8分。</p></body></html>",
        encoding="utf-8",
    )
    (raw / "note.md").write_text(
        "# 脐带间充质干细胞治疗肝硬化\n\n2024年12月5日\n\n研究（ChiCTR1900028765）招募了**200名**患者，"
        "MELD评分下降2.4分。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run(raw, out)
    assert summary.published == 2 and not summary.failures
    for name in ("page", "note"):
        record = json.loads((out / "records" / f"{name}.json").read_text(encoding="utf-8"))
        assert "<" not in record["text"] and "**" not in record["text"] and "var x" not in record["text"]
        for m in record["mentions"]:
            assert record["text"][m["start"] : m["end"]] == m["text"]
    page = json.loads((out / "records" / "page.json").read_text(encoding="utf-8"))
    assert page["source"]["format"] == "html" and page["trials"][0]["phase"] == "3"
    note = json.loads((out / "records" / "note.json").read_text(encoding="utf-8"))
    assert note["source"]["format"] == "markdown" and note["trials"][0]["enrollment"] == 200


def test_noop_rerun_reads_nothing_and_changes_nothing(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path), tmp_path / "out"
    run(raw, out)
    before = snapshot(out)
    summary = run(raw, out)
    assert (summary.articles_read, summary.unchanged) == (0, len(GOOD))
    assert snapshot(out) == before


def test_a_manifest_written_by_version_1_is_read_and_replaced(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path), tmp_path / "out"
    run(raw, out)
    lines = (out / "state" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    head, entries = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    v1 = {"version": 1, "tables_current": head["tables_current"], "entries": {e["name"]: e for e in entries}}
    (out / "state" / "manifest.json").write_text(json.dumps(v1), encoding="utf-8")
    (out / "state" / "manifest.jsonl").unlink()
    summary = run(raw, out)
    assert (summary.articles_read, summary.unchanged) == (0, len(GOOD))  # nothing re-read
    (raw / "islet-t1d-hans.txt").unlink()
    run(raw, out)  # a change: the manifest is saved in the current form
    assert (out / "state" / "manifest.jsonl").exists() and not (out / "state" / "manifest.json").exists()
    assert load_manifest(out).entries["islet-t1d-hans.txt"].status == "withdrawn"


def test_edit_replaces_under_the_same_id_and_delete_withdraws(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path), tmp_path / "out"
    run(raw, out)
    edited = raw / "ms-hsct-hant.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("共招募120名", "共招募150名"), encoding="utf-8")
    (raw / "sci-opc-hant-tw.txt").unlink()
    summary = run(raw, out)
    assert summary.articles_read == 1 and summary.withdrawn == ["sci-opc-hant-tw"]
    record = json.loads((out / "records" / "ms-hsct-hant.json").read_text(encoding="utf-8"))
    assert record["trials"][0]["enrollment"] == 150
    assert not (out / "records" / "sci-opc-hant-tw.json").exists()
    assert not (out / "jsonld" / "sci-opc-hant-tw.jsonld").exists()
    catalog = {d["name"]: d for d in json.loads((out / "catalog.jsonld").read_text(encoding="utf-8"))["dataset"]}
    assert catalog["sci-opc-hant-tw"]["creativeWorkStatus"] == "withdrawn"
    assert "sci-opc-hant-tw" not in (out / "csv" / "trials.csv").read_text(encoding="utf-8")
    assert_consistent(out)


def test_tables_are_rebuilt_from_row_fragments_and_from_records_where_a_fragment_is_unusable(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path), tmp_path / "out"
    run(raw, out)
    tables = {p.name: p.read_bytes() for p in (out / "csv").glob("*.csv")}
    fragments = out / "state" / "rows"
    assert sorted(p.stem for p in fragments.glob("*.json")) == sorted(GOOD)
    (fragments / "ms-hsct-hant.json").unlink()  # lost
    old = json.loads((fragments / "islet-t1d-hans.json").read_text(encoding="utf-8"))
    old["layout"], old["rows"] = "an-older-layout", {}  # written by an older stemwire
    (fragments / "islet-t1d-hans.json").write_text(json.dumps(old), encoding="utf-8")
    (fragments / "sci-opc-hant-tw.json").write_text("{not json", encoding="utf-8")  # damaged
    (raw / "extra.txt").write_text((FIXTURES / "articles" / "knee-admsc-hans.txt").read_text(encoding="utf-8"))
    run(raw, out)  # a change, so the tables are rebuilt
    rebuilt = {p.name: p.read_bytes() for p in (out / "csv").glob("*.csv")}
    assert rebuilt.keys() == tables.keys()
    for name, table in tables.items():  # the old rows unchanged, the new article's rows added
        assert set(table.splitlines()) <= set(rebuilt[name].splitlines()), name
    assert b"extra" in rebuilt["articles.csv"]
    assert json.loads((fragments / "islet-t1d-hans.json").read_text(encoding="utf-8"))["rows"]
    assert_consistent(out)


def test_the_same_article_in_both_scripts_is_linked_and_counted_once(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path, ["islet-t1d-hans"]), tmp_path / "out"
    simplified = (raw / "islet-t1d-hans.txt").read_text(encoding="utf-8")
    (raw / "islet-t1d-traditional.txt").write_text(opencc.OpenCC("s2t").convert(simplified), encoding="utf-8")
    shutil.copy(raw / "islet-t1d-hans.txt", raw / "islet-t1d-again.txt")
    summary = run(raw, out)
    assert sorted(summary.duplicates) == [
        ("islet-t1d-hans", "islet-t1d-again"),
        ("islet-t1d-traditional", "islet-t1d-again"),
    ]
    doc = json.loads((out / "jsonld" / "islet-t1d-traditional.jsonld").read_text(encoding="utf-8"))
    assert doc["sameAs"].endswith("/article/islet-t1d-again")
    with (out / "csv" / "trials.csv").open(encoding="utf-8", newline="") as fh:
        trials = [row["registry_id"] for row in csv.DictReader(fh)]
    assert trials.count("ChiCTR2300071234") == 1
    assert_consistent(out)


def test_a_second_run_on_the_same_output_stops_with_a_clear_message(tmp_path: Path) -> None:
    raw, out = raw_with(tmp_path), tmp_path / "out"
    with output_lock(out):
        result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 3
    assert "being written by another stemwire run" in result.output
    assert not (out / "records").exists()


def _run_cli(raw: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    args = [
        sys.executable,
        "-m",
        "stemwire.flows.cli",
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--batch-size",
        "1",
    ]
    # A session of its own, so that a kill takes the run's Prefect server along instead of leaving it
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_kill_9_at_any_moment_then_rerun_leaves_consistent_output(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(12):  # enough one-article batches that a kill lands mid-run
        for name in GOOD:
            text = (FIXTURES / "articles" / f"{name}.txt").read_text(encoding="utf-8")
            (raw / f"{name}-{i:02d}.txt").write_text(f"{text}\n第{i}份副本。\n", encoding="utf-8")
    out = tmp_path / "out"
    for delay in (1.0, 4.0, 7.0):
        proc = _run_cli(raw, out)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _run_cli(raw, out).wait(timeout=300) == 0
    assert_consistent(out)
    manifest = load_manifest(out)
    assert manifest.tables_current and len(manifest.published()) == 36
    assert len(list((out / "records").glob("*.json"))) == 36


@pytest.mark.parametrize("dask", [False, True], ids=["process-pool", "dask"])
def test_two_workers_publish_what_one_does(tmp_path: Path, dask: bool) -> None:
    """Whatever runs the batches (the flow's own process, a pool of two processes, a local Dask
    cluster), the published files are byte-identical."""
    if dask:
        pytest.importorskip("prefect_dask")
    from stemwire.flows.run_flow import task_runner_for

    raw = raw_with(tmp_path, [*GOOD, "cardio-ipsc-hans", "knee-admsc-hans"])
    run(raw, tmp_path / "one", batch_size=2)
    pooled = stemwire_run.with_options(task_runner=task_runner_for(2, dask=dask))
    summary = pooled(raw_dir=raw, out_dir=tmp_path / "two", settle_seconds=0, batch_size=2, workers=2)
    assert summary.published == 5
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")
