"""One view of each trial across articles (OUT/trials/, csv/trial_summary.csv): the trial pair's
18 vs 20 enrolled listed with their articles and flagged; an edit and a deletion show after a rerun."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.run_flow import stemwire_run
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")
FIRST = "https://stemwire.example.org/article/knee-trial-first"
SECOND = "https://stemwire.example.org/article/knee-trial-second"


def _summary(out: Path) -> dict[tuple[str, str], dict[str, str]]:
    with OutputLayout(out).trial_summary.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["attribute"], r["value"]): r for r in rows if r["registry_id"] == "NCT05123456"}


def test_the_trial_pair_lists_both_enrollments_with_their_articles_and_flags_the_conflict(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(FIXTURES / "trial_pair", raw)
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    layout = OutputLayout(out)
    view = json.loads((layout.trials_dir / "NCT05123456.jsonld").read_text(encoding="utf-8"))
    assert view["@id"] == "https://clinicaltrials.gov/study/NCT05123456"
    enrollment = next(a for a in view["attributes"] if a["attribute"] == "enrollment")
    assert enrollment["status"] == "conflict"
    by_value = {v["value"]: [b["article"] for b in v["assertedBy"]] for v in enrollment["values"]}
    assert by_value == {"18": [FIRST], "20": [SECOND]}
    assert enrollment["firstSeen"] and enrollment["firstSeen"] <= enrollment["lastSeen"]
    summary = _summary(out)
    assert summary["enrollment", "18"]["status"] == summary["enrollment", "20"]["status"] == "conflict"
    assert (summary["enrollment", "18"]["articles"], summary["enrollment", "20"]["articles"]) == (FIRST, SECOND)
    assert summary["enrollment_type", "actual"]["status"] == "agreement"
    assert summary["enrollment_type", "actual"]["articles"] == f"{FIRST} {SECOND}"

    # The second article corrected to 18: the next run agrees; then deleted: only the first remains.
    second = raw / "knee-trial-second.txt"
    second.write_text(second.read_text(encoding="utf-8").replace("20名", "18名"), encoding="utf-8")
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    summary = _summary(out)
    assert summary["enrollment", "18"]["status"] == "agreement" and ("enrollment", "20") not in summary
    assert summary["enrollment", "18"]["articles"] == f"{FIRST} {SECOND}"
    second.unlink()
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    assert {r["articles"] for r in _summary(out).values()} == {FIRST}


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_a_view_is_rewritten_only_when_what_it_says_changes(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(FIXTURES / "trial_pair", raw)
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    layout = OutputLayout(out)
    view = layout.trials_dir / "NCT05123456.jsonld"
    before = _stamp(view), _stamp(layout.trial_summary)
    # A new article about another trial: its view is made and the table grows; this view is left as it is.
    (raw / "eye-trial.txt").write_text(
        "视网膜干细胞试验启动\n\n2025年6月1日，一项使用诱导多能干细胞治疗黄斑变性的1期临床试验（NCT06234567）宣布启动。\n",
        encoding="utf-8",
    )
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    assert (layout.trials_dir / "NCT06234567.jsonld").is_file()
    assert _stamp(view) == before[0] and _stamp(layout.trial_summary) != before[1]
    # An edit of this trial's enrollment: its view is written again, and says the new value.
    second = raw / "knee-trial-second.txt"
    second.write_text(second.read_text(encoding="utf-8").replace("20名", "18名"), encoding="utf-8")
    stemwire_run(raw_dir=raw, out_dir=out, settle_seconds=0)
    assert _stamp(view) != before[0]
    assert '"20"' not in view.read_text(encoding="utf-8")
