"""What operators see besides the files: progress listeners and the terminal display, the `--json`
summary against its committed schema, the Markdown summary, and the raw/ watcher behind `serve --watch`."""

from __future__ import annotations

import io
import json
import os
import pty
import threading
import time
from pathlib import Path

import jsonschema
from watchfiles import Change

from stemwire.flows.progress import RunProgress, listening, report, terminal_display
from stemwire.flows.summary import RunSummary
from stemwire.flows.summary_report import summary_markdown, summary_report
from stemwire.flows.watch import is_article_event, start_watching
from stemwire.schemas.export import SUMMARY_SCHEMA_PATH


def _summary() -> RunSummary:
    summary = RunSummary(articles_read=3, published=2, unchanged=4)
    summary.facts["trials"] = 5
    summary.failures.append(("raw/bad|name.txt", "not an article: the file is empty"))
    summary.withdrawn.append("gone-article")
    return summary


def test_listeners_hear_each_report_and_only_while_listening() -> None:
    heard: list[tuple[int, int]] = []
    with listening(lambda p: heard.append((p.done, p.total))):
        report(RunProgress(total=10, done=4))
    report(RunProgress(total=10, done=8))
    assert heard == [(4, 10)]


def test_display_is_silent_off_a_terminal_and_with_quiet() -> None:
    stream = io.StringIO()
    with terminal_display(stream):
        report(RunProgress(total=10, done=4))
    assert stream.getvalue() == ""
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as tty, terminal_display(tty, quiet=True):
        report(RunProgress(total=10, done=4))
    os.close(master)


def test_display_on_a_terminal_shows_done_of_total() -> None:
    master, slave = pty.openpty()
    chunks: list[bytes] = []
    with os.fdopen(slave, "w") as tty:
        with terminal_display(tty):
            report(RunProgress(total=2000, done=400, failed=3))
            time.sleep(0.3)  # rich refreshes on its own thread
        tty.flush()
        os.set_blocking(master, False)
        try:
            while chunk := os.read(master, 65536):
                chunks.append(chunk)
        except BlockingIOError:
            pass
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "400/2000" in shown and "3 failed" in shown


def test_json_summary_matches_its_committed_schema(tmp_path: Path) -> None:
    report_obj = summary_report(_summary(), tmp_path / "out", 12.5).model_dump(mode="json")
    schema = json.loads(SUMMARY_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(report_obj, schema)
    assert report_obj["exit_status"] == 1 and not report_obj["ok"]
    assert report_obj["failures"] == [{"path": "raw/bad|name.txt", "reason": "not an article: the file is empty"}]
    bad = {**report_obj, "published": -1}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_markdown_summary_escapes_table_cells() -> None:
    text = summary_markdown(_summary())
    assert "| trials | 5 |" in text
    assert "raw/bad\\|name.txt" in text  # a pipe in a file name does not split the row
    assert "## Withdrawn" in text and "gone-article" in text


def test_only_article_names_are_events() -> None:
    assert is_article_event(Change.added, "/r/a.txt")
    assert is_article_event(Change.deleted, "/r/b.HTML")
    assert not is_article_event(Change.added, "/r/a.txt.part")
    assert not is_article_event(Change.added, "/r/.hidden.txt")
    assert not is_article_event(Change.added, "/r/notes.pdf")


def test_watcher_asks_for_one_run_per_burst_once_raw_is_quiet(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    fired = threading.Event()
    calls: list[float] = []

    def trigger() -> None:
        calls.append(time.monotonic())
        fired.set()

    stop = start_watching(raw, trigger, quiet_s=0.5)
    try:
        time.sleep(0.5)  # the watcher is set up
        (raw / "skip.tmp").write_text("x", encoding="utf-8")
        last = time.monotonic()
        for i in range(3):  # one burst: three articles
            (raw / f"a{i}.txt").write_text("文章", encoding="utf-8")
            last = time.monotonic()
        assert fired.wait(15), "no run was asked for"
        assert calls[0] - last >= 0.5  # not before raw/ had been quiet for the window
        time.sleep(1.5)
        assert len(calls) == 1
    finally:
        stop.set()
