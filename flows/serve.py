"""`stemwire serve`: the flow as a scheduled Prefect deployment, on a real Prefect server (Prefect's
ephemeral mode cannot run schedules).

When PREFECT_API_URL is set, serve uses that server (a shared one, on PostgreSQL in production).
Otherwise it starts `prefect server start` on loopback (SQLite under PREFECT_HOME) as a child process,
waits until its health endpoint answers, and stops it when serving ends.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stemwire.flows.api_server import HOST, free_port, healthy
from stemwire.flows.environment import DEFAULTS

STARTUP_TIMEOUT = 120.0
CATCH_UP_DELAY_S = 3.0
# A scheduling server needs the background services a one-shot run turns off; loops run often
# enough that a short interval schedule is honoured.
SERVER_SETTINGS = {
    **{k: "true" for k in DEFAULTS if k.startswith("PREFECT_SERVER_SERVICES_")},
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}


class ServerError(RuntimeError):
    pass


@contextmanager
def local_server(port: int | None = None) -> Iterator[str]:
    """Start a Prefect server on loopback; yield its API URL; stop it on the way out."""
    port = port or free_port()
    api_url = f"http://{HOST}:{port}/api"
    env = {**os.environ, **SERVER_SETTINGS}
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not healthy(api_url):
            if process.poll() is not None:
                detail = process.stderr.read().decode("utf-8", "replace")[-800:] if process.stderr else ""
                raise ServerError(f"prefect server exited with status {process.returncode}: {detail}")
            if time.monotonic() > deadline:
                raise ServerError(f"prefect server did not answer on {api_url} within {STARTUP_TIMEOUT:.0f} s")
            time.sleep(0.5)
        yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_in_child(api_url: str) -> int:
    """Run this same `stemwire serve` command in a child that uses the server at `api_url`; pass
    Ctrl-C and SIGTERM on to it, and return its exit status once it has stopped."""
    env = {**os.environ, "PREFECT_API_URL": api_url}
    child = subprocess.Popen([sys.executable, "-m", "stemwire.flows.cli", *sys.argv[1:]], env=env)

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signal.SIGINT)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
        try:
            return child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_deployment(
    raw: Path,
    out: Path,
    name: str,
    *,
    cron: str | None,
    interval: float | None,
    base_iri: str,
    bom: bool,
    watch: bool = False,
) -> None:
    """Serve `stemwire_run` as the deployment `name` on the server PREFECT_API_URL names, until stopped:
    on its schedule, and with `watch` also as soon as articles appear or change in `raw`."""
    from prefect.schedules import Cron, Interval

    from stemwire.flows.run_flow import stemwire_run

    # A named schedule, active, and not paused when serving stops: Prefect has shipped versions
    # where a restarted `serve` left its schedules off (PrefectHQ/prefect#16363).
    schedules = []
    if cron:
        schedules.append(Cron(cron, slug=f"{name}-schedule", active=True))
    elif interval:
        schedules.append(Interval(dt.timedelta(seconds=interval), slug=f"{name}-schedule", active=True))
    stop_watching = _watch(raw, name) if watch else None
    try:
        stemwire_run.serve(
            name=name,
            schedules=schedules,
            parameters={
                "raw_dir": str(raw.resolve()),
                "out_dir": str(out.resolve()),
                "base_iri": base_iri,
                "bom": bom,
                "skip_if_busy": True,
            },
            paused=False,
            pause_on_shutdown=False,
        )
    finally:
        if stop_watching is not None:
            stop_watching.set()


def _watch(raw: Path, name: str) -> threading.Event:
    """Ask the server for a run of this deployment whenever raw/ has new or changed articles, and once
    when serving starts (what was dropped while nothing watched); the runner serving the deployment
    picks the run up like a scheduled one, and the UI shows it as such."""
    from prefect.deployments import run_deployment

    from stemwire.flows.watch import start_watching

    deployment = f"stemwire-run/{name}"

    def trigger() -> bool:
        try:
            run_deployment(name=deployment, timeout=0, tags=["watch"])
            return True
        except Exception as exc:  # the server may be restarting: the schedule (or the next event) catches up
            print(f"stemwire serve --watch: could not ask for a run: {exc}", file=sys.stderr)
            return False

    stop = start_watching(raw, trigger)

    def catch_up() -> None:  # the deployment exists once serve() has registered it
        time.sleep(CATCH_UP_DELAY_S)
        while not stop.is_set() and not trigger():
            stop.wait(CATCH_UP_DELAY_S)

    threading.Thread(target=catch_up, name="stemwire-catch-up", daemon=True).start()
    return stop
