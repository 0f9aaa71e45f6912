"""The body of `stemwire run` once its options are checked: the run's own Prefect server, the task
runner, the flow, and what each way a run can end means for the exit status (flows/cli_errors.py)."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from typing import Any, cast

import typer

from stemwire.flows.cli_errors import (
    EXIT_BUSY,
    EXIT_PREFECT_API,
    EXIT_USAGE,
    err_console,
    fail,
    is_output_error,
    output_error,
    quiet_output_errors,
    require_dask_scheduler,
    require_prefect_api,
)
from stemwire.flows.environment import configure_prefect_environment
from stemwire.flows.output.lock import OutputBusy
from stemwire.flows.progress import terminal_display


def run_flow_command(
    raw: Path,
    out: Path,
    *,
    batch_size: int,
    base_iri: str,
    bom: bool,
    max_bytes: int,
    article_timeout: float,
    wait: float,
    workers: int | None,
    dask: bool,
    dask_address: str | None,
    progress: bool = True,
    store: bool = True,
    sparql_endpoint: str | None = None,
) -> Any:
    """The run's summary; a stop, a busy OUT or an operational error ends the command (typer.Exit)."""
    configure_prefect_environment()
    require_prefect_api()
    require_dask_scheduler(dask_address)
    from stemwire.flows.api_server import ApiServerError, RunApiServer

    # The run's own Prefect server boots while this process imports Prefect and the flow.
    with RunApiServer() as server:
        from stemwire.flows.run_flow import load_ahead, stemwire_run, task_runner_for

        workers = workers or os.cpu_count() or 1
        try:
            flow_to_run = stemwire_run.with_options(task_runner=task_runner_for(workers, dask_address, dask))
        except RuntimeError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_USAGE) from None
        load_ahead(workers, dask or bool(dask_address))
        try:
            server.ready()
        except ApiServerError as exc:
            raise fail(
                EXIT_PREFECT_API, str(exc), "see that Prefect is installed and the machine has free memory"
            ) from None
        _stop_on_terminate()
        quiet_output_errors()
        try:
            with terminal_display(quiet=not progress), server.flow_settings():
                summary = flow_to_run(
                    raw_dir=raw,
                    out_dir=out,
                    batch_size=batch_size,
                    base_iri=base_iri,
                    bom=bom,
                    max_bytes=max_bytes,
                    wait_seconds=wait,
                    workers=workers,
                    article_timeout=article_timeout,
                    server_pid=server.pid,
                    store=store,
                    sparql_endpoint=sparql_endpoint,
                )
        except OutputBusy as exc:
            err_console.print(f"[red]busy:[/red] {exc}")
            raise typer.Exit(EXIT_BUSY) from None
        except (KeyboardInterrupt, Exception) as exc:
            # A stop signal can land inside a library that wraps it (pydantic's serializer turns it into a
            # PydanticSerializationError): once one arrived, whatever ends the run is that stop.
            if _STOPPED_BY or isinstance(exc, KeyboardInterrupt):  # what was committed stays published
                signum = _STOPPED_BY.get("signal", signal.SIGINT)
                err_console.print(f"stopped ({signal.Signals(signum).name}): {out} is consistent; run again to finish")
                raise typer.Exit(128 + signum) from None
            if not is_output_error(exc):  # the manifest or a table could not be written: the disk filled mid-run
                raise
            raise output_error(out, cast(OSError, exc)) from None
    return summary


_STOPPED_BY: dict[str, int] = {}


def _stop_on_terminate() -> None:
    """SIGTERM and Ctrl-C stop a run the same way: an exception that unwinds it, so Prefect records the
    run's end, the pool and the embedded server are stopped and the lock is released. A second signal
    while unwinding is ignored: it would cut that short and print a traceback."""

    def stop(signum: int, frame: object) -> None:
        if _STOPPED_BY:
            return
        _STOPPED_BY["signal"] = signum
        logging.disable(logging.ERROR)  # Prefect's "Crash detected!" would be a second line for one event
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
