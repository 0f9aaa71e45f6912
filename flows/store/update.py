"""What a run's end does for the store (called from flows/finalize.py): reconcile the store with the
published JSON-LD, append to the changes feed, rebuild the trial views from it, and push it to a
SPARQL server when one is set."""

from __future__ import annotations

import os

import pyoxigraph as ox

from stemwire.flows.output.files import write_text_atomic
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry
from stemwire.flows.publish.vocabulary import article_iri
from stemwire.flows.store.changes import append_changes
from stemwire.flows.store.documents import GRAPH_FORMAT
from stemwire.flows.store.embedded import reconcile
from stemwire.flows.store.push import GRAPH_STORE_ENV, push_store
from stemwire.flows.store.query import EndpointError
from stemwire.flows.store.trial_view import write_trial_views


def _push(layout: OutputLayout, url: str) -> list[str]:
    store = ox.Store(str(layout.store_dir))
    try:
        push_store(store, url)
    except EndpointError as error:
        # The marker makes the next run (even one that finds nothing changed) push what is missing.
        write_text_atomic(layout.store_push_pending, f"{error}\n", durable=False)
        return [f"graph store: {error}; the files are published and the next run pushes what is missing"]
    finally:
        store.flush()
        del store
    layout.store_push_pending.unlink(missing_ok=True)
    return []


def update_store(
    layout: OutputLayout, published: list[Entry], base_iri: str, now: str, endpoint: str | None = None
) -> list[str]:
    """The run's warnings about the store (an endpoint that could not be reached or refused).
    `endpoint`: the Graph Store Protocol URL to push to, by default $STEMWIRE_GRAPH_STORE."""
    iris = {e.article_id: article_iri(base_iri, e.article_id) for e in published}
    layout.store_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(layout.store_dir))
    reconcile(store, {iris[e.article_id]: layout.jsonld(e.article_id) for e in published})
    seen = {iris[e.article_id]: e.modified for e in published}
    append_changes(layout.changes_dir, base_iri.rstrip("/"), store, seen, now)
    del store  # releases the database's lock for the views' reader
    write_trial_views(layout.store_dir, layout.trials_dir, layout.trial_summary, seen)
    write_text_atomic(layout.store_format, GRAPH_FORMAT + "\n")
    url = endpoint or os.environ.get(GRAPH_STORE_ENV, "")
    return _push(layout, url) if url else []
