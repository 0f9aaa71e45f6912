"""Prefect settings that must be in place before Prefect is imported."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    # No telemetry from the client or from the embedded server.
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The run's own summary is the user-facing output; Prefect's per-task INFO lines are noise.
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # The embedded (ephemeral) server runs background loops (late runs, triggers, event persistence,
    # cancellation clean-up) that write to the same SQLite file as the API calls of a running flow;
    # their competing write transactions are what logs "database is locked". A one-shot run needs
    # none of them, so they are off here (and `stemwire serve` uses a real server instead).
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "true",
    "PREFECT_SERVER_DATABASE_TIMEOUT": "30",
    # The embedded server gets 20 s to start by default; a loaded 2-core machine has been seen to need more.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


# The flow run's own log (batch progress, failures, the summary) goes to the API, where the Prefect UI
# shows it, and not to the console, which shows the CLI's summary.
LOGGING_CONFIG = Path(__file__).with_name("logging.yml")


def configure_prefect_environment() -> None:
    """Apply the defaults without overriding anything the user set."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(LOGGING_CONFIG))
