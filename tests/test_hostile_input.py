"""Hostile input and faults: one bad entry of raw/ never costs the folder, nothing outside raw/ is ever
published, a damaged manifest never blocks a run or reassigns ids, and derived outputs come back."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stemwire.flows import batch
from stemwire.flows.cli import app
from stemwire.flows.output.manifest import load_manifest
from stemwire.flows.run_flow import stemwire_run
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")

GOOD = ("ms-hsct-hant", "islet-t1d-hans")


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in GOOD:
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    return raw


def _run(raw: Path, out: Path, **options: object):  # type: ignore[no-untyped-def]
    return stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, **options)


def test_bad_entries_beside_good_articles(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    secret = tmp_path / "outside.txt"
    secret.write_text("标题\n这是raw之外的机密文件，2025年1月1日。\n", encoding="utf-8")
    os.symlink(secret, raw / "leak.txt")
    os.mkfifo(raw / "pipe.txt")
    long_name = "a" * 240 + ".txt"  # 244 bytes: a temporary name built from it would pass 255
    shutil.copy(FIXTURES / "articles" / "islet-t1d-hans.txt", raw / long_name)
    bad_name = os.fsdecode(b"bad-\xff.txt")
    shutil.copy(FIXTURES / "articles" / "islet-t1d-hans.txt", raw / bad_name)

    summary = _run(raw, tmp_path / "out")
    out = tmp_path / "out"
    assert summary.published == 3  # the two good ones and the long name, under a bounded id
    reasons = dict(summary.failures)
    assert "outside the raw folder" in reasons[str(raw / "leak.txt")]
    assert "not a regular file" in reasons[str(raw / "pipe.txt")]
    assert any("not valid UTF-8" in r for p, r in summary.failures if p.startswith(str(raw / "bad-")))
    published = " ".join(p.read_text(encoding="utf-8") for p in (out / "records").glob("*.json"))
    assert "机密" not in published
    assert all(len(p.name.encode()) <= 255 for p in out.rglob("*"))
    assert max(len(p.stem) for p in (out / "records").glob("*.json")) <= 120
    # and the next run says the same, without re-reading anything
    again = _run(raw, out)
    assert again.articles_read == 0 and len(again.failures) == 3


@pytest.mark.parametrize("damage", ["", "not json at all\n", '{"version": 2, "tables_current": true}\n{"name": "ms'])
def test_a_damaged_manifest_is_set_aside_and_ids_stay(tmp_path: Path, damage: str) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    (raw / "extra.txt").write_text("标题\n一段没有事实的文字。\n", encoding="utf-8")
    _run(raw, out)
    ids = {e.name: e.article_id for e in load_manifest(out).entries.values()}
    records = {p.name: p.read_bytes() for p in (out / "records").glob("*.json")}
    (out / "state" / "manifest.jsonl").write_text(damage, encoding="utf-8")

    summary = _run(raw, out)
    assert any("manifest was damaged" in note for note in summary.notes)
    assert list((out / "state").glob("manifest.jsonl.damaged-*"))
    assert {e.name: e.article_id for e in load_manifest(out).entries.values()} == ids
    assert {p.name: p.read_bytes() for p in (out / "records").glob("*.json")} == records


def test_deleted_derived_outputs_come_back(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    _run(raw, out)
    for path in (
        out / "catalog.jsonld",
        out / "csv" / "metrics.csv",
        out / "context.jsonld",
        out / "report" / "index.html",
    ):
        before = path.read_bytes()
        path.unlink()
        summary = _run(raw, out)
        assert summary.articles_read == 0 and path.read_bytes() == before, path


def test_a_changed_option_republishes_every_article(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    _run(raw, out)
    summary = _run(raw, out, base_iri="https://other.example.org/")
    assert summary.articles_read == len(GOOD)
    for path in (out / "jsonld").glob("*.jsonld"):
        assert json.loads(path.read_text(encoding="utf-8"))["@id"].startswith("https://other.example.org/")


def test_an_article_whose_files_cannot_be_written_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    real = batch.write_article

    def full_disk(record, converted, layout, base_iri):  # type: ignore[no-untyped-def]
        if record["id"] == "ms-hsct-hant":
            raise OSError(28, "No space left on device")
        return real(record, converted, layout, base_iri)

    monkeypatch.setattr(batch, "write_article", full_disk)
    summary = _run(raw, out)
    assert summary.published == 1
    (failure,) = summary.failures
    assert "No space left on device" in failure[1]
    manifest = load_manifest(out)
    assert manifest.entries["islet-t1d-hans.txt"].status == "published"
    assert manifest.entries["ms-hsct-hant.txt"].status == "failed"


def test_operational_mistakes_get_one_line_and_status_2(tmp_path: Path) -> None:
    runner = CliRunner()
    raw = _raw(tmp_path)
    result = runner.invoke(app, ["run", "--raw", str(raw), "--out", str(tmp_path / "o"), "--base-iri", "notaniri"])
    assert result.exit_code == 2 and "not an absolute IRI" in result.output
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no *.gold.json" in result.output


def test_a_huge_or_special_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from stemwire import ArticleError
    from stemwire.extractors.decode import decode_article

    sparse = tmp_path / "huge.txt"
    with sparse.open("wb") as fh:
        fh.truncate(3 * 1024**3)  # 3 GB of holes: reading it would need 3 GB of memory
    with pytest.raises(ArticleError, match=r"over the 5000000-byte limit \(--max-bytes\)"):
        decode_article(sparse)
    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)  # a file swapped for a FIFO after the inventory: the read must not block
    with pytest.raises(ArticleError, match="not a regular file"):
        decode_article(fifo)
    folder = tmp_path / "folder.txt"
    folder.mkdir()  # a folder named like an article: the public API says so, not a bare OSError
    with pytest.raises(ArticleError, match=r"not a regular file \(a folder\)"):
        decode_article(folder)


def _session_processes(session: int) -> list[int]:
    """Processes still alive in a session (the run and everything it started)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def test_sigterm_stops_a_run_cleanly_and_the_next_run_finishes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from stemwire.flows.quality.synthetic import write_corpus

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 30)
    command = [sys.executable, "-m", "stemwire.flows.cli", "run", "--raw", str(raw), "--out", str(out)]
    proc = subprocess.Popen([*command, "--workers", "1", "--batch-size", "5"], start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((out / "records").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    deadline = time.monotonic() + 20
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_processes(proc.pid) == [], "the run left processes behind (Prefect's server?)"
    assert subprocess.run([*command, "--workers", "1"], check=False, timeout=300).returncode == 0
    assert len(list((out / "records").glob("*.json"))) == 30
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize(
    "text",
    [
        "标题\n研究显示[1-2-3]有效。\n参考文献\n[1] A. B. J. 2020.\n",  # a chain of citation numbers
        "北京2022年2月30日电 研究\n正文。",  # a dateline that is no calendar date
        "标题\n每公斤2~0×10^6个细胞/kg。",  # a range whose upper end is zero
        "标题\n随访99999999999999999999999个月。",  # a length too large for a float's digits
    ],
)
def test_one_odd_token_never_costs_the_article(text: str) -> None:
    import stemwire

    record = stemwire.extract_text(text)  # validated: it would raise if the record were not
    assert record.text == text


def test_nul_after_the_first_4_kb_reaches_no_output(tmp_path: Path) -> None:
    raw, out = _raw(tmp_path), tmp_path / "out"
    body = (FIXTURES / "articles" / "islet-t1d-hans.txt").read_text(encoding="utf-8")
    padded = body + "\n" + "正文继续。" * 400  # past the first 4 KB, which decode_bytes sniffs for binary
    (raw / "nul.txt").write_text(padded + "\x00<script>x</script>\n", encoding="utf-8")
    summary = _run(raw, out)
    assert summary.published == len(GOOD)
    assert "holds a NUL character" in dict(summary.failures)[str(raw / "nul.txt")]
    # every published file; the graph store's database files are binary by nature
    published = [p for p in out.rglob("*") if p.is_file() and "store" not in p.relative_to(out).parts]
    assert not [p for p in published if b"\x00" in p.read_bytes()]


def test_a_single_line_over_spacys_length_limit_is_read() -> None:
    import stemwire

    line = "研究团队2024年3月报告，间充质干细胞治疗有效。" * 45_000  # one line of 1,035,000 characters
    record = stemwire.extract_text("标题\n" + line)  # spaCy's default max_length is 1,000,000 (E088)
    assert len(record.text) > 1_000_000 and record.dates


def test_an_upgrade_that_changes_the_output_format_republishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stemwire.flows import run_flow

    raw, out = _raw(tmp_path), tmp_path / "out"
    _run(raw, out)
    assert _run(raw, out).articles_read == 0
    monkeypatch.setattr(run_flow, "OUTPUT_FORMAT", run_flow.OUTPUT_FORMAT + 1)  # as a newer release would
    summary = _run(raw, out)
    assert summary.articles_read == len(GOOD)
    assert any("options changed" in note for note in summary.notes)


def test_a_page_date_no_calendar_has_dates_nothing() -> None:
    import stemwire

    page = (
        '<html><head><meta property="article:published_time" content="2022-02-30T08:00:00">'
        '<link rel="canonical" href="https://news.example.cn/2022/0230/a.html"></head>'
        "<body><h1>间充质干细胞研究</h1><p>研究纳入了30名患者。</p></body></html>"
    )
    record = stemwire.extract_text(page, kind="html")
    assert record.date_published != "2022-02-30"
    assert record.page is None or record.page.date_published is None
