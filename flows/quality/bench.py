"""`stemwire bench`: speed and memory the way users run stemwire, printed as a table and as JSON.

On a synthetic corpus of N articles (flows/synthetic.py) it measures, each in the same run:
  baseline    OpenCC t2s plus one pass of three compiled patterns over the same text: the machine's yardstick;
  bare        extraction, record building and JSON Schema validation called directly (validation in
              the validation process beside extraction, as in a run); per core = per CPU-second of
              both processes, and also per wall-clock second;
  end-to-end  `stemwire run` with Prefect in a fresh process, its fixed start-up measured apart
              (a run over one article in another fresh process: Prefect, the spaCy pipeline and
              the validation process all started, one article through);
  no-op       the same run again over the same files, nothing new;
  memory      peak resident memory of the run process at N and at 4N articles;
  first record  time from starting the process to the first record on disk.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import opencc

from stemwire.extractors.article import extract_record
from stemwire.flows import validation_process
from stemwire.flows.quality.synthetic import write_corpus

BASELINE_PATTERNS = [
    re.compile(r"NCT\d{8}"),
    re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    re.compile(r"\d+(?:\.\d+)?(?:分|%|倍|名|人|天|周|个月)"),
]
TARGETS = {
    "bare_articles_per_s": 100.0,
    "bare_mchars_per_s": 0.5,
    "bare_over_baseline": 15.0,
    "e2e_share_of_bare": 0.70,
    "noop_seconds": 2.0,
    "noop_seconds_4n": 2.0,  # stated for 10,000 files: run with --articles 2500
    "peak_rss_mb": 500.0,
    "rss_growth_4n": 0.10,
}


def _baseline_seconds(texts: list[str]) -> float:
    t2s = opencc.OpenCC("t2s")
    start = time.perf_counter()
    for text in texts:
        converted = t2s.convert(text)
        for pattern in BASELINE_PATTERNS:
            for _ in pattern.finditer(converted):
                pass
    return time.perf_counter() - start


def _bare_seconds(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds (this process plus the validation process) to extract and validate every
    article, validation running beside extraction as in a run (flows/validation_process.py)."""
    warm = extract_record(paths[0]).model_dump(mode="json")  # vocabularies, pipeline, validator
    validation_process.verdict(warm, validation_process.submit(warm))
    cpu = time.process_time() + validation_process.worker_usage()[0]
    start = time.perf_counter()
    records = ((path, extract_record(path).model_dump(mode="json")) for path in paths)
    for path, errors in validation_process.alongside(records):
        if errors:
            raise RuntimeError(f"{path}: {errors[0]}")
    wall = time.perf_counter() - start
    cpu = time.process_time() + validation_process.worker_usage()[0] - cpu
    validation_process.shutdown()
    return wall, cpu


def _run_child(raw: Path, out: Path, reruns: int) -> dict[str, Any]:
    """`stemwire run` in a fresh process (flows.bench_child); its figures, and when it started."""
    started = time.time()
    command = [sys.executable, "-m", "stemwire.flows.quality.bench_child", str(raw), str(out), str(reruns)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ})
    if result.returncode != 0:
        raise RuntimeError(f"benchmark run failed: {result.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    records = list((out / "records").glob("*.json"))
    figures["first_record_s"] = min(p.stat().st_mtime for p in records) - started if records else None
    return figures


def run_bench(articles: int, workdir: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="stemwire-bench-") as tmp:
        root = workdir or Path(tmp)
        raw, raw4, one = root / "raw", root / "raw4n", root / "one"
        paths = write_corpus(raw, articles)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        chars = sum(map(len, texts))
        baseline = _baseline_seconds(texts)
        bare, bare_cpu = _bare_seconds(paths)

        one.mkdir(parents=True, exist_ok=True)
        os.link(paths[0], one / paths[0].name)
        startup = _run_child(one, root / "out-one", reruns=0)["run_s"]
        main = _run_child(raw, root / "out", reruns=1)
        raw4.mkdir(parents=True, exist_ok=True)
        for path in paths:  # 4N: the same N files plus 3N new ones
            os.link(path, raw4 / path.name)
        write_corpus(raw4, 3 * articles, start=articles)
        scaled = _run_child(raw4, root / "out4n", reruns=1)

    e2e_net = max(main["run_s"] - startup, 1e-9)  # for the other N - 1 articles
    figures = {
        "articles": articles,
        "chars": chars,
        "baseline_s": baseline,
        "bare_s": bare,
        "bare_cpu_s": bare_cpu,
        # Per core: articles per CPU-second, extraction and validation processes together.
        "bare_articles_per_s": articles / bare_cpu,
        "bare_mchars_per_s": chars / bare_cpu / 1e6,
        "bare_over_baseline": bare_cpu / baseline,
        "bare_wall_articles_per_s": articles / bare,
        "bare_wall_over_baseline": bare / baseline,
        "startup_s": startup,
        "e2e_s": main["run_s"],
        "e2e_articles_per_s_excluding_startup": (articles - 1) / e2e_net,
        "e2e_share_of_bare": ((articles - 1) / e2e_net) / (articles / bare),
        "noop_seconds": main["rerun_s"][0],
        "noop_seconds_4n": scaled["rerun_s"][0],
        "first_record_s": main["first_record_s"],
        "peak_rss_mb": main["peak_rss_mb"],
        "validation_process_mb": main["validation_process_mb"],
        "peak_rss_mb_4n": scaled["peak_rss_mb"],
        "rss_growth_4n": scaled["peak_rss_mb"] / main["peak_rss_mb"] - 1,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        },
    }
    return figures


def verdicts(figures: dict[str, Any]) -> dict[str, bool]:
    """Which targets the figures meet (memory and no-op targets are stated for N=2,000 and 10,000)."""
    return {
        "bare_articles_per_s": figures["bare_articles_per_s"] >= TARGETS["bare_articles_per_s"],
        "bare_mchars_per_s": figures["bare_mchars_per_s"] >= TARGETS["bare_mchars_per_s"],
        "bare_over_baseline": figures["bare_over_baseline"] <= TARGETS["bare_over_baseline"],
        "e2e_share_of_bare": figures["e2e_share_of_bare"] >= TARGETS["e2e_share_of_bare"],
        "noop_seconds": figures["noop_seconds"] <= TARGETS["noop_seconds"],
        "noop_seconds_4n": figures["noop_seconds_4n"] <= TARGETS["noop_seconds_4n"],
        "peak_rss_mb": figures["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        "rss_growth_4n": figures["rss_growth_4n"] <= TARGETS["rss_growth_4n"],
    }
