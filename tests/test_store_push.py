"""Pushing the store to a real SPARQL server (`oxigraph serve`, started here on loopback): an
unreachable endpoint is reported and the files still published; the next run pushes what is missing;
the example queries give the same rows from the server as from the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store.push import GRAPH_STORE_ENV
from stemwire.flows.store.query import named_queries, query_endpoint, query_store
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")
OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server (PyPI package `oxigraph`, a dev dependency) is not installed")
    port = _free_port()
    args = [OXIGRAPH, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_unreachable_then_pushed_and_the_server_answers_as_the_store(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(FIXTURES / "trial_pair", raw)
    dead = f"http://127.0.0.1:{_free_port()}/store"
    monkeypatch.setenv(GRAPH_STORE_ENV, dead)
    summary = stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    assert summary.published == 2
    assert any(dead in w and "could not be reached" in w for w in summary.warnings), summary.warnings
    layout = OutputLayout(out)
    assert layout.store_push_pending.exists() and len(list(layout.jsonld_dir.glob("*.jsonld"))) == 2

    monkeypatch.delenv(GRAPH_STORE_ENV)  # from here on as `stemwire run --sparql-endpoint URL` passes it
    endpoint = f"{server}/store"
    summary = stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, sparql_endpoint=endpoint)  # only the push
    assert not [w for w in summary.warnings if "graph store" in w] and not layout.store_push_pending.exists()
    for name, text in named_queries().items():
        local = query_store(layout.store_dir, text)
        remote = query_endpoint(f"{server}/query", text)
        assert (remote.columns, sorted(remote.rows)) == (local.columns, sorted(local.rows)), name

    (raw / "knee-trial-second.txt").unlink()  # withdrawn: its graph leaves the server too
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, sparql_endpoint=endpoint)
    remote = query_endpoint(f"{server}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert remote.rows == [["https://stemwire.example.org/article/knee-trial-first"]]
