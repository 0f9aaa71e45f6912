"""What a batch hands back to the flow for each article (a few fields, never the record), and what the
flow records of it in the manifest. Nothing here loads the pipeline: the flow imports this module,
while only the processes that run batches import flows/batch.py."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stemwire.flows.output.manifest import Entry, Manifest


@dataclass
class ArticleOutcome:
    path: str
    article_id: str
    record: dict[str, Any] | None = None
    converted: str = ""  # the record's text in the analysis script, for its report page
    error: str | None = None
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    norm_sha256: str | None = None
    title: str = ""
    fact_counts: dict[str, int] = field(default_factory=dict)
    # The article's graph prepared for the store where it was published (flows/store/documents.py):
    # the JSON-LD file's sha256 and stat, and the store's part of it; empty if not prepared.
    graph_sha256: str = ""
    graph_stat: str = ""
    graph: str = ""

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def ok(self) -> bool:
        return self.error is None


def pack(outcomes: list[ArticleOutcome]) -> str:
    """Outcomes (records already dropped) as one compact string: what a task hands back to the flow,
    where Prefect keeps it until the run ends."""
    kept = [{k: v for k, v in vars(o).items() if k not in ("record", "converted")} for o in outcomes]
    return json.dumps(kept, ensure_ascii=False)


def unpack(packed: str) -> list[ArticleOutcome]:
    return [ArticleOutcome(**fields) for fields in json.loads(packed)]


def _modified(mtime_ns: int) -> str:
    stamp = dt.datetime.fromtimestamp(mtime_ns // 1_000_000_000, dt.UTC)
    return stamp.isoformat().replace("+00:00", "Z")


def remember(manifest: Manifest, outcome: ArticleOutcome) -> None:
    manifest.entries[outcome.name] = Entry(
        name=outcome.name,
        path=outcome.name,  # relative to the raw folder: nothing of this machine's layout in OUT
        article_id=outcome.article_id,
        sha256=outcome.sha256,
        size=outcome.size,
        mtime_ns=outcome.mtime_ns,
        status="published" if outcome.ok else "failed",
        modified=_modified(outcome.mtime_ns),
        reason=None if outcome.ok else (outcome.error or "").splitlines()[0],
        norm_sha256=outcome.norm_sha256,
        title=outcome.title,
        fact_counts=outcome.fact_counts,
    )


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), max(1, size))]
