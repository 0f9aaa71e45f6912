"""Prefect's logging as stemwire configures it (flows/logging.yml), loaded the way Prefect loads it,
in a child process so pytest's own logging is left alone."""

from __future__ import annotations

import subprocess
import sys

from .helpers import ROOT

PROBE = """
import logging
from stemwire.flows.environment import configure_prefect_environment
configure_prefect_environment()
from prefect.logging.configuration import setup_logging
setup_logging()
for name in ("EventsWorker", "APILogWorker"):
    log = logging.getLogger(name)
    log.warning("Still processing items: 4 items remaining...")
    log.warning("Service %r queue is full (%d items), dropping item", name, 3)
"""


def test_queue_services_keep_real_warnings_and_drop_shutdown_progress() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert not [line for line in lines if "Still processing items" in line]
    assert [line.split(" - ", 1)[1] for line in lines if "dropping item" in line] == [
        "Service 'EventsWorker' queue is full (3 items), dropping item",
        "Service 'APILogWorker' queue is full (3 items), dropping item",
    ]
