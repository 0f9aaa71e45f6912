"""The store's part of `stemwire bench`: load throughput, size at N and 4N, and what the store adds
to end-to-end time (runs with and without it, each a marginal rate over two corpus sizes)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, article_iri
from stemwire.flows.store.embedded import sync_store


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def store_figures(
    out_n: Path, out_4n: Path, e2e_articles_per_s: float | None, e2e_without_store: float | None
) -> dict[str, Any]:
    """A fresh load of the N run's published JSON-LD, timed alone (the work a first run does for the
    store, which a run overlaps with extraction), the size of the stores the N and 4N runs left, and
    the end-to-end time the store adds: 1/rate with it over 1/rate without it, less one."""
    layout = OutputLayout(out_n)
    files = {article_iri(DEFAULT_BASE_IRI, p.stem): p for p in sorted(layout.jsonld_dir.glob("*.jsonld"))}
    with tempfile.TemporaryDirectory(prefix="stemwire-bench-store-") as tmp:
        started = time.perf_counter()
        sync_store(Path(tmp) / "store", files)
        seconds = time.perf_counter() - started
        quads = len(ox.Store.read_only(str(Path(tmp) / "store")))
    with_store, without = e2e_articles_per_s, e2e_without_store
    return {
        "store_quads_per_s": quads / seconds if seconds else None,
        "store_load_ms_per_article": seconds / max(1, len(files)) * 1000,
        "store_size_mb": _size_mb(layout.store_dir),
        "store_size_mb_4n": _size_mb(OutputLayout(out_4n).store_dir),
        "e2e_articles_per_s_no_store": without,
        "store_share_of_e2e": without / with_store - 1 if with_store and without else None,
    }
