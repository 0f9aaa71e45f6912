"""What a run's end does for the store (called from flows/finalize.py): reconcile the store with the
published JSON-LD, then rebuild the trial views from it."""

from __future__ import annotations

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry
from stemwire.flows.publish.vocabulary import article_iri
from stemwire.flows.store.embedded import StoreSync, sync_store
from stemwire.flows.store.trial_view import write_trial_views


def update_store(layout: OutputLayout, published: list[Entry], base_iri: str) -> StoreSync:
    iris = {e.article_id: article_iri(base_iri, e.article_id) for e in published}
    sync = sync_store(layout.store_dir, {iris[e.article_id]: layout.jsonld(e.article_id) for e in published})
    seen = {iris[e.article_id]: e.modified for e in published}
    write_trial_views(layout.store_dir, layout.trials_dir, layout.trial_summary, seen)
    return sync
