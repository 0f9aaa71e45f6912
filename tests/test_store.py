"""The embedded store (OUT/store/) follows the published files: edits, deletions, a half-loaded graph
left by a killed run, and a real kill -9 of `stemwire run` during the store's load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, article_iri
from stemwire.flows.quality.synthetic import write_corpus
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store.bookkeeping import RECORD, recorded_graphs, replace
from stemwire.flows.store.embedded import sync_store
from tests.store_helpers import assert_store_matches

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _run(raw: Path, out: Path) -> None:
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, batch_size=4)


def test_edits_and_deletions_show_in_the_store(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = write_corpus(raw, 6)
    _run(raw, out)
    assert assert_store_matches(out) == 6
    store_dir = OutputLayout(out).store_dir
    before = recorded_graphs(ox.Store.read_only(str(store_dir)))
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\n该研究共纳入42名受试者。\n", encoding="utf-8")
    paths[1].unlink()
    _run(raw, out)
    assert assert_store_matches(out) == 5
    after = recorded_graphs(ox.Store.read_only(str(store_dir)))
    changed = {iri for iri in after if after[iri][0] != before[iri][0]}
    assert len(changed) == 1 and len(before) - len(after) == 1


def test_a_half_loaded_graph_is_cleared_and_reloaded(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 3)
    _run(raw, out)
    layout = OutputLayout(out)
    files = {article_iri(DEFAULT_BASE_IRI, p.stem): p for p in sorted(layout.jsonld_dir.glob("*.jsonld"))}
    victim = next(iter(files))
    store = ox.Store(str(layout.store_dir))
    junk = ox.NamedNode("https://example.org/left-by-a-killed-run")
    # As a run killed while reloading the victim leaves it: record forgotten, graph partly loaded...
    replace(store, [victim], RECORD)
    store.remove_graph(ox.NamedNode(victim))
    store.add(ox.Quad(junk, junk, junk, ox.NamedNode(victim)))
    store.add(ox.Quad(junk, junk, junk, junk))  # ...and a graph no article owns any more
    del store
    sync = sync_store(layout.store_dir, files)
    assert sync.loaded == [victim] and sync.unchanged == 2
    assert assert_store_matches(out) == 3


def test_a_no_op_sync_writes_nothing(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 2)
    _run(raw, out)
    layout = OutputLayout(out)
    files = {article_iri(DEFAULT_BASE_IRI, p.stem): p for p in sorted(layout.jsonld_dir.glob("*.jsonld"))}
    sync = sync_store(layout.store_dir, files)
    assert (sync.loaded, sync.dropped, sync.unchanged) == ([], [], 2)


def _run_cli(raw: Path, out: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "stemwire.flows.cli", "run", "--raw", str(raw), "--out", str(out)]
    # A session of its own, so that the kill takes the run's Prefect server along.
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_kill_9_while_the_store_loads_then_rerun(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 60)  # more than BULK_ARTICLES: the non-transactional bulk load
    proc = _run_cli(raw, out)
    store_dir = OutputLayout(out).store_dir
    deadline = time.monotonic() + 300
    while not store_dir.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)  # into the load itself
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store_dir.exists(), "the run ended before its store step: nothing was tested"
    assert _run_cli(raw, out).wait(timeout=300) == 0
    assert assert_store_matches(out) == 60
