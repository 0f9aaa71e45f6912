"""What a run tells Prefect, so the UI says what the terminal says: a flow-run name that says what
the run does, batch progress and every failure in the run's log, the summary as a Markdown artifact
with a link to the review report, and a final state that agrees with the exit status.

Called from inside the flow run. Prefect's run logger sends INFO records to the API only; the
terminal shows the CLI's own summary (flows/environment.py keeps these records off the console).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from prefect import get_run_logger
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run
from prefect.states import Completed, State

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.summary import RunSummary
from stemwire.flows.summary_report import summary_markdown

COMPLETED_WITH_FAILURES = "CompletedWithFailures"


def name_run(raw_dir: Path, new: int, changed: int, deleted: int) -> str:
    """Rename the current flow run after what it found: e.g. `raw: 12 new, 1 changed, 0 deleted`."""
    name = f"{raw_dir.name or raw_dir}: {new} new, {changed} changed, {deleted} deleted"
    run_id = flow_run.get_id()
    if run_id:
        with get_client(sync_client=True) as client:
            client.update_flow_run(UUID(run_id), name=name)
    return name


def log_batch(done: int, total: int, outcomes: list[Any]) -> None:
    logger = get_run_logger()
    failed = [o for o in outcomes if not o.ok]
    logger.info("batch done: %d of %d articles, %d failed in this batch", done, total, len(failed))
    for o in failed:
        logger.warning("failed: %s: %s", o.path, (o.error or "").splitlines()[0] if o.error else "")


def report_run(summary: RunSummary, out_dir: Path, logged: int = 0) -> None:
    """The summary in the run's log and as artifacts (the Markdown table, a link to the report).
    `logged`: how many of the first failures the batches' log lines already named (log_batch)."""
    logger = get_run_logger()
    logger.info(
        "summary: %d read, %d published, %d unchanged, %d failed",
        summary.articles_read,
        summary.published,
        summary.unchanged,
        len(summary.failures),
    )
    for path, reason in summary.failures[logged:]:
        logger.warning("failed: %s: %s", path, reason)
    create_markdown_artifact(markdown=summary_markdown(summary), key="stemwire-summary", description="Run summary")
    report = OutputLayout(out_dir).report_index.resolve()
    create_link_artifact(link=report.as_uri(), link_text="review report", key="stemwire-report")


def final_state(summary: RunSummary) -> State[RunSummary] | RunSummary:
    """A run whose inputs failed is not shown as plainly Completed: its state is completed (what could be
    published was) under a name that says inputs failed, with how many in its message. The flow's
    caller still receives the summary."""
    if summary.ok:
        return summary
    message = f"{len(summary.failures)} input(s) failed; everything else was published (exit status 1)"
    return Completed(name=COMPLETED_WITH_FAILURES, message=message, data=summary)


def skipped(reason: str) -> State[RunSummary]:
    """A scheduled or watched run that found another run working: it says so and does nothing."""
    get_run_logger().warning("skipped: %s", reason)
    summary = RunSummary(notes=[f"skipped: {reason}"])
    return Completed(name="Skipped", message=f"skipped: {reason}", data=summary)
