"""The changes feed: an ActivityStreams 2.0 OrderedCollection (OUT/changes/index.jsonld) paged by
run (OUT/changes/run-<n>.jsonld), each page the articles a run created, updated and withdrew, with
the time and the hash of the JSON-LD file the article's graph came from. A consumer polls the index
and reads only the pages after the last it saw.

The changes come from the store's bookkeeping (flows/store/bookkeeping.py), where each load and
withdrawal leaves one until a page announces it: a run killed before its page announces its changes
in the next run's page, so every change reaches the feed at least once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from stemwire.flows.output.files import write_json_atomic
from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.store.bookkeeping import clear_pending, pending_changes

CONTEXT: list[Any] = ["https://www.w3.org/ns/activitystreams", {"sw": SW, "recordHash": "sw:graphSha256"}]


def _page_name(number: int) -> str:
    return f"run-{number:06d}.jsonld"


def activities(waiting: dict[str, tuple[str, str]], changed_at: dict[str, str], now: str) -> list[dict[str, Any]]:
    """`waiting`: {article IRI: (kind, sha256)}. `changed_at`: when each article's source last changed
    (its time in the feed, as in the catalog, so that the same sources give the same feed); a
    withdrawal's time is the run's. Creations and updates first, then withdrawals, each by IRI."""
    order = sorted(waiting, key=lambda iri: (waiting[iri][0] == "Delete", iri))
    items = []
    for iri in order:
        kind, sha = waiting[iri]
        when = now if kind == "Delete" else changed_at.get(iri) or now
        items.append({"type": kind, "object": iri, "published": when, "recordHash": sha})
    return items


def append_changes(
    changes_dir: Path, base_url: str, store: ox.Store, changed_at: dict[str, str], now: str
) -> int | None:
    """Append a page of the changes the store holds unannounced (none when there are none), rewrite
    the index, then mark them announced; the page's number."""
    waiting = pending_changes(store)
    items = activities(waiting, changed_at, now)
    if not items:
        return None
    now = max(item["published"] for item in items)
    index_path = changes_dir / "index.jsonld"
    index: dict[str, Any] = json.loads(index_path.read_text(encoding="utf-8")) if index_path.exists() else {}
    pages = int(index.get("sw:pages", 0)) + 1
    total = int(index.get("totalItems", 0)) + len(items)
    collection = f"{base_url}/changes/"
    page: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{collection}{_page_name(pages)}",
        "type": "OrderedCollectionPage",
        "partOf": collection,
        "published": now,
        "orderedItems": items,
    }
    if pages > 1:
        page["prev"] = f"{collection}{_page_name(pages - 1)}"
        previous_path = changes_dir / _page_name(pages - 1)
        if previous_path.exists():
            previous = json.loads(previous_path.read_text(encoding="utf-8"))
            previous["next"] = page["id"]
            write_json_atomic(previous_path, previous, durable=False)
    write_json_atomic(changes_dir / _page_name(pages), page, durable=False)
    index = {
        "@context": CONTEXT,
        "id": collection,
        "type": "OrderedCollection",
        "totalItems": total,
        "first": f"{collection}{_page_name(1)}",
        "last": f"{collection}{_page_name(pages)}",
        "updated": now,
        "sw:pages": pages,
    }
    write_json_atomic(index_path, index, durable=False)
    clear_pending(store, list(waiting))
    store.flush()
    return pages
