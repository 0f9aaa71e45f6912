"""The serve --watch benchmark really measures: a real `stemwire serve --watch`, a dropped article
published, a positive finite latency, and nothing of the server left running afterwards (the figure
is checked for sense, never for speed)."""

import math
import os
import sys
from pathlib import Path

import psutil
import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.quality import bench_watch
from stemwire.flows.quality.bench_watch import watch_figures, watch_latency


def _ours(process: psutil.Process, tmp_path: Path) -> bool:
    """Started for this test: its command line names the test's folder, or its PREFECT_HOME is there."""
    try:
        return any(str(tmp_path) in part for part in process.cmdline()) or str(tmp_path) in process.environ().get(
            "PREFECT_HOME", ""
        )
    except psutil.Error:
        return False


def test_watch_bench_measures_dropped_articles_and_leaves_nothing_running(tmp_path: Path) -> None:
    figures = watch_latency(drops=1, growing=True, workdir=tmp_path)
    assert figures["watch_drops"] == 2 == len(figures["watch_latencies_s"])
    for key in ("watch_latency_median_s", "watch_latency_max_s", "watch_growing_write_s"):
        assert math.isfinite(figures[key]) and figures[key] > 0, key
    assert figures["watch_latency_median_s"] <= figures["watch_latency_max_s"]
    # Both dropped articles (the renamed one and the slow write) were published as JSON-LD.
    staged = sorted(p.stem for p in (tmp_path / "staging").glob("*.txt"))
    assert len(staged) == 3  # the seed and the two drops
    assert all(OutputLayout(tmp_path / "out").jsonld(stem).is_file() for stem in staged)
    assert figures["watch_clean_stop"] is True  # serve stopped on SIGTERM, nothing needed killing
    left = [p.pid for p in psutil.process_iter() if p.pid != os.getpid() and _ours(p, tmp_path)]
    assert not left, f"processes left running: {left}"


def test_a_server_that_dies_gives_no_figure_but_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A serve that exits before it is ready: the bench says why and reports nothing, without waiting out its timeout."""
    fails = [sys.executable, "-c", "import sys; print('no Prefect here'); sys.exit(3)"]
    monkeypatch.setattr(bench_watch, "stemwire_command", lambda: fails)
    figures = watch_figures(tmp_path)
    assert all(figures[key] is None for key in bench_watch.FIGURES)
    assert "exited with status 3" in figures["watch_error"] and "no Prefect here" in figures["watch_error"]
