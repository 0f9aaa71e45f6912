"""Logging filters that flows/logging.yml attaches to Prefect's loggers."""

from __future__ import annotations

import logging


class DropShutdownProgress(logging.Filter):
    """Prefect's queue services (events, API logs) log "Still processing items: N items remaining..."
    whenever they are stopped with anything left in their queue, which depends on timing alone: the
    items are still sent before the process exits. On a `--quiet` run it would be the only output of a
    success. Every other message of these loggers (a full queue dropping items, a failed send) passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Still processing items")
