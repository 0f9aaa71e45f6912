"""`stemwire extract` over several sources: one record per line in the order given, each failure one
line on standard error naming its file (and line) and the reason, the others still printed, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stemwire.flows.cli import app
from stemwire.schemas.validation import record_errors
from tests.helpers import FIXTURES

PAGES = FIXTURES / "pages"
TEXT = "研究简报\n去年10月，NCT04631406试验为18名患者输注神经干细胞，上周三公布结果。\n"


def _extract(*args: str, stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["extract", *args], input=stdin)


def test_several_files_print_one_valid_record_each_in_the_order_given() -> None:
    files = [PAGES / "stroke-news-hans.html", PAGES / "cardio-hk-hant.md", PAGES / "knee-news-hans.txt"]
    result = _extract(*map(str, files))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"]["path"] for r in records] == [str(f) for f in files]
    assert all(record_errors(r) == [] for r in records)
    assert result.stderr == ""


def test_a_file_that_fails_is_named_with_its_reason_and_the_others_are_printed(tmp_path: Path) -> None:
    good, empty, folder = tmp_path / "good.txt", tmp_path / "empty.txt", tmp_path / "folder.txt"
    good.write_text(TEXT, encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    folder.mkdir()
    missing = tmp_path / "missing.md"
    result = _extract(str(empty), str(good), str(missing), str(folder), str(good))
    assert result.exit_code == 1  # an input failed (the README's exit-status table)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good", "good"]
    assert result.stderr.splitlines() == [
        f"error: {empty}: file is empty",
        f"error: {missing}: cannot read file (No such file or directory)",
        f"error: {folder}: not a regular file (a folder)",
    ]


def test_a_single_file_that_fails_is_an_input_failure_named_once(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" * 20)
    result = _extract(str(binary))
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {binary}: ") and line.count(str(binary)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "b.txt", "--pretty"], "for a single article"),
        (["a.txt", "b.txt", "--published", "2025-03-07"], "for a single article"),
        (["a.txt", "-"], "read alone"),
        (["--jsonl", "a.jsonl", "--pretty"], "JSON Lines carry their own"),
    ],
)
def test_options_for_a_single_article_are_refused_with_several(args: list[str], message: str) -> None:
    result = _extract(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert result.stdout == ""


def test_a_single_file_still_takes_published_and_pretty(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = _extract(str(path), "--published", "2025-03-07", "--pretty")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["dates"][0]["value"] == "2024-10"


def test_several_json_lines_files_and_a_line_that_is_not_utf8(tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(
        json.dumps({"id": "a1", "text": TEXT}, ensure_ascii=False).encode() + b"\n" + b'{"id": "a2", "text": "\xff"}\n'
    )
    second.write_text(json.dumps({"id": "b1", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.jsonl"
    result = _extract("--jsonl", str(first), str(missing), str(second))
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a1", "b1"]
    assert result.stderr.splitlines() == [
        f"error: {first}:2: not UTF-8 (byte 23 of the line)",
        f"error: {missing}: cannot read file (No such file or directory)",
    ]


def test_json_lines_on_standard_input_with_a_byte_order_mark() -> None:
    line = json.dumps({"id": "s1", "text": TEXT, "published": "2025-03-07"}, ensure_ascii=False)
    result = _extract("--jsonl", "-", stdin=b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "s1"
