"""The benchmark and its corpus generator work (figures are checked for sense, never for speed)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from stemwire.extractors.article import extract_record
from stemwire.flows.cli import app
from stemwire.flows.quality.synthetic import write_corpus


def test_synthetic_articles_are_long_in_both_scripts_and_full_of_facts(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 6)
    assert write_corpus(tmp_path / "again", 6)[3].read_text() == paths[3].read_text()  # deterministic
    records = [extract_record(p) for p in paths]
    assert all(4500 <= r.source.chars <= 7000 for r in records)
    assert {r.source.script for r in records} == {"simplified", "traditional"}
    assert all(r.trials and r.metrics and r.dates and r.cell_types for r in records)


def test_bench_prints_every_figure_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", "--articles", "4", "--json", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "bare_articles_per_s",
        "bare_cpu_s",
        "noop_seconds",
        "noop_seconds_4n",
        "peak_memory_mb",
        "peak_memory_mb_4n",
        "peak_rss_sum_mb",
        "store_quads_per_s",
        "store_load_ms_per_article",
        "store_size_mb",
        "store_size_mb_4n",
        "watch_drops",
        "watch_latency_median_s",
        "watch_latency_max_s",
    ):
        assert figures[key] > 0, key
    # Marginal rates come from the difference of two run times: at N=4 it may be lost in noise, and then
    # the figure is absent ("-"), never negative or made up.
    for key in (
        "e2e_articles_per_s_1_worker",
        "e2e_articles_per_s_all_workers",
        "e2e_articles_per_s_no_store",
        "startup_s_1_worker",
    ):
        assert figures[key] is None or figures[key] > 0, key
    # Memory is the run's whole process tree: Prefect's server and the workers are in it.
    assert figures["peak_memory_mb"] > 150
    # Shared pages count once in the proportional figure and once per process in the RSS sum.
    assert figures["peak_memory_mb"] <= figures["peak_rss_sum_mb"]
    # The peak's parts (cores permitting, a pool): each present part is some of the whole, and they add up to it.
    parts = {role: figures[f"peak_memory_{role}_mb"] for role in ("flow", "prefect_server", "worker_server", "workers")}
    assert parts["flow"] > 0 and parts["prefect_server"] > 50
    assert sum(v for v in parts.values() if v) <= figures["peak_memory_mb"] + 1e-6
    assert figures["first_record_s"] > 0 and figures["articles"] == 4
    assert set(figures["met"]) == set(figures["targets"])
    assert "bare extraction, articles per CPU-second" in result.output
    # serve --watch, started as a user starts it: every drop published, its slowest one against the 15 s target.
    assert figures["watch_latency_median_s"] <= figures["watch_latency_max_s"]
    assert "watch_latency_max_s" in figures["met"] and "serve --watch: drop to published JSON-LD" in result.output
