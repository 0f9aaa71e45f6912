"""A run killed between any two of the store's writes: the next run still announces each change once,
as what it is (an edited article as an Update, a withdrawn one as a Delete), and its store matches the
published files. Each write is stopped in turn by a store that dies at its k-th write."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import load_manifest, save_manifest
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, article_iri
from stemwire.flows.store import bookkeeping as books
from stemwire.flows.store.embedded import reconcile
from tests.store_helpers import assert_store_matches
from tests.test_store_bookkeeping import _edit, _finish, _last_page, _published

pytestmark = pytest.mark.usefixtures("prefect_harness")

WRITES = frozenset({"update", "extend", "add", "remove", "remove_graph", "bulk_load", "bulk_extend", "clear_graph"})


class Killed(BaseException):
    """What the kill does to the run: nothing after it runs, no handler catches it."""


class DyingStore:
    """An open store that dies just before its k-th write (0 = the first)."""

    def __init__(self, store: ox.Store, k: int) -> None:
        self.store, self.left, self.writes = store, k, 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)
        if name not in WRITES:
            return method

        def write(*args: Any, **kwargs: Any) -> Any:
            if self.left == 0:
                raise Killed(name)
            self.left -= 1
            self.writes += 1
            return method(*args, **kwargs)

        return write


def _withdraw(out: Path, article_id: str) -> None:
    """The article's source left raw/: the manifest no longer lists it."""
    manifest = load_manifest(out)
    del manifest.entries[next(name for name, e in manifest.entries.items() if e.article_id == article_id)]
    save_manifest(out, manifest)


def test_a_run_killed_at_any_write_of_the_store_announces_each_change_as_what_it_is(tmp_path: Path) -> None:
    _, published, layout = _published(tmp_path, 3)
    edited, withdrawn, _ = sorted(p.stem for p in layout.jsonld_dir.glob("*.jsonld"))
    _edit(layout.jsonld(edited))
    _withdraw(published, withdrawn)
    k, completed = 0, False
    while not completed:
        out = tmp_path / f"killed-at-{k}"
        shutil.copytree(published, out)
        here = OutputLayout(out)
        wanted = {
            article_iri(DEFAULT_BASE_IRI, e.article_id): here.jsonld(e.article_id)
            for e in load_manifest(out).published()
        }
        store = DyingStore(ox.Store(str(here.store_dir)), k)
        try:
            reconcile(cast(ox.Store, store), wanted)
            completed = True
        except Killed:
            pass
        assert store.writes == k or completed
        del store
        _finish(out, here)  # the next run
        assert _last_page(here) == [("Delete", withdrawn), ("Update", edited)], f"killed before write {k}"
        assert assert_store_matches(out) == 2
        assert books.pending_changes(ox.Store.read_only(str(here.store_dir))) == {}
        k += 1
    assert k > 3  # the reload and the withdrawal each took more than one write
