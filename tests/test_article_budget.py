"""The per-article wall-clock budget (flows/deadline.py): an article that runs past it becomes its own
error, in the flow's worker thread (--workers 1) and in a pool process, and every other article is
published. The slow step is a real busy loop in Python patched into the extraction, not a timing."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from stemwire.flows import batch
from stemwire.flows.deadline import ArticleTimeout, article_budget
from stemwire.flows.output.manifest import load_manifest
from tests.helpers import FIXTURES

GOOD = ("ms-hsct-hant", "islet-t1d-hans")
SPIN_LIMIT = 60.0  # a broken budget makes the test fail, not hang


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in GOOD:
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    shutil.copy(FIXTURES / "articles" / "islet-t1d-hans.txt", raw / "slow.txt")
    return raw


def _spin_then_extract(real):  # type: ignore[no-untyped-def]
    def extract(path: Path, *args: object):  # type: ignore[no-untyped-def]
        if path.name == "slow.txt":
            end = time.monotonic() + SPIN_LIMIT
            while time.monotonic() < end:  # pure Python: the budget's exception lands here
                pass
            raise AssertionError("the article's budget did not stop it")
        return real(path, *args)

    return extract


def test_the_budget_stops_a_python_loop_and_nothing_lands_afterwards() -> None:
    with pytest.raises(ArticleTimeout), article_budget(0.2):
        while True:
            pass
    with article_budget(0.2):  # work that ends within its budget is not interrupted later
        total = sum(range(1000))
    time.sleep(0.5)
    assert total == 499500


@pytest.mark.usefixtures("prefect_harness")
def test_a_slow_article_fails_alone_in_the_flows_worker_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stemwire.flows.run_flow import stemwire_run

    monkeypatch.setattr(batch, "extract_article", _spin_then_extract(batch.extract_article))
    raw, out = _raw(tmp_path), tmp_path / "out"
    summary = stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, article_timeout=1, workers=1)
    assert summary.published == 2
    reasons = dict(summary.failures)
    assert "1-second budget per article (--article-timeout 1)" in reasons[str(raw / "slow.txt")]
    manifest = load_manifest(out)
    assert {e.name for e in manifest.published()} == {f"{n}.txt" for n in GOOD}
    assert (out / "errors" / "slow.txt.json").is_file()
    # unchanged and under the same budget it is not tried again; under a larger one it is
    assert stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, article_timeout=1).articles_read == 0
    monkeypatch.undo()
    again = stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0, article_timeout=30)
    assert again.articles_read == 1 and again.published == 1 and not again.failures


def _batch_in_a_pool_process(raw: str, out: str) -> list[tuple[str, str | None]]:
    batch.extract_article = _spin_then_extract(batch.extract_article)  # type: ignore[assignment]
    items = [(p, p.stem) for p in sorted(Path(raw).iterdir())]
    return [(o.name, o.error) for o in batch.process_batch(items, Path(out), timeout=2)]


def test_a_slow_article_fails_alone_in_a_pool_process(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    with ProcessPoolExecutor(max_workers=1) as pool:
        outcomes = dict(pool.submit(_batch_in_a_pool_process, str(raw), str(tmp_path / "out")).result(timeout=300))
    assert outcomes["slow.txt"] and "(--article-timeout 2)" in outcomes["slow.txt"]
    assert [outcomes[f"{n}.txt"] for n in GOOD] == [None, None]
    assert len(list((tmp_path / "out" / "records").glob("*.json"))) == 2


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_really_slow_article_through_the_cli(tmp_path: Path, workers: str) -> None:
    """A real slow input: one line of 1.6 million characters (about 15 s of extraction on a 2-core
    machine), stopped by the budget, given once as the option and once through the environment; the
    short articles beside it (well under 0.5 s each, warm-up excluded) are published."""
    import os
    import subprocess
    import sys

    raw, out = _raw(tmp_path), tmp_path / "out"
    (raw / "slow.txt").write_text("标题\n" + "干细胞治疗研究显示2025年3月有效，" * 94_000, encoding="utf-8")
    command = [sys.executable, "-m", "stemwire.flows.cli", "run", "--raw", str(raw), "--out", str(out)]
    if workers == "1":
        env, budget = {**os.environ, "STEMWIRE_ARTICLE_TIMEOUT": "2"}, []
    else:
        env, budget = dict(os.environ), ["--article-timeout", "2"]
    done = subprocess.run(
        [*command, "--workers", workers, *budget], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 1, done.stderr
    assert "slow.txt: took longer than the 2-second budget per article (--article-timeout 2)" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.stem for p in (out / "records").glob("*.json")} == set(GOOD)
