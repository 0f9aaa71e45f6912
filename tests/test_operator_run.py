"""`stemwire run` as operators meet it: progress in a pseudo-terminal, `--quiet`, `--json` against its
schema, `--version` and `-h`, and what a real Prefect server shows of a run (its name, its log, the
summary and report artifacts, a state that agrees with the exit status)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from stemwire.flows.api_server import RunApiServer
from stemwire.flows.environment import configure_prefect_environment
from stemwire.schemas.export import SUMMARY_SCHEMA_PATH

from .helpers import ROOT as REPO

STEMWIRE = [sys.executable, "-m", "stemwire.flows.cli"]


def _raw(tmp_path: Path, count: int = 3, bad: bool = True) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    sample = sorted((REPO / "raw").glob("*.txt"))[0].read_text(encoding="utf-8")
    for i in range(count):
        (raw / f"a{i}.txt").write_text(sample + f"\n第{i}篇。", encoding="utf-8")
    if bad:
        (raw / "empty.txt").write_text("", encoding="utf-8")
    old = time.time() - 60  # past the settle window for growing files
    for path in raw.iterdir():
        os.utime(path, (old, old))
    return raw


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(COLUMNS="120", **extra)
    return env


def test_version_and_short_help() -> None:
    version = subprocess.run([*STEMWIRE, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("stemwire ")
    helped = subprocess.run([*STEMWIRE, "run", "-h"], capture_output=True, text=True, timeout=60, env=_env())
    assert helped.returncode == 0 and "--quiet" in helped.stdout and "--json" in helped.stdout


def test_json_summary_validates_and_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [*STEMWIRE, "run", "--raw", str(raw), "--out", str(out), "--workers", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(),
    )
    assert done.returncode == 1, done.stderr  # the empty file failed
    summary = json.loads(done.stdout)
    jsonschema.validate(summary, json.loads(SUMMARY_SCHEMA_PATH.read_text(encoding="utf-8")))
    assert summary["published"] == 3 and summary["exit_status"] == 1
    assert [f["path"] for f in summary["failures"]] == [str(raw / "empty.txt")]
    (raw / "empty.txt").unlink()
    quiet = subprocess.run(
        [*STEMWIRE, "run", "--raw", str(raw), "--out", str(out), "--workers", "1", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(),
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""


def test_progress_shows_in_a_terminal(tmp_path: Path) -> None:
    raw = _raw(tmp_path, count=40, bad=False)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*STEMWIRE, "run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(),
    )
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    shown = seen.decode("utf-8", "replace")
    assert "stemwire run" in shown and "/40" in shown  # the bar: done of total
    assert "review:" in shown  # the closing summary names the report to open


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def prefect_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A real Prefect server on loopback with a database of its own."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    configure_prefect_environment()
    server = RunApiServer()
    server.__enter__()
    url = server.ready()
    yield url
    server.stop()


def test_prefect_shows_name_log_artifacts_and_a_state_that_agrees(tmp_path: Path, prefect_server: str) -> None:
    raw = _raw(tmp_path)
    done = subprocess.run(
        [*STEMWIRE, "run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(PREFECT_API_URL=prefect_server),
    )
    assert done.returncode == 1, done.stderr
    runs = _post(f"{prefect_server}/flow_runs/filter", {})
    assert len(runs) == 1
    run = runs[0]
    assert run["name"] == "raw: 4 new, 0 changed, 0 deleted"
    assert run["state"]["name"] == "CompletedWithFailures" and run["state"]["type"] == "COMPLETED"
    assert "1 input(s) failed" in (run["state"]["message"] or "")
    logs = [
        e["message"] for e in _post(f"{prefect_server}/logs/filter", {"logs": {"flow_run_id": {"any_": [run["id"]]}}})
    ]
    assert any(m.startswith("summary: 4 read, 3 published") for m in logs), logs
    # each failure is logged once, as its batch comes back (not again in the summary)
    assert sum("failed:" in m and "empty.txt" in m for m in logs) == 1, logs
    artifacts = _post(f"{prefect_server}/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    by_key = {a["key"]: a for a in artifacts}
    assert "empty.txt" in str(by_key["stemwire-summary"]["data"])
    # Prefect stores a link artifact as Markdown holding the link
    assert "(file://" in str(by_key["stemwire-report"]["data"]) and "report/index.html" in str(
        by_key["stemwire-report"]["data"]
    )
