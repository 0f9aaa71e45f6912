"""Processes a run starts (Prefect's embedded server, pool workers) outlive it when it is killed with
SIGKILL: nothing runs in a process killed that way. So a run writes down, under OUT/state, who it
started (pid, start time, command line), and the next run on the same OUT ends those still alive.

A pid is reused by the system, so a process is ended only if its start time and command line are the
ones written down: a foreign process that got the same pid is never touched. Only a run holding OUT's
lock ends leftovers, and never while the run that started them is still alive.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import psutil

from stemwire.flows.output.layout import OutputLayout

GRACE_SECONDS = 5.0  # between SIGTERM and SIGKILL


def _describe(process: psutil.Process) -> dict[str, object]:
    return {"pid": process.pid, "started": process.create_time(), "cmdline": process.cmdline()}


def record_processes(out_dir: Path, extra: list[int] | None = None) -> None:
    """Write down this process and every process it started (`extra`: pids started elsewhere that
    are ours too). Cheap enough to call after every batch: pool workers come and go."""
    me = psutil.Process()
    found = {}
    for process in [*me.children(recursive=True), *(_process(pid) for pid in extra or [])]:
        if process is not None:
            with contextlib.suppress(psutil.Error):
                found[process.pid] = _describe(process)
    path = OutputLayout(out_dir).processes
    document = {"owner": _describe(me), "started": sorted(found.values(), key=lambda d: int(str(d["pid"])))}
    text = json.dumps(document, ensure_ascii=False)
    with contextlib.suppress(OSError):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a half-written list would hide the processes; not fsynced: a hint, not data


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _same(described: dict[str, object]) -> psutil.Process | None:
    """The process written down, if it is still alive and provably the same one."""
    process = _process(int(str(described.get("pid", 0))))
    if process is None:
        return None
    try:
        same_start = abs(process.create_time() - float(str(described.get("started", -1)))) < 0.05
        if same_start and process.cmdline() == described.get("cmdline"):
            return process
    except psutil.Error:
        pass
    return None


def end_leftovers(out_dir: Path) -> list[str]:
    """End the processes an earlier run on OUT started and left behind; one line for each ended."""
    path = OutputLayout(out_dir).processes
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        owner, started = document["owner"], list(document["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if owner.get("pid") == os.getpid() or _same(owner) is not None:
        return []  # that run is alive (or is this one): its processes are not leftovers
    alive = [p for p in map(_same, started) if p is not None]
    ended = [
        f"ended pid {p.pid} ({' '.join(_short(p))}), left behind by a killed run (pid {owner['pid']})" for p in alive
    ]
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, stubborn = psutil.wait_procs(alive, timeout=GRACE_SECONDS)
    for process in stubborn:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(stubborn, timeout=GRACE_SECONDS)
    with contextlib.suppress(OSError):
        path.unlink()
    return ended


def _short(process: psutil.Process) -> list[str]:
    with contextlib.suppress(psutil.Error):
        return [Path(part).name if i == 0 else part for i, part in enumerate(process.cmdline()[:4])]
    return ["?"]


def forget_processes(out_dir: Path) -> None:
    """At the end of a run: its processes end with it."""
    with contextlib.suppress(OSError):
        OutputLayout(out_dir).processes.unlink()
