"""The body of `stemwire eval` (registered in flows/cli.py): scores against gold, and time suites."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EVAL_EXAMPLES = """Example:  stemwire eval --gold ../shared/corpus/dev --raw ../shared/corpus/dev

More:

    stemwire eval --suite ../shared/external/recognizers-text/cases.jsonl
"""


def evaluate_command(
    gold: Path = typer.Option(None, help="Folder of *.gold.json files."),
    raw: Path = typer.Option(None, help="Folder of the articles (default: the gold folder)."),
    suite: Path = typer.Option(
        None, help="A time-expression test suite (cases.jsonl): its figures per type and category, in both scripts."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List missed and unexpected facts."),
) -> None:
    """Extract the gold set's articles and print precision, recall and F1 per fact type."""
    from stemwire.flows.quality.evaluate import evaluate, extract_folder

    if gold is None and suite is None:
        err_console.print("[red]error:[/red] give --gold DIR, --suite FILE, or both")
        raise typer.Exit(2)
    if suite is not None:
        _print_suite(suite, verbose)
    if gold is None:
        return
    if not gold.is_dir() or not any(gold.glob("*.gold.json")):
        err_console.print(f"[red]error:[/red] {gold}: no *.gold.json files there")
        raise typer.Exit(2)
    raw_dir = raw or gold
    records, skipped = extract_folder(raw_dir)
    for reason in skipped:
        err_console.print(f"[yellow]skipped[/yellow] {reason}")
    result = evaluate(gold, records, raw_dir)
    table = Table(title="extraction against gold")
    for column in ("type", "tp", "fp", "fn", "precision", "recall", "F1", "attributes"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for kind, score in [*result.scores.items(), ("micro", result.micro)]:
        table.add_row(
            kind,
            str(score.tp),
            str(score.fp),
            str(score.fn),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            f"{score.attr_ok}/{score.attr_total}" if score.attr_total else "-",
        )
    console.print(table)
    console.print(f"offsets: {result.offsets_wrong} wrong of {result.offsets_checked} checked")
    if verbose:
        for kind, score in result.scores.items():
            for missed in score.missed:
                console.print(f"missed {kind} {missed}", markup=False)
            for extra in score.unexpected:
                console.print(f"unexpected {kind} {extra}", markup=False)


def _print_suite(suite: Path, verbose: bool) -> None:
    from stemwire.flows.quality.time_suite import suite_report

    if not suite.is_file():
        err_console.print(f"[red]error:[/red] {suite}: no such suite file")
        raise typer.Exit(2)
    table, misses = suite_report(suite)
    console.print(table)
    for miss in misses if verbose else []:
        console.print(miss, markup=False)
