"""The `stemwire` command line."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from stemwire.flows.cli_errors import (
    EXIT_BUSY,
    EXIT_INPUT_FAILED,
    EXIT_PREFECT_API,
    EXIT_USAGE,
    output_error,
    require_absolute_iri,
    require_cron,
    require_free_port,
    require_prefect_api,
    require_writable_output,
)
from stemwire.flows.cli_summary import print_failures, print_summary
from stemwire.flows.deadline import DEFAULT_ARTICLE_TIMEOUT
from stemwire.flows.environment import configure_prefect_environment

app = typer.Typer(
    help="Structured, validated facts from Chinese stem-cell news articles.\n\n"
    "Example:\n\n    stemwire run --raw raw --out output",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"stemwire {version('stemwire')}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Structured, validated facts from Chinese stem-cell news articles."""


console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@app.command(epilog="Example:  stemwire run --raw raw --out output")
def run(
    raw: Path = typer.Option(
        Path("raw"), help="Folder of articles (.txt, .md, .html; UTF-8, UTF-16, GB18030 or Big5)."
    ),
    out: Path = typer.Option(Path("output"), help="Folder the records, JSON-LD and CSV are written to."),
    batch_size: int = typer.Option(200, min=1, help="Articles per Prefect task."),
    base_iri: str = typer.Option("https://stemwire.example.org/", help="Base IRI of article @ids."),
    bom: bool = typer.Option(False, help="Start CSV files with a UTF-8 BOM (for Excel)."),
    max_bytes: int = typer.Option(5_000_000, min=1, help="Files larger than this are not articles."),
    article_timeout: float = typer.Option(
        DEFAULT_ARTICLE_TIMEOUT,
        min=0,
        envvar="STEMWIRE_ARTICLE_TIMEOUT",
        help="Seconds one article may take; one that takes longer fails alone (0: no limit).",
    ),
    wait: float = typer.Option(0.0, min=0, help="Seconds to wait for another run on the same OUT to finish."),
    workers: int = typer.Option(
        None,
        min=1,
        help="Batches extracted at once, each in a process of its own; 1 runs in this process. Default: the number of cores.",
    ),
    dask: bool = typer.Option(False, "--dask", help="Run the workers as a local Dask cluster (extra: dask)."),
    dask_address: str = typer.Option(None, help="Run the batches on an existing Dask scheduler, e.g. tcp://host:8786."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success; failures still go to stderr."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the summary as one JSON object (schemas/run-summary.schema.json)."
    ),
    store: bool = typer.Option(
        True,
        "--store/--no-store",
        help="Keep the embedded graph store, trial views and changes feed; --no-store publishes the files only (the next run that keeps them catches up).",
    ),
    sparql_endpoint: str = typer.Option(
        None,
        envvar="STEMWIRE_GRAPH_STORE",
        help="Also push the article graphs to this SPARQL 1.1 Graph Store URL (user and password from STEMWIRE_SPARQL_USER and STEMWIRE_SPARQL_PASSWORD).",
    ),
) -> None:
    """Run the Prefect flow over what is new, changed or deleted in RAW and publish into OUT."""
    started = time.monotonic()
    if not raw.is_dir():  # checked before Prefect starts, so the user gets one clear line
        err_console.print(f"[red]error:[/red] {raw}: raw folder does not exist or is not a folder")
        raise typer.Exit(EXIT_USAGE)
    require_absolute_iri(base_iri)
    require_writable_output(out)
    if sparql_endpoint and not store:
        err_console.print("[red]error:[/red] --sparql-endpoint pushes from the store: it cannot go with --no-store")
        raise typer.Exit(EXIT_USAGE)
    from stemwire.flows.output.lock import OutputBusy, output_lock

    try:  # a clear message before Prefect starts; the flow takes the lock for itself
        with output_lock(out, wait):
            pass
    except OutputBusy as exc:
        err_console.print(f"[red]busy:[/red] {exc}")
        raise typer.Exit(EXIT_BUSY) from None
    except OSError as exc:
        raise output_error(out, exc) from None
    from stemwire.flows.cli_run import run_flow_command

    summary = run_flow_command(
        raw,
        out,
        batch_size=batch_size,
        base_iri=base_iri,
        bom=bom,
        max_bytes=max_bytes,
        article_timeout=article_timeout,
        wait=wait,
        workers=workers,
        dask=dask,
        dask_address=dask_address,
        progress=not (quiet or as_json),
        store=store,
        sparql_endpoint=sparql_endpoint,
    )
    if as_json:
        from stemwire.flows.summary_report import summary_report

        typer.echo(summary_report(summary, out, time.monotonic() - started).model_dump_json())
    elif quiet:
        print_failures(summary)
    else:
        print_summary(summary, out)
    if summary.failures:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command(epilog="Example:  stemwire serve --raw raw --out output --interval 300")
def serve(
    raw: Path = typer.Option(Path("raw"), help="Folder people drop articles into."),
    out: Path = typer.Option(Path("output"), help="Folder the records, JSON-LD and CSV are written to."),
    cron: str = typer.Option(None, help="Cron schedule, e.g. '*/10 * * * *'."),
    interval: float = typer.Option(None, min=1, help="Seconds between runs (when no --cron)."),
    name: str = typer.Option("stemwire-scheduled", help="Deployment name; its schedule is named after it."),
    base_iri: str = typer.Option("https://stemwire.example.org/", help="Base IRI of article @ids."),
    bom: bool = typer.Option(False, help="Start CSV files with a UTF-8 BOM (for Excel)."),
    port: int = typer.Option(4200, help="Port of the Prefect server started when PREFECT_API_URL is unset."),
    watch: bool = typer.Option(False, "--watch", help="Also run as soon as articles appear or change in RAW."),
) -> None:
    """Serve the flow as a Prefect deployment on a schedule and/or on file events, on a real Prefect server."""

    if (cron is not None and interval is not None) or (cron is None and interval is None and not watch):
        err_console.print("[red]error:[/red] give one of --cron EXPR or --interval SECONDS, or --watch, or both")
        raise typer.Exit(EXIT_USAGE)
    if not raw.is_dir():
        err_console.print(f"[red]error:[/red] {raw}: raw folder does not exist or is not a folder")
        raise typer.Exit(2)
    require_absolute_iri(base_iri)
    require_cron(cron)
    if watch:  # the runner looks for runs to start every 2 s instead of 10: a dropped file waits less
        os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "2")
    configure_prefect_environment()
    require_prefect_api()
    if not os.environ.get("PREFECT_API_URL"):
        require_free_port(port)
        # Start a server, then serve from a child process that uses it, so that on Ctrl-C or SIGTERM
        # the flow's runner stops first and the server after it.
        from stemwire.flows.serve import ServerError, local_server, serve_in_child

        try:
            with local_server(port) as api_url:
                console.print(f"stemwire serve: started a Prefect server; UI at {api_url.removesuffix('/api')}")
                raise typer.Exit(serve_in_child(api_url))
        except ServerError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_PREFECT_API) from None
    console.print(f"stemwire serve: using the Prefect server at {os.environ['PREFECT_API_URL']}")
    from stemwire.flows.serve import serve_deployment

    serve_deployment(raw, out, name, cron=cron, interval=interval, base_iri=base_iri, bom=bom, watch=watch)


_EXTRACT_EXAMPLES = """Example:  stemwire extract raw/nsc-stroke-2025.txt --pretty

More:

    stemwire extract raw/a.txt raw/b.html raw/c.md > records.jsonl

    cat article.txt | stemwire extract - --published 2025-03-01

    stemwire extract --jsonl articles.jsonl > records.jsonl

where each line of articles.jsonl is one article:

    {"id": "wire-0412", "text": "……去年10月……", "published": "2025-03-01"}

Exit status 1 when an article fails (each failure is one line on standard error naming its file, or
file and line, and the reason; every other record is printed), 2 when the options are wrong.
"""


@app.command(epilog=_EXTRACT_EXAMPLES)
def extract(
    source: list[str] = typer.Argument(
        ...,
        metavar="SOURCE",
        help="Article files, printed in the order given; or - for one article on standard input.",
    ),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Each SOURCE holds JSON Lines: {"id", "text", "published"?, "format"?} per line.'
    ),
    published: str = typer.Option(
        None, help="Publication date (YYYY-MM-DD) of a single article: relative dates resolve against it."
    ),
    text_format: str = typer.Option("text", "--format", help="What standard input holds: text, markdown or html."),
    pretty: bool = typer.Option(False, help="Indent the record (a single article only)."),
) -> None:
    """Print validated records as JSON, one per line (no Prefect, nothing written)."""
    from stemwire.flows import extract as extracting

    problem = extracting.usage_error(source, jsonl, published, pretty)
    if problem:
        err_console.print(f"[red]error:[/red] {problem}", markup=True, highlight=False)
        raise typer.Exit(EXIT_USAGE)
    if text_format not in extracting.FORMATS:
        err_console.print(f"[red]error:[/red] --format must be one of {', '.join(extracting.FORMATS)}")
        raise typer.Exit(EXIT_USAGE)
    if jsonl:
        if source == ["-"]:
            results = extracting.from_json_lines(sys.stdin.buffer, "<stdin>")
        else:
            results = extracting.from_json_line_files(source)
    elif source == ["-"]:
        results = iter([extracting.from_text(sys.stdin.read(), published, text_format, pretty)])
    else:
        results = extracting.from_files(source, published, pretty)
    if extracting.write(results, sys.stdout, sys.stderr):
        raise typer.Exit(EXIT_INPUT_FAILED)


def _require_output(out: Path) -> None:
    from stemwire.flows.output.layout import OutputLayout

    if not OutputLayout(out).records_dir.is_dir():
        err_console.print(f"[red]error:[/red] {out}: no records folder; run `stemwire run --out {out}` first")
        raise typer.Exit(2)


@app.command(epilog="Example:  stemwire validate --out output")
def validate(
    out: Path = typer.Option(Path("output"), help="Output folder of a previous `stemwire run`."),
) -> None:
    """Check published output with real processors: JSON Schema, pyld, rdflib, SHACL, CSVW."""
    from stemwire.flows.quality.checks import MAX_SHOWN, validate_output

    _require_output(out)
    checks = validate_output(out)
    table = Table(title=f"validation of {out}")
    for column in ("check", "checked", "problems"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for c in checks:
        table.add_row(c.name, str(c.checked), "[green]0[/green]" if c.ok else f"[red]{len(c.problems)}[/red]")
    console.print(table)
    failed = [c for c in checks if not c.ok]
    for c in failed:
        err_console.print(f"[red]{c.name}[/red]")
        for problem in c.problems[:MAX_SHOWN]:
            err_console.print(f"  {problem}", markup=False)
    if failed:
        raise typer.Exit(1)


@app.command(epilog="Example:  stemwire report --out output")
def report(out: Path = typer.Option(Path("output"), help="Output folder of a previous `stemwire run`.")) -> None:
    """Rebuild the review pages (OUT/report/index.html and one page per article) from the records."""
    from stemwire.flows.finalize import write_report
    from stemwire.flows.output.manifest import load_manifest

    _require_output(out)
    index = write_report(out, load_manifest(out))
    console.print(f"report: {index}")


@app.command(epilog="Example:  stemwire bench --articles 2000 --json bench.json")
def bench(
    articles: int = typer.Option(2000, min=2, help="Size N of the synthetic corpus (memory is also measured at 4N)."),
    json_file: Path = typer.Option(None, "--json", help="Also write the figures to this JSON file."),
) -> None:
    """Measure extraction and end-to-end speed, no-op reruns, memory, time to first record, the graph store's cost and serve --watch's drop-to-publish latency."""
    from stemwire.flows.quality.bench import TARGETS, bench_table, run_bench, verdicts

    console.print(f"stemwire bench: {articles} synthetic articles (and {4 * articles} for memory)...")
    figures = run_bench(articles)
    ok = verdicts(figures)
    table = bench_table(figures, ok)
    console.print(table)
    console.print(f"machine: {figures['machine']}")
    if json_file:
        from stemwire.flows.output.files import write_json_atomic

        write_json_atomic(json_file, {**figures, "targets": TARGETS, "met": ok})
        console.print(f"figures written to {json_file}")


@app.command(epilog="Example:  stemwire schema --check")
def schema(check: bool = typer.Option(False, help="Only check that the committed schema is current.")) -> None:
    """Regenerate schemas/article.schema.json from the pydantic models."""
    from stemwire.schemas.export import FIX_IT, SCHEMA_PATH, schema_is_current, write_schema

    if check:
        if not schema_is_current():
            err_console.print(FIX_IT)
            raise typer.Exit(1)
        console.print(f"{SCHEMA_PATH} is up to date")
        return
    write_schema()
    console.print(f"wrote {SCHEMA_PATH}")


from stemwire.flows.quality.eval_command import EVAL_EXAMPLES, evaluate_command  # noqa: E402
from stemwire.flows.store.command import EXAMPLES, query  # noqa: E402  (issue 19; its body lives in flows/store/)

app.command(name="eval", epilog=EVAL_EXAMPLES)(evaluate_command)
app.command(epilog=EXAMPLES)(query)

if __name__ == "__main__":
    app()
