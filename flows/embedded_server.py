"""The embedded Prefect server of a one-shot `stemwire run`, started by us rather than lazily by Prefect.

Started this way for two reasons. Ctrl-C in a terminal signals the whole process group: Prefect's own
start would leave the server in that group, it would die with the run's first SIGINT, and the run
would then spend minutes retrying a dead API while unwinding. The server is started with SIGINT
blocked (a blocked signal stays blocked across exec), so it lives until the run stops it (SIGTERM, at
exit). And its pid is known, so a run killed with SIGKILL leaves a server the next run can end
(flows/leftovers.py).
"""

from __future__ import annotations

import os
import signal


def start_embedded_server() -> int | None:
    """Start Prefect's embedded server unless PREFECT_API_URL names one; its pid, or None."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the instance Prefect's client uses when no API URL is set
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        server.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return server.server_process.pid if server.server_process else None
