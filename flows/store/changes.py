"""The changes feed: an ActivityStreams 2.0 OrderedCollection (OUT/changes/index.jsonld) paged by
run (OUT/changes/run-<n>.jsonld), each page the articles a run created, updated and withdrew, with
the time and the hash of the JSON-LD file the article's graph came from. A consumer polls the index
and reads only the pages after the last it saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stemwire.flows.output.files import write_json_atomic
from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.store.embedded import StoreSync

CONTEXT: list[Any] = ["https://www.w3.org/ns/activitystreams", {"sw": SW, "recordHash": "sw:graphSha256"}]


def _page_name(number: int) -> str:
    return f"run-{number:06d}.jsonld"


def activities(sync: StoreSync, changed_at: dict[str, str], now: str) -> list[dict[str, Any]]:
    """`changed_at`: when each article's source last changed (its time in the feed, as in the catalog,
    so that the same sources give the same feed); a withdrawal's time is the run's."""
    items = []
    for iri in sync.loaded:
        kind = "Update" if iri in sync.replaced else "Create"
        when = changed_at.get(iri) or now
        items.append({"type": kind, "object": iri, "published": when, "recordHash": sync.hashes.get(iri, "")})
    for iri in sync.dropped:
        items.append({"type": "Delete", "object": iri, "published": now, "recordHash": sync.hashes.get(iri, "")})
    return items


def append_changes(
    changes_dir: Path, base_url: str, sync: StoreSync, changed_at: dict[str, str], now: str
) -> int | None:
    """Append this run's page (none when nothing changed) and rewrite the index; the page's number."""
    items = activities(sync, changed_at, now)
    now = max(item["published"] for item in items) if items else now
    if not items:
        return None
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
    return pages
