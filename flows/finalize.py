"""The end of a run: withdraw deleted articles, clear what a killed run left, link duplicates, and
rebuild what spans every article (the CSV tables, the catalog, the report's index) from the manifest.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

from stemwire.extractors.script import analysis_text
from stemwire.flows.output.files import write_chunks_atomic, write_json_atomic, write_text_atomic
from stemwire.flows.output.inventory import Inventory
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.output.manifest import Entry, Manifest
from stemwire.flows.publish.article import portable
from stemwire.flows.publish.catalog import catalog_chunks
from stemwire.flows.publish.conflicts import TrialClaims
from stemwire.flows.publish.datapackage import datapackage_metadata
from stemwire.flows.publish.jsonld import article_document
from stemwire.flows.publish.report_index import Failed, Listed, index_chunks
from stemwire.flows.publish.report_page import article_page
from stemwire.flows.publish.tables import layout as table_layout
from stemwire.flows.publish.tables import table_fragment, write_tables
from stemwire.flows.publish.vocabulary import DEFAULT_BASE_IRI, article_iri, context_document, vocabulary_document
from stemwire.flows.store.documents import GRAPH_FORMAT
from stemwire.flows.store.update import update_store
from stemwire.schemas.families import names

SHIPPED_SCHEMAS = ("shapes.ttl", "article.schema.json")  # copied into OUT/schemas/ for consumers


def _write_vocabularies(layout: OutputLayout) -> None:
    """The context, the project's vocabulary, and the shapes and JSON Schema the output conforms to."""
    write_text_atomic(layout.context, context_document())
    write_text_atomic(layout.vocabulary, vocabulary_document())
    for name in SHIPPED_SCHEMAS:
        text = resources.files("stemwire.schemas").joinpath(name).read_text(encoding="utf-8")
        write_text_atomic(layout.schemas_dir / name, text)


def _withdraw(layout: OutputLayout, manifest: Manifest, names: list[str], now: str) -> None:
    for name in names:
        entry = manifest.entries[name]
        for path in layout.article_files(entry.article_id):
            path.unlink(missing_ok=True)
        layout.error(name).unlink(missing_ok=True)
        entry.status, entry.withdrawn_at, entry.duplicate_of = "withdrawn", now, None


def _read_record(layout: OutputLayout, article_id: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(layout.record(article_id).read_text(encoding="utf-8"))
    return record


def _link_duplicates(layout: OutputLayout, manifest: Manifest, base_iri: str) -> None:
    """The first of several files with the same normalised text is the article; the others say so
    (sameAs in their JSON-LD) and are not counted again."""
    first_by_text: dict[str, Entry] = {}
    for entry in sorted(manifest.published(), key=lambda e: e.name):
        canonical = first_by_text.setdefault(entry.norm_sha256 or entry.name, entry)
        duplicate_of = None if canonical is entry else canonical.article_id
        if duplicate_of != entry.duplicate_of:
            entry.duplicate_of = duplicate_of
            same_as = article_iri(base_iri, duplicate_of) if duplicate_of else None
            document = article_document(portable(_read_record(layout, entry.article_id)), base_iri, same_as)
            write_json_atomic(layout.jsonld(entry.article_id), document, compact=True, durable=False)


def _remove_orphans(layout: OutputLayout, manifest: Manifest) -> None:
    """Outputs no manifest entry owns (left by a run killed before it recorded them)."""
    ids = {e.article_id for e in manifest.published()}
    for folder, ext in layout.per_article():
        for path in folder.glob(f"*{ext}"):
            if path.name[: -len(ext)] not in ids:
                path.unlink(missing_ok=True)
    for folder in layout.folders():
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _fragment(layout: OutputLayout, article_id: str) -> dict[str, Any]:
    """The article's table rows as published with it; rebuilt from its record when missing or
    written for other columns (by an older stemwire)."""
    try:
        fragment: dict[str, Any] = json.loads(layout.rows(article_id).read_text(encoding="utf-8"))
        if fragment.get("layout") == table_layout():
            return fragment
    except (OSError, ValueError):
        pass
    fragment = table_fragment(_read_record(layout, article_id))
    write_json_atomic(layout.rows(article_id), fragment, compact=True, durable=False)
    return fragment


def write_report(out_dir: Path, manifest: Manifest, changed: set[str] | None = None) -> Path:
    """Write the report's index and the pages of the articles in `changed` (article ids; every article
    when None, and any whose page is missing); pages of articles no longer published are removed."""
    layout = OutputLayout(out_dir)
    published = manifest.published()
    for entry in published:
        page = layout.page(entry.article_id)
        if changed is None or entry.article_id in changed or not page.exists():
            record = _read_record(layout, entry.article_id)
            write_text_atomic(page, article_page(record, analysis_text(record["text"])), durable=False)
            if not entry.fact_counts:  # a manifest from before counts were kept
                entry.fact_counts = {k: len(record.get(k, [])) for k in names()}
    kept = {layout.page(e.article_id).name for e in published}
    for page in layout.pages_dir.glob("*.html"):
        if page.name not in kept:
            page.unlink()
    listed = [Listed(e.article_id, e.title, e.fact_counts, e.duplicate_of) for e in published]
    entries = manifest.entries.values()
    failed = [
        Failed(PurePath(e.path).name, e.reason or "")
        for e in sorted(entries, key=lambda e: e.name)
        if e.status == "failed"
    ]
    withdrawn = sum(e.status == "withdrawn" for e in entries)
    write_chunks_atomic(layout.report_index, index_chunks(listed, failed, withdrawn))
    return layout.report_index


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def derived_outputs_present(out_dir: Path, store: bool = True) -> bool:
    """Whether everything a run derives from all articles is on disk (a deleted one is rebuilt) and,
    when the run keeps the store, whether the store is in step and pushed."""
    layout = OutputLayout(out_dir)
    tables = [layout.csv_dir / f"{name}.csv" for name in ("articles", *names())]
    needed = [layout.context, layout.vocabulary, layout.catalog, layout.csv_metadata, layout.datapackage]
    needed += [layout.report_index, *tables]
    needed += [layout.schemas_dir / name for name in SHIPPED_SCHEMAS]
    if store:
        needed.append(layout.store_dir)
        if layout.store_push_pending.exists() or layout.store_behind.exists():
            return False
        if _text(layout.store_format) != GRAPH_FORMAT:  # made by other rules: reconciled again
            return False
    return all(path.exists() for path in needed)


def finalize(
    out_dir: Path,
    manifest: Manifest,
    inventory: Inventory,
    base_iri: str = DEFAULT_BASE_IRI,
    bom: bool = False,
    now: str | None = None,
    store: bool = True,
    sparql_endpoint: str | None = None,
) -> list[str]:
    """Withdraw deleted articles, link duplicates, rebuild the tables and the catalog, and the report's
    index (article pages are written as articles are published; any missing is written here). Returns
    the run's warnings: trials that articles give different phases or sizes (flows/publish/conflicts.py)."""
    layout = OutputLayout(out_dir)
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    _withdraw(layout, manifest, inventory.deleted, now)
    _remove_orphans(layout, manifest)
    _link_duplicates(layout, manifest, base_iri)
    published = manifest.published()
    duplicates = {e.article_id: e.duplicate_of for e in published if e.duplicate_of}
    claims = TrialClaims()
    fragments = claims.watch((_fragment(layout, e.article_id) for e in published), skip=set(duplicates))
    _write_vocabularies(layout)
    write_tables(fragments, layout.csv_dir, bom=bom, duplicates=duplicates, base_iri=base_iri)
    write_json_atomic(layout.datapackage, datapackage_metadata(bom))
    listed = sorted((e for e in manifest.entries.values() if e.status != "failed"), key=lambda e: e.article_id)
    entries = (
        {
            "id": e.article_id,
            "path": PurePath(e.path).name,  # relative to the raw folder: nothing of this machine
            "sha256": e.sha256,
            "modified": e.withdrawn_at or e.modified,
            "status": e.status,
            "duplicate_of": e.duplicate_of,
        }
        for e in listed
    )
    latest = max((e.withdrawn_at or e.modified for e in listed), default=None)
    write_chunks_atomic(layout.catalog, catalog_chunks(entries, base_iri, latest))
    write_report(out_dir, manifest, changed=set())
    # The embedded graph store (issue 19): reconciled with the published JSON-LD on every run but
    # one that opts out, which leaves a mark so that the next run that keeps it catches up.
    if not store:
        write_text_atomic(layout.store_behind, f"the run of {now} published without updating the store\n")
        return claims.warnings()
    store_warnings = update_store(layout, published, base_iri, now, sparql_endpoint)
    layout.store_behind.unlink(missing_ok=True)
    return claims.warnings() + store_warnings
