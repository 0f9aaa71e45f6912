"""The Prefect API server of one `stemwire run`, started before Prefect is imported.

Without PREFECT_API_URL, Prefect's ephemeral mode first imports the whole server application into
the run's own process (about 4 s on the CI machine), then starts it as a subprocess and waits for
it (another 4-5 s), before the flow can begin. Started here instead, as the run's first act, the
server boots while the run imports Prefect and the flow, and the run's process never loads the
server code (nor its memory).

The server is the run's child in a session of its own: Ctrl-C in the terminal reaches the run, which
stops cleanly and then stops the server, instead of killing the server under a flow that still needs
it. On Linux the kernel ends the server if the run itself dies (kill -9), so none is left behind.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import AbstractContextManager, nullcontext
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 90.0
PORT_ATTEMPTS = 3


class ApiServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


# Run first in the server's process, then replaced by the server (the signal survives exec): the kernel
# sends SIGTERM when the run that started it dies, however it dies. Gives up if the run is already gone.
_END_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "parent = int(sys.argv[1])\n"
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM)\n"  # 1 = PR_SET_PDEATHSIG
    "os.getppid() == parent or sys.exit(0)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def _launcher() -> list[str]:
    if sys.platform.startswith("linux"):
        return [sys.executable, "-c", _END_WITH_PARENT, str(os.getpid())]
    return []


def _server_command(port: int) -> list[str]:
    spec = find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ApiServerError("Prefect is not installed in this environment")
    # The command Prefect's own ephemeral mode runs (uvicorn over the server's app factory).
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(Path(spec.origin).parent.parent),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


class RunApiServer:
    """`with RunApiServer() as server:` starts the server (unless PREFECT_API_URL names one) and puts
    its address in PREFECT_API_URL, for this process and the workers it spawns; `server.ready()`
    waits until it answers. It is stopped when the process exits, or by `stop()`."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.api_url = os.environ.get("PREFECT_API_URL", "")
        self._owned = not self.api_url
        self._stop_registered = False
        # A file, not a pipe: a chatty server never blocks on it. Closed when the block ends.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115

    def __enter__(self) -> RunApiServer:
        if self._owned:
            self._launch()
        return self

    def _launch(self) -> None:
        port = free_port()
        self.api_url = f"http://{HOST}:{port}/api"
        env = {**os.environ, "PREFECT_UI_ENABLED": "false"}
        self.process = subprocess.Popen(
            [*_launcher(), *_server_command(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            start_new_session=True,
        )
        os.environ["PREFECT_API_URL"] = self.api_url
        if not self._stop_registered:
            # Registered before Prefect is imported, so it runs after Prefect's own exit handlers
            # (last-in, first-out), which still send the run's last logs and events to this server.
            atexit.register(self.stop)
            self._stop_registered = True

    @property
    def pid(self) -> int | None:
        """The server's pid while this run owns one (recorded so a killed run's leftovers can be ended)."""
        return self.process.pid if self.process is not None else None

    def ready(self, timeout_s: float = STARTUP_TIMEOUT_S) -> str:
        """The API URL, once the server answers its health check."""
        if not self._owned:
            return self.api_url
        deadline = time.monotonic() + timeout_s
        attempts = 1
        while not healthy(self.api_url):
            assert self.process is not None
            if self.process.poll() is not None:
                if attempts < PORT_ATTEMPTS:  # the free port was taken meanwhile: try another
                    attempts += 1
                    self._launch()
                    continue
                raise ApiServerError(f"the Prefect server exited with status {self.process.returncode}: {self._tail()}")
            if time.monotonic() > deadline:
                raise ApiServerError(f"the Prefect server did not answer on {self.api_url} within {timeout_s:.0f} s")
            time.sleep(0.1)
        return self.api_url

    def flow_settings(self) -> AbstractContextManager[object]:
        """Prefect's settings for a flow run against this server: no flow-run heartbeats when the
        server is the run's own. Heartbeats let a lasting server mark runs that crashed; this one
        ends with the run. And a flow run waits for its heartbeat thread, which sleeps in steps of a
        second, when it ends: about half a second of every run, the whole of a no-op's margin."""
        if not self._owned:
            return nullcontext()
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})

    def _tail(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Nothing: the server lives until the process exits (see _launch), as Prefect's own does."""

    def stop(self) -> None:
        """Stop the server (once; again is harmless) and take its address out of the environment."""
        if not self._owned:
            return
        if os.environ.get("PREFECT_API_URL") == self.api_url:
            del os.environ["PREFECT_API_URL"]
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self._log.closed:
            self._log.close()
