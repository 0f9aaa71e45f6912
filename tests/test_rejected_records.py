"""A record the schema rejects is never published: it gets an error file with the validator's message,
and the rest of its batch is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stemwire.flows import batch
from stemwire.flows.outcome import ArticleOutcome
from stemwire.schemas.ids import article_id
from tests.helpers import FIXTURES


def test_a_record_the_schema_rejects_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(p for p in (FIXTURES / "articles").glob("*.txt") if p.stat().st_size)[:2]
    bad = paths[0]
    real = batch._extract

    def extract(path: Path, aid: str, max_bytes: int) -> ArticleOutcome:
        outcome = real(path, aid, max_bytes)
        if path == bad and outcome.record is not None:
            outcome.record["metrics"][0]["value"] = "twelve"  # what a bug in an extractor could do
        return outcome

    monkeypatch.setattr(batch, "_extract", extract)
    outcomes = batch.process_batch([(p, article_id(p)) for p in paths], tmp_path)
    assert [o.ok for o in outcomes] == [False, True]
    assert "does not match the schema" in (outcomes[0].error or "")
    aid = article_id(bad)
    for folder, suffix in (("records", ".json"), ("jsonld", ".jsonld"), ("report/articles", ".html")):
        assert not (tmp_path / folder / f"{aid}{suffix}").exists(), folder
    reason = json.loads((tmp_path / "errors" / f"{bad.name}.json").read_text(encoding="utf-8"))["reason"]
    assert "metrics/0/value" in reason
    assert (tmp_path / "records" / f"{article_id(paths[1])}.json").exists()
