"""Drop-to-publish latency of `stemwire serve --watch` (issue 20: a dropped article is published within 15 s).

The server is started the way a user starts it: the installed `stemwire` command, in a process
session of its own, on a temporary raw/ and output folder, with a PREFECT_HOME of its own (so its
Prefect server, on a free loopback port, and that server's database are throwaway). It is ready when
its catch-up run is over: the seed article's JSON-LD and the catalog are published and no run holds
OUT's lock. Then articles of the synthetic corpus are dropped one at a time, as an operator's tool
drops them: written under a temporary name (`.part`, which the watcher and the run both ignore) and
renamed into raw/; and once written slowly, in pieces under its final name, as a copy over a share
would. A latency runs from the drop (the rename, or the slow write's last byte) to the article's
JSON-LD (OUT/jsonld/<id>.jsonld) existing and parsing. The next drop waits until the run that
published the last one has released OUT: each figure is a drop into an idle server.

The server's whole process tree is stopped at the end, on success, error or timeout: SIGTERM as
Ctrl-C would, then SIGKILL to whatever is left of the tree after STOP_TIMEOUT_S.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psutil

from stemwire.flows.api_server import free_port
from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.quality.synthetic import write_corpus
from stemwire.schemas.ids import article_id

TIMEOUT_S = 600.0  # the whole measurement: start-up, catch-up run and every drop
DROP_TIMEOUT_S = 120.0  # one drop; a drop never published is an error, not a figure
STOP_TIMEOUT_S = 90.0  # serve's own orderly stop (runner, then its Prefect server)
POLL_S = 0.05
GROWING_PIECES = 4
GROWING_PAUSE_S = 0.5  # between the pieces of the slow write: the watcher sees it grow
FIGURES = ("watch_drops", "watch_latency_median_s", "watch_latency_max_s", "watch_growing_write_s")


class WatchBenchError(RuntimeError):
    pass


def stemwire_command() -> list[str]:
    """The installed `stemwire` script: beside this interpreter (a virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / "stemwire"
    found = str(beside) if beside.is_file() else shutil.which("stemwire")
    if not found:
        raise WatchBenchError(f"the stemwire command is not installed (not beside {sys.executable}, not on PATH)")
    return [found]


class _Server:
    """`stemwire serve --watch` on `raw` and `out`, its output in `log`."""

    def __init__(self, raw: Path, out: Path, home: Path, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(home)
        command = [*stemwire_command(), "serve", "--watch", "--raw", str(raw), "--out", str(out)]
        command += ["--port", str(free_port())]
        self.log = log
        with open(log, "wb") as sink:
            self.proc = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.seen: dict[int, psutil.Process] = {}

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return " | ".join(self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-6:])
        return ""

    def remember_tree(self) -> None:
        """Note every process of the tree (the runner's flow-run processes come and go)."""
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.proc.pid)
            for process in [root, *root.children(recursive=True)]:
                self.seen.setdefault(process.pid, process)

    def check_alive(self, waiting_for: str) -> None:
        if self.proc.poll() is not None:
            raise WatchBenchError(
                f"stemwire serve --watch exited with status {self.proc.returncode} while waiting for {waiting_for}; "
                f"its last output: {self.tail() or '(none)'}"
            )

    def stop(self) -> bool:
        """SIGTERM, as an operator stops it; SIGKILL to what is left. True when it stopped by itself."""
        self.remember_tree()
        clean = False
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                clean = self.proc.wait(timeout=STOP_TIMEOUT_S) == 0
        left = [p for p in self.seen.values() if _alive(p)]
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # its session: anything started that the snapshots missed
        psutil.wait_procs(left, timeout=10)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        return clean and not left


def _alive(process: psutil.Process) -> bool:
    try:  # is_running() also checks the start time: a reused pid is not ours
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _published(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def _idle(out: Path) -> bool:
    """No run holds OUT: the lock file names its holder only while held (flows/output/lock.py)."""
    try:
        return not OutputLayout(out).lock.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _wait(server: _Server, done: Callable[[], bool], what: str, deadline: float) -> float:
    """Poll `done()` until it holds; the monotonic time it was seen to."""
    start = time.monotonic()
    while not done():
        server.check_alive(what)
        if time.monotonic() > deadline:
            waited = time.monotonic() - start
            raise WatchBenchError(
                f"waited {waited:.0f} s for {what}, in vain; serve's last output: {server.tail() or '(none)'}"
            )
        server.remember_tree()
        time.sleep(POLL_S)
    return time.monotonic()


def _drop(source: Path, raw: Path) -> float:
    """Write under a temporary name, then rename into raw/: the article appears whole at once."""
    part = raw / f"{source.name}.part"
    shutil.copyfile(source, part)
    os.replace(part, raw / source.name)
    return time.monotonic()


def _drop_growing(source: Path, raw: Path) -> float:
    """Write the article under its final name in pieces, GROWING_PAUSE_S apart; when its last byte is in."""
    data = source.read_bytes()
    step = -(-len(data) // GROWING_PIECES)
    with open(raw / source.name, "wb") as fh:
        for start in range(0, len(data), step):
            fh.write(data[start : start + step])
            fh.flush()
            if start + step < len(data):
                time.sleep(GROWING_PAUSE_S)
    return time.monotonic()


def watch_latency(
    drops: int = 3, growing: bool = True, workdir: Path | None = None, timeout_s: float = TIMEOUT_S
) -> dict[str, Any]:
    """Drop `drops` articles (and one slow write with `growing`) into a served, watched raw/; the
    latencies to publication, their count, median and maximum, and whether serve stopped cleanly."""
    if drops < 1 and not growing:
        raise ValueError("drop at least one article")
    with tempfile.TemporaryDirectory(prefix="stemwire-bench-watch-") as tmp:
        root = workdir or Path(tmp)
        raw, out, staging, home = root / "raw", root / "out", root / "staging", root / "prefect-home"
        for folder in (raw, home):
            folder.mkdir(parents=True, exist_ok=True)
        seed, *articles = write_corpus(staging, 1 + drops + int(growing))
        shutil.copy(seed, raw)  # what the catch-up run publishes: it ends the start-up
        layout = OutputLayout(out)
        deadline = time.monotonic() + timeout_s
        server = _Server(raw, out, home, root / "serve.log")
        latencies: list[float] = []
        growing_s = None
        try:
            seed_jsonld = layout.jsonld(article_id(seed.name))

            def ready() -> bool:  # the catch-up run is over: the watcher is up
                return _published(seed_jsonld) and layout.catalog.exists() and _idle(out)

            _wait(server, ready, f"the catch-up run to publish {seed_jsonld} and release {out}", deadline)
            for i, source in enumerate(articles):
                slow = growing and i == len(articles) - 1
                dropped = (_drop_growing if slow else _drop)(source, raw)
                target = layout.jsonld(article_id(source.name))
                limit = min(deadline, dropped + DROP_TIMEOUT_S)
                what = f"{target} to be published after {source.name} was dropped into {raw}{' slowly' if slow else ''}"
                seen = _wait(server, partial(_published, target), what, limit)
                latencies.append(seen - dropped)
                if slow:
                    growing_s = seen - dropped
                _wait(server, partial(_idle, out), f"the run that published {source.name} to release {out}", deadline)
        finally:
            clean = server.stop()
    if not all(math.isfinite(s) and s > 0 for s in latencies):
        raise WatchBenchError(f"latencies out of sense: {latencies}")
    return {
        "watch_drops": len(latencies),
        "watch_latency_median_s": statistics.median(latencies),
        "watch_latency_max_s": max(latencies),
        "watch_growing_write_s": growing_s,
        "watch_latencies_s": latencies,
        "watch_clean_stop": clean,
    }


def watch_figures(workdir: Path | None = None) -> dict[str, Any]:
    """For `stemwire bench`: the figures, or, when serving could not be measured, no figures (the
    target is then not met) and the reason, also on standard error."""
    try:
        return watch_latency(workdir=workdir)
    except (WatchBenchError, OSError) as exc:
        print(f"stemwire bench: serve --watch not measured: {exc}", file=sys.stderr)
        return {**dict.fromkeys(FIGURES), "watch_error": str(exc)}


if __name__ == "__main__":  # python -m stemwire.flows.quality.bench_watch [DROPS]
    print(json.dumps(watch_latency(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
