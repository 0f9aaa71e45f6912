"""What `stemwire run` prints at its end: the counts, where the output is, and every note and failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def print_summary(summary: Any, out: Path) -> None:
    title = f"stemwire run: {summary.articles_read} read, {summary.published} published, {summary.unchanged} unchanged"
    table = Table(title=title)
    table.add_column("fact type (articles read)")
    table.add_column("count", justify="right")
    for kind, count in summary.facts.items():
        table.add_row(kind, str(count))
    console.print(table)
    from stemwire.flows.output.layout import OutputLayout

    layout = OutputLayout(out)
    console.print(f"output: {layout.records_dir}, {layout.jsonld_dir}, {layout.csv_dir}, {layout.catalog}")
    console.print(f"review: {layout.report_index}")
    for article, original in summary.duplicates:
        console.print(f"duplicate: {article} repeats {original} (linked with sameAs, counted once)")
    for article in summary.withdrawn:
        console.print(f"withdrawn: {article} (its source file is gone)")
    for note in summary.notes:
        console.print(f"note: {note}")
    for warning in summary.warnings:  # cross-article conflicts: findings, not failures
        console.print(f"warning: {warning}")
    for path, reason in summary.not_ready:
        console.print(f"not ready: {path}: {reason}")
    print_failures(summary)


def print_failures(summary: Any) -> None:
    """The failures alone, on standard error (all that `--quiet` prints)."""
    if summary.failures:
        err_console.print(f"[red]{len(summary.failures)} article(s) failed:[/red]")
        for path, reason in summary.failures:
            err_console.print(f"  {path}: {reason}")
