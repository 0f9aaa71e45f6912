"""One view of each registered trial across articles, computed from the store with SPARQL (so the
view and the graph cannot disagree): OUT/trials/<registry-id>.jsonld and csv/trial_summary.csv.

For each attribute: every value asserted, the articles asserting it and when (the article's
publication date, else when its source last changed), agreement or conflict, first and last seen.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from stemwire.flows.output.files import json_bytes, replace_if_changed
from stemwire.flows.publish.tables import cell
from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.store.query import query_store

SUMMARY_COLUMNS = ["registry_id", "attribute", "status", "value", "articles", "first_seen", "last_seen"]
CONTEXT = {
    "schema": "http://schema.org/",
    "sw": SW,
    "name": "schema:name",
    "value": "schema:value",
    "attribute": "sw:attribute",
    "status": "sw:agreement",
    "attributes": {"@id": "sw:attributeView", "@container": "@set"},
    "values": {"@id": "sw:assertedValue", "@container": "@set"},
    "assertedBy": {"@id": "sw:assertedBy", "@container": "@set"},
    "article": {"@id": "sw:article", "@type": "@id"},
    "seen": "sw:seen",
    "firstSeen": "sw:firstSeen",
    "lastSeen": "sw:lastSeen",
}


@dataclass
class TrialView:
    registry_id: str
    iri: str
    # attribute -> value -> [(article IRI, when)]
    claims: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=lambda: defaultdict(dict))


def trial_views(store_dir: Path, seen: dict[str, str]) -> list[TrialView]:
    """The views of every trial the store's articles report; `seen`: {article IRI: when its source
    last changed}, for articles that give no publication date."""
    text = resources.files("stemwire.flows.store").joinpath("views", "trial-claims.rq").read_text(encoding="utf-8")
    views: dict[str, TrialView] = {}
    for registry_id, iri, attribute, value, article, published in query_store(store_dir, text).rows:
        view = views.setdefault(registry_id, TrialView(registry_id, iri))
        view.claims[attribute].setdefault(value, []).append((article, published or seen.get(article, "")))
    return [views[k] for k in sorted(views)]


def _span(assertions: list[tuple[str, str]]) -> tuple[str, str]:
    times = sorted(when for _, when in assertions if when)
    return (times[0], times[-1]) if times else ("", "")


def view_document(view: TrialView) -> dict[str, Any]:
    attributes = []
    for attribute, values in sorted(view.claims.items()):
        every = [a for assertions in values.values() for a in assertions]
        first, last = _span(every)
        listed = []
        for value, assertions in sorted(values.items()):
            by = [{"article": a, "seen": w} if w else {"article": a} for a, w in sorted(assertions)]
            listed.append({"value": value, "assertedBy": by})
        status = "agreement" if len(values) == 1 else "conflict"
        attributes.append(
            {"attribute": attribute, "status": status, "values": listed, "firstSeen": first, "lastSeen": last}
        )
    first, last = _span([a for values in view.claims.values() for s in values.values() for a in s])
    return {
        "@context": CONTEXT,
        "@id": view.iri,
        "@type": "schema:MedicalTrial",
        "name": view.registry_id,
        "firstSeen": first,
        "lastSeen": last,
        "attributes": attributes,
    }


def summary_rows(views: list[TrialView]) -> list[list[str]]:
    rows = []
    for view in views:
        for attribute, values in sorted(view.claims.items()):
            status = "agreement" if len(values) == 1 else "conflict"
            for value, assertions in sorted(values.items()):
                first, last = _span(assertions)
                articles = " ".join(sorted(a for a, _ in assertions))
                # the same formula guard as the other tables: values come from web text
                rows.append([cell(v) for v in (view.registry_id, attribute, status, value, articles, first, last)])
    return rows


def _file_name(registry_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", registry_id) + ".jsonld"


def write_trial_views(store_dir: Path, trials_dir: Path, summary_csv: Path, seen: dict[str, str]) -> int:
    """Write every trial's view and the summary table; remove views of trials no article reports.
    A view (or the table) whose bytes are those on disk is not rewritten."""
    views = trial_views(store_dir, seen)
    trials_dir.mkdir(parents=True, exist_ok=True)
    kept = set()
    for view in views:
        path = trials_dir / _file_name(view.registry_id)
        kept.add(path.name)
        replace_if_changed(path, json_bytes(view_document(view)), durable=False)
    for path in trials_dir.glob("*.jsonld"):
        if path.name not in kept:
            path.unlink()
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 (CRLF), as the other tables
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows(summary_rows(views))
    replace_if_changed(summary_csv, buffer.getvalue().encode("utf-8"), durable=False)
    return len(views)
