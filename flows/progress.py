"""Progress of a run as it goes: the flow reports it here, whoever watches (the terminal display of
`stemwire run`, a test) listens.

The flow runs in the process of the command that started it, so a listener is a plain callback;
batches report as their results come back to the flow, whichever worker extracted them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


@dataclass
class RunProgress:
    total: int = 0
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0


Listener = Callable[[RunProgress], None]
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def report(progress: RunProgress) -> None:
    for listener in list(_listeners):
        listener(progress)


@contextmanager
def terminal_display(stream: TextIO | None = None, *, quiet: bool = False) -> Iterator[None]:
    """A progress bar on standard error while the run works, when that is a terminal (and not
    `--quiet`): articles done of total, rate, time left, failures so far. Elsewhere, nothing."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        yield
        return
    console = Console(file=stream)
    display = Progress(
        TextColumn("[bold]stemwire run[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = display.add_task("articles", total=None, rate=0.0, failed=0)

    def show(progress: RunProgress) -> None:
        display.update(task, total=progress.total, completed=progress.done, rate=progress.rate, failed=progress.failed)

    with display, listening(show):
        yield
