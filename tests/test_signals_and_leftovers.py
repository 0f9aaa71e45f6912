"""A run stopped from outside, through the real command line: Ctrl-C (SIGINT to the whole process
group, as a terminal sends it) stops it within seconds with exit 130 and one line, and leaves no
process; after kill -9 the run's Prefect server is still alive, and the next run ends it (and only
it) and finishes the output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from stemwire.flows.quality.synthetic import write_corpus
from tests.test_hostile_input import _session_processes

ARTICLES = 30
KILLED_ARTICLES = 400  # enough that the run is still going when the pool's workers are listed


def _command(raw: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "stemwire.flows.cli", "run", "--raw", str(raw), "--out", str(out), *options]


def _start_and_wait_for_records(
    tmp_path: Path, *options: str, articles: int = ARTICLES
) -> tuple[subprocess.Popen[bytes], Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, articles)
    proc = subprocess.Popen(
        _command(raw, out, "--batch-size", "3", *options),
        env={k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},  # the run starts its own server
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    while not list((out / "records").glob("*.json")) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.2)
    return proc, raw, out


def _finishes(raw: Path, out: Path, articles: int = ARTICLES) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(_command(raw, out, "--workers", "1"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((out / "records").glob("*.json"))) == articles
    assert not list(out.rglob("*.tmp"))
    return done


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_the_run_in_seconds_with_130_and_leaves_nothing(tmp_path: Path, workers: str) -> None:
    proc, raw, out = _start_and_wait_for_records(tmp_path, "--workers", workers)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    assert proc.wait(timeout=30) == 130
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert "stopped (SIGINT)" in stderr
    deadline = time.monotonic() + 20
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_processes(proc.pid) == [], "Ctrl-C left processes behind"
    _finishes(raw, out)


def _listed(out: Path) -> dict:  # type: ignore[type-arg]
    return dict(json.loads((out / "state" / "processes.json").read_text(encoding="utf-8")))


def _pool_workers(started: list[dict[str, object]]) -> int:
    """Workers forked by the pool's worker server share its command line: all of them but the server."""
    forked = sum("multiprocessing.forkserver" in " ".join(map(str, p["cmdline"])) for p in started)  # type: ignore[call-overload]
    return max(0, forked - 1)


def _alive(described: dict[str, object]) -> bool:
    try:
        process = psutil.Process(int(str(described["pid"])))
        same = abs(process.create_time() - float(str(described["started"]))) < 0.05
        return same and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_next_run_ends_what_a_killed_run_left_behind(tmp_path: Path, workers: str) -> None:
    proc, raw, out = _start_and_wait_for_records(tmp_path, "--workers", workers, articles=KILLED_ARTICLES)
    deadline = time.monotonic() + 60  # the list is rewritten as batches are handed out: wait for the pool's workers
    # (counted by their command line: the list also holds multiprocessing's resource tracker)
    while _pool_workers(started := _listed(out)["started"]) < (0 if workers == "1" else int(workers)):
        assert time.monotonic() < deadline and proc.poll() is None, started
        time.sleep(0.1)
    listed = _listed(out)
    ours = list(listed["started"])
    servers = [p for p in ours if "uvicorn" in p["cmdline"]]
    assert listed["owner"]["pid"] == proc.pid and len(servers) == 1
    assert workers == "1" or len(ours) > 1, "the pool's workers are not listed"
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    proc.kill()
    proc.wait(timeout=10)
    # The server ends with its run (a parent-death signal, flows/api_server.py); whatever else is still
    # alive is what the next run must end.
    deadline = time.monotonic() + 20
    while _alive(servers[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(servers[0]), "the server outlived the run that started it"
    # a foreign process that got a listed pid is never ended: list the bystander under a wrong start time
    listed = _listed(out)  # as the run left it (what it started after `ours` was read is listed too)
    ours = list(listed["started"])
    listed["started"].append({"pid": bystander.pid, "started": 1.0, "cmdline": psutil.Process(bystander.pid).cmdline()})
    (out / "state" / "processes.json").write_text(json.dumps(listed), encoding="utf-8")

    _finishes(raw, out, KILLED_ARTICLES)
    assert not [p for p in ours if _alive(p)], "the killed run's processes are still alive"
    assert _session_processes(proc.pid) == [], "a process of the killed run was never listed, and outlived it"
    assert bystander.poll() is None, "a process that was not the killed run's was ended"
    bystander.kill()
    bystander.wait()
    assert not (out / "state" / "processes.json").exists()
