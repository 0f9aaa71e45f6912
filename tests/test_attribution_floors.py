"""Floors for every attribute family of matched facts (trial phase and enrollment, metric measure, arm
and time point), read with the shared scorer, on our own gold set and the dev corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from stemwire.extractors.article import extract_record
from tests.helpers import DEV_CORPUS, FIXTURES, ROOT, SHARED

BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))
SCORER = SHARED / "eval" / "score.py"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# attribute family -> the fact type the shared scorer checks it on
FAMILIES = {"phase": "trials", "enrollment": "trials", "measure": "metrics", "arm": "metrics", "time_point": "metrics"}


def _rates(raw_dir: Path, gold_dir: Path) -> dict[str, tuple[int, int]]:
    score = _scorer()
    totals = {family: [0, 0] for family in FAMILIES}
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        facts = score.record_facts(extract_record(raw_dir / gold["article"]).model_dump(mode="json"))
        results = {kind: score.score_type(kind, gold.get(kind, {}), facts[kind]) for kind in set(FAMILIES.values())}
        for family, pair in totals.items():
            pair[0] += results[FAMILIES[family]]["attributes"][family]["ok"]
            pair[1] += results[FAMILIES[family]]["attributes"][family]["total"]
    return {k: (v[0], v[1]) for k, v in totals.items()}


def _assert_floors(raw_dir: Path, gold_dir: Path, floors: dict[str, float]) -> None:
    for attr, (ok, total) in _rates(raw_dir, gold_dir).items():
        assert total > 0, f"no gold {attr} values"
        assert ok / total >= floors[attr], f"{attr}: {ok}/{total} < floor {floors[attr]}"


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is absent")
def test_own_gold_arms_and_time_points_meet_their_floors() -> None:
    _assert_floors(FIXTURES / "articles", FIXTURES / "gold", BASELINE["own_gold"])


@pytest.mark.skipif(not (SCORER.exists() and DEV_CORPUS.exists()), reason="../shared is absent")
def test_dev_corpus_arms_and_time_points_meet_their_floors() -> None:
    _assert_floors(DEV_CORPUS, DEV_CORPUS, BASELINE["dev_corpus"])
