"""`stemwire serve --watch`: a run as soon as articles appear or change in raw/, beside the schedule.

File-system events (watchfiles: inotify on Linux) are gathered until raw/ has been quiet for the
settle window the run itself applies to growing files, then one run is asked for: a file still being
written when the run reads raw/ would only be left for a later run. Events on names that are not
articles (temporary files, hidden files, other suffixes) ask for nothing.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, watch

from stemwire.extractors.decode import ARTICLE_SUFFIXES
from stemwire.flows.output.inventory import SETTLE_SECONDS, TEMPORARY_PATTERNS

POLL_MS = 250  # how often the watcher wakes to check whether raw/ has gone quiet


def is_article_event(change: Change, path: str) -> bool:
    name = Path(path).name
    if name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in TEMPORARY_PATTERNS):
        return False
    # A deletion matters too: the run withdraws the article.
    return Path(name).suffix.lower() in ARTICLE_SUFFIXES


def watch_raw(
    raw: Path,
    trigger: Callable[[], object],
    stop: threading.Event,
    quiet_s: float = SETTLE_SECONDS,
) -> None:
    """Call `trigger` once per burst of article events in `raw`, when it has been quiet for `quiet_s`,
    until `stop` is set."""
    pending_since: float | None = None
    last_event = 0.0
    for changes in watch(
        raw,
        watch_filter=is_article_event,
        recursive=False,
        stop_event=stop,
        yield_on_timeout=True,
        rust_timeout=POLL_MS,
        debounce=POLL_MS,
    ):
        now = time.monotonic()
        if changes:
            last_event = now
            pending_since = pending_since or now
        if pending_since is not None and now - last_event >= quiet_s:
            pending_since = None
            trigger()


def start_watching(raw: Path, trigger: Callable[[], object], quiet_s: float = SETTLE_SECONDS) -> threading.Event:
    """Watch `raw` on a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=watch_raw, args=(raw, trigger, stop, quiet_s), name="stemwire-watch", daemon=True)
    thread.start()
    return stop
