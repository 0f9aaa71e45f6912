"""The public API (stemwire.extract_text / extract_file) and `stemwire extract` in its three forms."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stemwire
from stemwire.flows.cli import app
from stemwire.schemas.validation import record_errors
from tests.helpers import FIXTURES

TEXT = "研究简报\n去年10月，NCT04631406试验为18名患者输注神经干细胞，上周三公布结果。\n"


def test_extract_text_resolves_relative_dates_against_the_publication_date() -> None:
    record = stemwire.extract_text(TEXT, published="2025-03-07", source_name="wire-1")
    assert record.date_published == "2025-03-07"
    assert [(d.text, d.value) for d in record.dates] == [("去年10月", "2024-10"), ("上周三", "2025-02-26")]
    assert record.id == "wire-1" and record.source.path == "wire-1"
    assert record_errors(record.model_dump(mode="json")) == []
    assert stemwire.extract_text(TEXT, published=dt.date(2025, 3, 7)).dates == record.dates


def test_without_a_date_nothing_relative_is_guessed() -> None:
    record = stemwire.extract_text(TEXT)
    assert record.dates == [] and {d.text for d in record.unresolved_dates} == {"去年10月", "上周三"}
    assert record.date_published is None


def test_bad_input_gets_a_clear_error() -> None:
    with pytest.raises(stemwire.ArticleError, match="no text"):
        stemwire.extract_text("  \n ")
    with pytest.raises(ValueError, match="not an ISO 8601 calendar date"):
        stemwire.extract_text(TEXT, published="07/03/2025")


def test_extract_file_is_the_record_a_run_publishes() -> None:
    path = FIXTURES / "articles" / "islet-t1d-hans.txt"
    record = stemwire.extract_file(path)
    assert record.source.path == str(path) and record.trials


def test_cli_single_file_prints_one_record(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--published", "2025-03-07"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["dates"][0]["value"] == "2024-10"


def test_cli_reads_standard_input() -> None:
    result = CliRunner().invoke(app, ["extract", "-", "--published", "2025-03-07", "--pretty"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"]["path"] == "stdin"


def test_cli_json_lines_one_record_per_line_and_bad_lines_reported(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "w/1", "text": TEXT, "published": "2025-03-07"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "w2", "text": TEXT}, ensure_ascii=False),
        json.dumps({"id": "w3", "text": TEXT, "published": "tomorrow"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--jsonl", str(source)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["w-1", "w2"]
    assert records[0]["dates"] and not records[1]["dates"]
    assert f"{source}:2: not JSON" in result.stderr and f"{source}:4:" in result.stderr
