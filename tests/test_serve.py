"""`stemwire serve` on a real Prefect server on loopback: a dropped file is published on schedule,
the schedule survives a restart, and the server serve started is stopped with it."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from stemwire.flows.cli import app
from stemwire.flows.serve import free_port
from tests.helpers import FIXTURES


def start_serve(raw: Path, out: Path, home: Path, port: int, *schedule: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"PREFECT_HOME": str(home), "PREFECT_RUNNER_POLL_FREQUENCY": "2"})
    command = [sys.executable, "-m", "stemwire.flows.cli", "serve", "--raw", str(raw), "--out", str(out)]
    command += [*(schedule or ("--interval", "3")), "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"serve exited with {proc.returncode}"
        assert time.monotonic() < deadline, f"{path.name} did not appear within {timeout:.0f} s"
        time.sleep(1)


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
            return True
    except OSError:
        return False


def stop(proc: subprocess.Popen, port: int) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=90) == 0
    assert not answers(port), "the server serve started must stop with it"


def test_scheduled_serve_publishes_dropped_files_across_a_restart(tmp_path: Path) -> None:
    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "prefect-home"
    raw.mkdir()
    port = free_port()
    proc = start_serve(raw, out, home, port)
    try:
        shutil.copy(FIXTURES / "articles" / "ms-hsct-hant.txt", raw)
        wait_for(out / "records" / "ms-hsct-hant.json", proc)
        stop(proc, port)
        # Restarted on the same Prefect database: the named schedule is still active.
        proc = start_serve(raw, out, home, port)
        shutil.copy(FIXTURES / "articles" / "sci-opc-hant-tw.txt", raw)
        wait_for(out / "records" / "sci-opc-hant-tw.json", proc)
        stop(proc, port)
    finally:
        if proc.poll() is None:  # SIGTERM first, so that serve stops the server it started
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_serve_needs_exactly_one_schedule(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--raw", str(tmp_path)])
    assert result.exit_code == 2 and "one of --cron" in result.output
    result = CliRunner().invoke(app, ["serve", "--raw", str(tmp_path), "--cron", "* * * * *", "--interval", "5"])
    assert result.exit_code == 2


def test_watched_serve_publishes_a_dropped_file_without_its_schedule(tmp_path: Path) -> None:
    """Only --watch, no schedule: serving starts with one catch-up run (what was dropped before), then
    a file dropped later can only come through a file event."""
    raw, out, home = tmp_path / "raw", tmp_path / "out", tmp_path / "prefect-home"
    raw.mkdir()
    shutil.copy(FIXTURES / "articles" / "ms-hsct-hant.txt", raw)
    port = free_port()
    proc = start_serve(raw, out, home, port, "--watch")
    try:
        wait_for(out / "records" / "ms-hsct-hant.json", proc, timeout=300)
        wait_for(out / "catalog.jsonld", proc, timeout=120)  # that run is over: the watcher is up
        shutil.copy(FIXTURES / "articles" / "sci-opc-hant-tw.txt", raw)
        wait_for(out / "records" / "sci-opc-hant-tw.json", proc, timeout=180)
        stop(proc, port)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_served_run_that_finds_another_run_working_is_skipped(tmp_path: Path) -> None:
    from stemwire.flows.environment import configure_prefect_environment
    from stemwire.flows.output.lock import output_lock

    configure_prefect_environment()
    from prefect.states import State

    from stemwire.flows.run_flow import stemwire_run

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    with output_lock(out, 0):
        state = stemwire_run(raw_dir=raw, out_dir=out, skip_if_busy=True, return_state=True)
    assert isinstance(state, State) and state.name == "Skipped" and state.is_completed()
    assert "skipped" in (state.message or "")
