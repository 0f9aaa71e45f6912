"""Records are validated in the validation process with the same verdicts as in-process, a record
that fails is never published, and a validation process that dies costs no verdict."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from stemwire.extractors.article import extract_record
from stemwire.flows import batch, validation_process
from stemwire.flows.output.layout import OutputLayout
from stemwire.schemas.ids import article_id
from stemwire.schemas.validation import record_errors
from tests.helpers import FIXTURES


@pytest.fixture(autouse=True)
def fresh_validation_process():
    validation_process.shutdown()
    yield
    validation_process.shutdown()


def _article() -> Path:
    return sorted((FIXTURES / "articles").glob("*.txt"))[0]


def _records() -> tuple[dict, dict]:
    valid = extract_record(_article()).model_dump(mode="json")
    broken = copy.deepcopy(valid)
    broken["metrics"][0]["value"] = "twelve"
    del broken["source"]["sha256"]
    return valid, broken


def test_the_validation_process_gives_the_in_process_verdicts():
    valid, broken = _records()
    assert validation_process.verdict(valid, validation_process.submit(valid)) == []
    errors = validation_process.verdict(broken, validation_process.submit(broken))
    assert errors and errors == record_errors(broken)
    assert validation_process.worker_usage()[1] > 0  # it ran in a process of its own


def test_a_record_the_schema_rejects_is_not_published(tmp_path, monkeypatch):
    path = _article()
    _, broken = _records()
    real_extract = batch._extract

    def extract_broken(p, aid, max_bytes):
        outcome = real_extract(p, aid, max_bytes)
        outcome.record = copy.deepcopy(broken)
        return outcome

    monkeypatch.setattr(batch, "_extract", extract_broken)
    aid = article_id(path)
    (outcome,) = batch.process_batch([(path, aid)], tmp_path)
    assert not outcome.ok and "does not match the schema" in (outcome.error or "")
    assert not (tmp_path / "records" / f"{aid}.json").exists()
    assert not (tmp_path / "jsonld" / f"{aid}.jsonld").exists()
    reason = json.loads((tmp_path / "errors" / f"{path.name}.json").read_text(encoding="utf-8"))["reason"]
    assert "metrics/0/value" in reason


def test_a_validation_process_that_dies_costs_no_verdict(tmp_path):
    valid, broken = _records()
    validation_process.verdict(valid, validation_process.submit(valid))  # started and warm
    pool = validation_process._pool_or_none()
    assert pool is not None
    for pid in list(pool._processes):  # the worker is killed while records are queued for it
        os.kill(pid, signal.SIGKILL)
    destination = (OutputLayout(tmp_path), "https://example.org/stemwire/")
    futures = [validation_process.submit(r, destination) for r in (valid, broken)]
    assert validation_process.verdict(valid, futures[0], destination) == []
    assert validation_process.verdict(broken, futures[1], destination) == record_errors(broken)
    assert (tmp_path / "records" / f"{valid['id']}.json").exists()  # published all the same
    later = validation_process.submit(broken)  # and the next record gets a fresh process
    assert validation_process.verdict(broken, later) == record_errors(broken)


def test_inside_a_daemonic_worker_records_are_validated_in_process(monkeypatch):
    monkeypatch.setattr(validation_process.multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    _, broken = _records()
    future = validation_process.submit(broken)
    assert future.done() and future.result() == record_errors(broken)
    assert validation_process.worker_usage() == (0.0, 0.0)


def test_the_validation_process_exits_when_its_parent_is_killed(tmp_path):
    """A run killed with -9 leaves no validation process behind."""
    script = (
        "import sys\n"
        "from extractors.article import extract_record\n"
        "from flows import validation_process\n"
        "record = extract_record(__import__('pathlib').Path(sys.argv[1])).model_dump(mode='json')\n"
        "validation_process.verdict(record, validation_process.submit(record))\n"
        "print(*validation_process._pool_or_none()._processes, flush=True)\n"
        "__import__('time').sleep(300)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(_article())], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(proc.stdout.readline())
        os.kill(worker, 0)  # alive while its parent is
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 15
    while _alive(worker):
        assert time.monotonic() < deadline, "the validation process outlived its parent"
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))
