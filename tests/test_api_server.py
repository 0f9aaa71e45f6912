"""The run's own Prefect server (flows/api_server.py): it answers, it is stopped with the run, and a
run killed with SIGKILL does not leave it behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from stemwire.flows.api_server import RunApiServer
from stemwire.flows.environment import configure_prefect_environment


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


def test_server_answers_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    configure_prefect_environment()
    with RunApiServer() as server:
        url = server.ready()
        assert os.environ["PREFECT_API_URL"] == url
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            assert response.status == 200
        assert server.process is not None
        pid = server.process.pid
        _a_flow_run_here_sends_no_heartbeats(server)
    assert _alive(pid)  # it lives until the process exits (Prefect's exit handlers still use it) ...
    server.stop()  # ... or until stopped
    server.stop()
    assert "PREFECT_API_URL" not in os.environ
    assert _wait_gone(pid, 5)


def _a_flow_run_here_sends_no_heartbeats(server: RunApiServer) -> None:
    """The run's own server ends with the run: its flow runs send no heartbeats (and do not wait for
    the heartbeat thread when they end)."""
    from prefect import flow
    from prefect.settings import get_current_settings

    @flow
    def heartbeat_setting() -> int | None:
        return get_current_settings().flows.heartbeat_frequency

    with server.flow_settings():
        assert heartbeat_setting() is None
    assert get_current_settings().flows.heartbeat_frequency is not None  # only while the run lasts


def test_a_named_server_is_used_and_nothing_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with RunApiServer() as server:
        assert server.ready() == "http://127.0.0.1:9/api"
        assert server.process is None
        from prefect.settings import get_current_settings

        with server.flow_settings():  # a lasting server may watch for crashed runs: heartbeats stay
            assert get_current_settings().flows.heartbeat_frequency is not None
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_server_ends_when_its_run_is_killed() -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from stemwire.flows.api_server import RunApiServer
        from stemwire.flows.environment import configure_prefect_environment
        configure_prefect_environment()
        with RunApiServer() as server:
            server.ready()
            print(server.process.pid, flush=True)
            time.sleep(600)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert owner.stdout is not None
        server_pid = int(owner.stdout.readline())
        assert _alive(server_pid)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        assert _wait_gone(server_pid, 20), "the server outlived the run that started it"
    finally:
        if owner.poll() is None:
            owner.kill()
