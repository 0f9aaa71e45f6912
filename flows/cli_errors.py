"""Operational errors of the command line: checked before any work starts, each told in one or two
lines that name the cause and the fix, each with an exit status of its own (the README's table), so
that a script can tell "an input failed" (1) from "the machine is not ready"."""

from __future__ import annotations

import errno
import logging
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

import typer
from rich.console import Console

err_console = Console(stderr=True, soft_wrap=True)

EXIT_INPUT_FAILED = 1  # one or more articles failed; the rest is published
EXIT_USAGE = 2  # a bad option or path
EXIT_BUSY = 3  # another run holds OUT
EXIT_OUTPUT = 4  # OUT cannot be written (read-only, full, not a folder)
EXIT_PREFECT_API = 5  # PREFECT_API_URL does not answer
EXIT_DASK = 6  # --dask-address does not answer
EXIT_CRON = 7  # --cron is not a cron expression
EXIT_PORT = 8  # serve's --port is taken
PROBE_BYTES = 64 * 1024  # written and removed before a run: a full disk shows before any article is read
REACH_SECONDS = 5.0


def fail(status: int, message: str, fix: str) -> typer.Exit:
    """Print the cause and the fix (one line each) and give the exit to raise."""
    err_console.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    err_console.print(f"  fix: {fix}", markup=False, highlight=False)
    return typer.Exit(status)


OUTPUT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # only writing gives these: OUT, not raw/


def is_output_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS


class _QuietOutputErrors(logging.Filter):
    """Prefect logs a flow's or task's exception with its traceback; for a full or read-only OUT the
    command's own two lines say it all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and record.exc_info[1] and is_output_error(record.exc_info[1]))


def quiet_output_errors() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(_QuietOutputErrors())


def output_error(out: Path, exc: OSError) -> typer.Exit:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = f"free space on the disk that holds {out}, or pass another --out"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        fix = f"{out} (or a folder above it) is a file: pass a folder as --out"
    else:
        fix = f"make {out} writable (it is read-only or not yours), or pass another --out"
    return fail(EXIT_OUTPUT, f"{out}: the output folder cannot be written ({reason})", fix)


def require_writable_output(out: Path) -> None:
    """OUT exists (or is created) and takes a write of PROBE_BYTES, synced."""
    probe = out / f".stemwire-probe-{os.getpid()}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        try:
            with open(probe, "wb") as fh:
                fh.write(b"\0" * PROBE_BYTES)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        raise output_error(out, exc) from None


def require_prefect_api() -> None:
    """The server PREFECT_API_URL names answers its health check (unset: an embedded server is used)."""
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return
    import httpx

    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=REACH_SECONDS)
        response.raise_for_status()
    except (httpx.HTTPError, ValueError) as exc:
        cause = exc.__class__.__name__
        raise fail(
            EXIT_PREFECT_API,
            f"PREFECT_API_URL={url}: no Prefect server answers there ({cause})",
            "start it (`prefect server start`), correct the address, or unset PREFECT_API_URL to use an embedded one",
        ) from None


def require_dask_scheduler(address: str | None) -> None:
    if not address:
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise fail(EXIT_USAGE, f"--dask-address {address!r} has no host and port", "e.g. tcp://127.0.0.1:8786")
    try:
        socket.create_connection((host, port), timeout=REACH_SECONDS).close()
    except OSError as exc:
        raise fail(
            EXIT_DASK,
            f"--dask-address {address}: no Dask scheduler answers there ({exc.strerror or exc})",
            "start one (`dask scheduler`), correct the address, or leave --dask-address out to run locally",
        ) from None


def require_cron(cron: str | None) -> None:
    if cron is None:
        return
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        raise fail(
            EXIT_CRON,
            f"--cron {cron!r} is not a cron expression",
            "five fields: minute hour day-of-month month day-of-week, e.g. '*/10 * * * *'",
        ) from None


def require_free_port(port: int) -> None:
    with socket.socket() as sock:
        # As the server binds: a port in TIME_WAIT after a restart is free, one that something listens on is not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise fail(
                EXIT_PORT,
                f"--port {port}: the port is taken ({exc.strerror or exc}), so no Prefect server can start there",
                "pass another --port, or stop what listens there, or set PREFECT_API_URL to a running server",
            ) from None


def require_absolute_iri(base_iri: str) -> None:
    parts = urlsplit(base_iri)
    if not (parts.scheme and parts.netloc):
        err_console.print(
            f"[red]error:[/red] --base-iri {base_iri!r} is not an absolute IRI (e.g. https://example.org/)"
        )
        raise typer.Exit(EXIT_USAGE)
