"""The body of `stemwire query` (registered in flows/cli.py)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.store.query import EndpointError, Result, description, named_queries, query_endpoint, query_store

ENDPOINT_ENV = "STEMWIRE_SPARQL_ENDPOINT"
EXAMPLES = """Example:  stemwire query trials-by-cell-type --out output

More:

    stemwire query --list

    stemwire query my.rq --format csv
"""


def _print(result: Result, output_format: str) -> None:
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    elif output_format == "json":
        print(json.dumps([dict(zip(result.columns, row, strict=True)) for row in result.rows], ensure_ascii=False))
    else:
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*row)
        Console(soft_wrap=True).print(table)


def query(
    name: str = typer.Argument("", help="An example query's name (see --list) or a file of SPARQL."),
    out: Path = typer.Option(Path("output"), help="Output folder whose embedded store (store/) is queried."),
    output_format: str = typer.Option("table", "--format", help="table, csv or json."),
    list_queries: bool = typer.Option(False, "--list", help="List the example queries and exit."),
    sparql_endpoint: str = typer.Option(
        "", envvar=ENDPOINT_ENV, help="Query this SPARQL endpoint instead of the embedded store."
    ),
) -> None:
    """SPARQL over the published graph: the embedded store under OUT, or a SPARQL endpoint."""
    queries = named_queries()
    if list_queries or not name:
        for key, example in queries.items():
            print(f"{key}\t{description(example)}")
        return
    if output_format not in ("table", "csv", "json"):
        raise typer.BadParameter("table, csv or json", param_hint="--format")
    text: str | None = queries.get(name) or (Path(name).read_text(encoding="utf-8") if Path(name).is_file() else None)
    if text is None:
        raise typer.BadParameter(f"neither an example query ({', '.join(queries)}) nor a file", param_hint="NAME")
    store_dir = OutputLayout(out).store_dir
    if not sparql_endpoint and not store_dir.exists():
        raise typer.BadParameter(
            f"{store_dir} does not exist: run `stemwire run --out {out}` first", param_hint="--out"
        )
    try:
        result = query_endpoint(sparql_endpoint, text) if sparql_endpoint else query_store(store_dir, text)
    except EndpointError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(2) from error
    _print(result, output_format)
