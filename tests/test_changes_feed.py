"""The changes feed: a page per run that changed something, with what it created, updated and
withdrew (article IRI, time, hash of the graph's file); a no-op run adds no page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.quality.synthetic import write_corpus
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store.graphs import file_sha256

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_page_per_run_with_created_updated_and_withdrawn(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = write_corpus(raw, 3)
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    layout = OutputLayout(out)
    first = _read(layout.changes_dir / "run-000001.jsonld")
    assert first["type"] == "OrderedCollectionPage" and {a["type"] for a in first["orderedItems"]} == {"Create"}
    created = {a["object"]: a["recordHash"] for a in first["orderedItems"]}
    assert created == {
        f"https://stemwire.example.org/article/{p.stem}": file_sha256(layout.jsonld(p.stem))
        for p in sorted(layout.jsonld_dir.glob("*.jsonld"))
    }

    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)  # a no-op run: no page
    assert _read(layout.changes_dir / "index.jsonld")["sw:pages"] == 1

    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\n随访期间未见严重不良事件。\n", encoding="utf-8")
    paths[1].unlink()
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    second = _read(layout.changes_dir / "run-000002.jsonld")
    kinds = sorted((a["type"], a["object"].rsplit("/", 1)[1]) for a in second["orderedItems"])
    assert kinds == sorted([("Update", paths[0].stem), ("Delete", paths[1].stem)])
    assert second["prev"] == first["id"] and _read(layout.changes_dir / "run-000001.jsonld")["next"] == second["id"]
    index = _read(layout.changes_dir / "index.jsonld")
    assert (index["type"], index["totalItems"], index["last"]) == ("OrderedCollection", 5, second["id"])
