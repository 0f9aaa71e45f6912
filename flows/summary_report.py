"""The run's summary in the two forms machines and the Prefect UI read: the `--json` object
(schemas/run_summary.py) and a Markdown table with the failures (the run's Prefect artifact)."""

from __future__ import annotations

from pathlib import Path

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.summary import RunSummary
from stemwire.schemas.run_summary import Duplicate, PathReason, RunSummaryReport, Timings

MAX_LISTED = 50  # failures listed in the artifact; the rest are counted


def summary_report(summary: RunSummary, out: Path, total_s: float) -> RunSummaryReport:
    return RunSummaryReport(
        ok=summary.ok,
        exit_status=0 if summary.ok else 1,
        articles_read=summary.articles_read,
        published=summary.published,
        unchanged=summary.unchanged,
        facts=dict(summary.facts),
        failures=[PathReason(path=p, reason=r) for p, r in summary.failures],
        not_ready=[PathReason(path=p, reason=r) for p, r in summary.not_ready],
        withdrawn=list(summary.withdrawn),
        duplicates=[Duplicate(article_id=a, duplicate_of=o) for a, o in summary.duplicates],
        notes=list(summary.notes),
        warnings=list(summary.warnings),
        output=str(out),
        report=str(OutputLayout(out).report_index),
        timings=Timings(total_s=round(max(0.0, total_s), 3)),
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: RunSummary) -> str:
    lines = [
        f"# stemwire run: {summary.articles_read} read, {summary.published} published, {summary.unchanged} unchanged",
        "",
        "| fact type | count |",
        "|---|---:|",
        *(f"| {kind} | {count} |" for kind, count in summary.facts.items()),
        "",
    ]
    if summary.failures:
        lines += [f"## {len(summary.failures)} input(s) failed", "", "| file | reason |", "|---|---|"]
        lines += [f"| {_cell(path)} | {_cell(reason)} |" for path, reason in summary.failures[:MAX_LISTED]]
        if len(summary.failures) > MAX_LISTED:
            lines.append(f"| … | {len(summary.failures) - MAX_LISTED} more in OUT/errors/ |")
        lines.append("")
    for title, items in (("Warnings", summary.warnings), ("Withdrawn", summary.withdrawn), ("Notes", summary.notes)):
        if items:
            lines += [f"## {title}", "", *(f"- {_cell(item)}" for item in items), ""]
    return "\n".join(lines)
