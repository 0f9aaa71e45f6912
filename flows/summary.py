"""The run's summary: what was read, published, left unchanged, withdrawn or linked as a duplicate,
what failed and why, and how many facts of each family were published."""

from __future__ import annotations

from dataclasses import dataclass, field

from stemwire.flows.outcome import ArticleOutcome
from stemwire.flows.output.inventory import Inventory
from stemwire.flows.output.manifest import Manifest
from stemwire.schemas.families import names


@dataclass
class RunSummary:
    articles_read: int = 0
    published: int = 0
    unchanged: int = 0
    facts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(names(), 0))
    failures: list[tuple[str, str]] = field(default_factory=list)
    not_ready: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the run found and mended (a damaged manifest ...)
    withdrawn: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (article id, the article it repeats)
    # Issue 18: articles that disagree about a trial (flows/publish/conflicts.py); never a failure.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def add_to_summary(summary: RunSummary, outcomes: list[ArticleOutcome]) -> None:
    """Count one batch into the run's summary (the batch itself is not kept: memory stays flat)."""
    summary.articles_read += len(outcomes)
    for o in outcomes:
        if not o.ok:
            summary.failures.append((o.path, (o.error or "").splitlines()[0]))
            continue
        summary.published += 1
        for kind in names():
            summary.facts[kind] += o.fact_counts.get(kind, 0)


def close_summary(summary: RunSummary, inventory: Inventory, manifest: Manifest) -> RunSummary:
    summary.unchanged = len(inventory.unchanged)
    summary.not_ready = inventory.not_ready
    summary.withdrawn = [manifest.entries[n].article_id for n in inventory.deleted]
    summary.duplicates = [(e.article_id, e.duplicate_of) for e in manifest.published() if e.duplicate_of]
    summary.failures += inventory.rejected  # raw/ entries that are not read (links out of it, FIFOs, ...)
    # Files that failed before and have not changed since still fail: the exit status keeps saying so.
    summary.failures += [
        (e.path, f"{e.reason} (unchanged since an earlier run)")
        for name in inventory.unchanged
        if (e := manifest.entries[name]).status == "failed"
    ]
    return summary
