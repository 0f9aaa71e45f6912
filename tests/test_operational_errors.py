"""Operational errors through the real command line: each is one or two lines naming the cause and
the fix, with an exit status of its own (README, "Exit statuses"), and no traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from stemwire.flows import cli_errors
from tests.helpers import FIXTURES

CLI = [sys.executable, "-m", "stemwire.flows.cli"]


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "articles" / "islet-t1d-hans.txt", raw)
    return raw


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once it is closed


def _check(done: subprocess.CompletedProcess[str], status: int, *cause: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == status, done.stderr + done.stdout
    assert "Traceback" not in done.stderr and 1 <= len(lines) <= 2, done.stderr
    assert all(word in done.stderr for word in cause), done.stderr
    assert "fix:" in done.stderr


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | (env or {})
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=environment)


def _in_a_tiny_mount(tmp_path: Path, options: str, raw: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`stemwire run` with OUT on a tmpfs of its own (mounted in a private user and mount namespace)."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-Urm", "true"], check=False).returncode:
        pytest.skip("no unprivileged mount namespaces here")
    raw, mount = raw or _raw(tmp_path), tmp_path / "mnt"
    mount.mkdir()
    run = " ".join([*CLI, "run", "--raw", str(raw), "--out", str(mount / "out"), "--workers", "1"])
    script = f"mount -t tmpfs -o {options} tmpfs {mount} && exec {run}"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True, timeout=120, env=env)


def test_a_read_only_out(tmp_path: Path) -> None:
    _check(_in_a_tiny_mount(tmp_path, "ro,size=1m"), cli_errors.EXIT_OUTPUT, "cannot be written", "Read-only")


def test_a_full_out(tmp_path: Path) -> None:
    _check(_in_a_tiny_mount(tmp_path, "size=16k"), cli_errors.EXIT_OUTPUT, "No space left", "free space")


def test_out_filling_up_mid_run(tmp_path: Path) -> None:
    from stemwire.flows.quality.synthetic import write_corpus

    write_corpus(tmp_path / "many", 30)  # about 480 KB of articles: their outputs outgrow 400 KB
    done = _in_a_tiny_mount(tmp_path, "size=400k", tmp_path / "many")
    _check(done, cli_errors.EXIT_OUTPUT, "No space left", "free space")


def test_out_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    done = _cli("run", "--raw", str(_raw(tmp_path)), "--out", str(tmp_path / "afile" / "out"))
    _check(done, cli_errors.EXIT_OUTPUT, "cannot be written", "pass a folder as --out")


def test_an_unreachable_prefect_api(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    done = _cli("run", "--raw", str(_raw(tmp_path)), "--out", str(tmp_path / "out"), env={"PREFECT_API_URL": url})
    _check(done, cli_errors.EXIT_PREFECT_API, f"PREFECT_API_URL={url}", "no Prefect server answers")


def test_a_closed_dask_address(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    done = _cli("run", "--raw", str(_raw(tmp_path)), "--out", str(tmp_path / "out"), "--dask-address", address)
    _check(done, cli_errors.EXIT_DASK, address, "no Dask scheduler answers")


def test_a_bad_cron(tmp_path: Path) -> None:
    done = _cli("serve", "--raw", str(_raw(tmp_path)), "--out", str(tmp_path / "out"), "--cron", "every day at 9")
    _check(done, cli_errors.EXIT_CRON, "'every day at 9'", "not a cron expression")


def test_a_busy_port_for_serves_server(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = str(listener.getsockname()[1])
        done = _cli(
            "serve", "--raw", str(_raw(tmp_path)), "--out", str(tmp_path / "out"), "--interval", "60", "--port", port
        )
    _check(done, cli_errors.EXIT_PORT, f"--port {port}", "the port is taken")
