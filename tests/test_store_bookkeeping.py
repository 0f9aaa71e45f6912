"""The store's bookkeeping: every change reaches the changes feed at least once, whatever point a
run was killed at; what the store leaves out of an article's graph; blank nodes stay per article;
and `--no-store` runs, after which the next run that keeps the store catches up."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from stemwire.flows.batch import process_batch
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import load_manifest
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, SW, article_iri, inline_context
from stemwire.flows.quality.synthetic import write_corpus
from stemwire.flows.run_flow import stemwire_run
from stemwire.flows.store import bookkeeping as books
from stemwire.flows.store.documents import GRAPH_FORMAT, graph_body
from stemwire.flows.store.embedded import GraphLoader, Prepared, reconcile
from stemwire.flows.store.graphs import file_sha256
from stemwire.flows.store.update import update_store
from tests.store_helpers import assert_store_matches

pytestmark = pytest.mark.usefixtures("prefect_harness")
NOW = "2026-12-02T00:00:00Z"


def _published(tmp_path: Path, count: int) -> tuple[Path, Path, OutputLayout]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, count)
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    return raw, out, OutputLayout(out)


def _last_page(layout: OutputLayout) -> list[tuple[str, str]]:
    index = json.loads((layout.changes_dir / "index.jsonld").read_text(encoding="utf-8"))
    page = json.loads((layout.changes_dir / f"run-{index['sw:pages']:06d}.jsonld").read_text(encoding="utf-8"))
    return sorted((item["type"], item["object"].rsplit("/", 1)[1]) for item in page["orderedItems"])


def _edit(path: Path) -> None:
    """A new version of a published JSON-LD file, as a later run would write it."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document["headline"] = document.get("headline", "") + "（更新）"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _finish(out: Path, layout: OutputLayout) -> None:
    """What the end of the next run does for the store."""
    update_store(layout, load_manifest(out).published(), DEFAULT_BASE_IRI, NOW)


def test_a_load_whose_page_was_never_written_is_announced_by_the_next_run(tmp_path: Path) -> None:
    _, out, layout = _published(tmp_path, 3)
    first, second = sorted(layout.jsonld_dir.glob("*.jsonld"))[:2]
    _edit(first)
    _edit(second)
    loader = GraphLoader(ox.Store(str(layout.store_dir)))
    loader.add(article_iri(DEFAULT_BASE_IRI, first.stem), first)
    loader.flush()  # loaded and recorded; the run is killed before its page
    # The second article's reload is cut short after its record was forgotten and its graph cleared.
    iri = article_iri(DEFAULT_BASE_IRI, second.stem)
    books.replace(loader.store, [iri], books.RECORD)  # its record forgotten, its pending change kept
    loader.store.extend(books.pending(iri, "Update", "old"))
    loader.store.remove_graph(ox.NamedNode(iri))
    del loader
    _finish(out, layout)
    assert _last_page(layout) == [("Update", first.stem), ("Update", second.stem)]
    assert assert_store_matches(out) == 3
    assert books.pending_changes(ox.Store.read_only(str(layout.store_dir))) == {}


def test_a_graph_withdrawn_before_it_was_announced_is_not_in_the_feed(tmp_path: Path) -> None:
    _, out, layout = _published(tmp_path, 2)
    pages = len(list(layout.changes_dir.glob("run-*.jsonld")))
    stray = layout.jsonld_dir / "not-announced.jsonld"
    stray.write_bytes(next(layout.jsonld_dir.glob("*.jsonld")).read_bytes())
    loader = GraphLoader(ox.Store(str(layout.store_dir)))
    loader.add(article_iri(DEFAULT_BASE_IRI, "not-announced"), stray)
    loader.flush()
    del loader
    stray.unlink()
    _finish(out, layout)
    assert len(list(layout.changes_dir.glob("run-*.jsonld"))) == pages  # nothing to announce: no page
    assert assert_store_matches(out) == 2


def test_the_store_holds_the_claims_and_their_words_but_no_offsets_nor_mentions(tmp_path: Path) -> None:
    *_, layout = _published(tmp_path, 2)
    store = ox.Store.read_only(str(layout.store_dir))
    for name in ("start", "end", "startUtf16", "endUtf16"):
        assert not list(store.quads_for_pattern(None, ox.NamedNode(SW + name), None)), name
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for kind in ("DateMention", "DurationMention", "Mention"):
        assert not list(store.quads_for_pattern(None, rdf_type, ox.NamedNode(SW + kind))), kind
    assert list(store.quads_for_pattern(None, ox.NamedNode(SW + "text"), None))
    assert list(store.quads_for_pattern(None, ox.NamedNode(SW + "followUp"), None))
    assert list(store.quads_for_pattern(None, ox.NamedNode("http://schema.org/datePublished"), None))
    document = json.loads(next(layout.jsonld_dir.glob("*.jsonld")).read_text(encoding="utf-8"))
    assert document["observation"][0]["start"] >= 0 and document["dates"] and document["spans"]  # the file keeps them


def test_blank_node_labels_and_contexts_stay_within_their_article(tmp_path: Path) -> None:
    """One chunk of the loader: two articles naming the same blank node, two articles with
    different contexts, loaded together; each keeps its own nodes and its own terms."""
    files = {}
    for name, vocab, node in (("a", "p/", "_:x"), ("b", "p/", "_:x"), ("c", "p/", None), ("d", "q/", None)):
        document = {"@context": {"@vocab": f"https://example.org/{vocab}"}, "@id": f"https://example.org/{name}"}
        document["p"] = {"@id": node, "q": 1} if node else {"q": 1}
        files[f"https://example.org/graph/{name}"] = path = tmp_path / f"{name}.jsonld"
        path.write_text(json.dumps(document), encoding="utf-8")
    loader = GraphLoader(ox.Store(str(tmp_path / "store")))
    for iri, path in files.items():
        loader.add(iri, path)
    loader.flush()
    store = loader.store
    labelled = {q.object for q in store.quads_for_pattern(None, ox.NamedNode("https://example.org/p/p"), None)}
    assert len(labelled) == 3 and all(isinstance(node, ox.BlankNode) for node in labelled)
    other = list(
        store.quads_for_pattern(ox.NamedNode("https://example.org/d"), ox.NamedNode("https://example.org/q/p"), None)
    )
    assert [q.graph_name.value for q in other] == ["https://example.org/graph/d"]


def test_no_store_publishes_the_files_and_the_next_run_catches_up(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 3)
    summary = stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, store=False)
    layout = OutputLayout(out)
    assert summary.published == 3 and len(list(layout.jsonld_dir.glob("*.jsonld"))) == 3
    assert not layout.store_dir.exists() and not layout.changes_dir.exists() and layout.store_behind.exists()
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, store=False)  # nothing new: a no-op
    assert not layout.store_dir.exists()
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)  # nothing new, but the store lags
    assert assert_store_matches(out) == 3 and not layout.store_behind.exists()
    assert [kind for kind, _ in _last_page(layout)] == ["Create"] * 3


def _quads(store: ox.Store, iri: str) -> set[tuple[object, object, object]]:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))}


def test_the_graph_a_worker_prepares_is_the_graph_of_the_file_it_wrote(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = write_corpus(raw, 3)
    outcomes = process_batch([(p, p.stem) for p in paths], out, store_graphs=True)
    layout = OutputLayout(out)
    prepared, from_files = ox.Store(str(tmp_path / "prepared")), ox.Store(str(tmp_path / "files"))
    by_worker, by_file = GraphLoader(prepared), GraphLoader(from_files)
    for outcome in outcomes:
        assert outcome.graph and outcome.graph_sha256 == file_sha256(layout.jsonld(outcome.article_id))
        iri, path = article_iri(DEFAULT_BASE_IRI, outcome.article_id), layout.jsonld(outcome.article_id)
        by_worker.add(iri, path, Prepared(outcome.graph_sha256, outcome.graph_stat, outcome.graph))
        by_file.add(iri, path)
    by_worker.flush()
    by_file.flush()
    for outcome in outcomes:
        iri = article_iri(DEFAULT_BASE_IRI, outcome.article_id)
        assert _quads(prepared, iri) == _quads(from_files, iri) != set()
    # A file changed after its worker wrote it is read again: the record holds the worker's stat.
    edited = layout.jsonld(outcomes[0].article_id)
    _edit(edited)
    sync = reconcile(
        prepared, {article_iri(DEFAULT_BASE_IRI, o.article_id): layout.jsonld(o.article_id) for o in outcomes}
    )
    assert sync.loaded == [article_iri(DEFAULT_BASE_IRI, outcomes[0].article_id)] and sync.unchanged == 2
    assert books.recorded_graphs(prepared)[sync.loaded[0]][0] == file_sha256(edited)


def test_a_document_of_another_context_or_with_blank_node_labels_is_not_prepared() -> None:
    document = {"@context": inline_context(), "@id": "https://example.org/a", "headline": "x", "spans": []}
    assert json.loads(graph_body(document) or "") == {"@id": "https://example.org/a", "headline": "x"}
    assert json.loads(graph_body({**document, "enrollment": 2**70}) or "")["enrollment"] == 2**70  # beyond orjson
    assert graph_body({**document, "@context": {"@vocab": "http://schema.org/"}}) is None
    assert graph_body({**document, "about": [{"@id": "_:b0", "name": "y"}]}) is None


def test_graphs_made_by_other_rules_are_loaded_again_and_announced_as_updates(tmp_path: Path) -> None:
    _, out, layout = _published(tmp_path, 2)
    store = ox.Store(str(layout.store_dir))
    books.set_store_format(store, "1")  # as an older stemwire left it
    wanted = {
        article_iri(DEFAULT_BASE_IRI, e.article_id): layout.jsonld(e.article_id) for e in load_manifest(out).published()
    }
    sync = reconcile(store, wanted)
    assert sorted(sync.loaded) == sorted(wanted) and books.store_format(store) == GRAPH_FORMAT
    changes = books.pending_changes(store)
    assert set(changes) == set(wanted) and {kind for kind, _ in changes.values()} == {"Update"}
    assert reconcile(store, wanted).unchanged == len(wanted)  # in step again: nothing more is loaded
    del store
    assert_store_matches(out)


def test_a_run_with_nothing_new_still_reloads_a_store_made_by_other_rules(tmp_path: Path) -> None:
    raw, out, layout = _published(tmp_path, 2)
    store = ox.Store(str(layout.store_dir))
    books.set_store_format(store, "1")  # as an older stemwire left it
    del store
    layout.store_format.write_text("1\n", encoding="utf-8")
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    assert books.store_format(ox.Store.read_only(str(layout.store_dir))) == GRAPH_FORMAT
    assert layout.store_format.read_text(encoding="utf-8").strip() == GRAPH_FORMAT
    assert _last_page(layout) == sorted(("Update", p.stem) for p in layout.jsonld_dir.glob("*.jsonld"))
    assert_store_matches(out)
