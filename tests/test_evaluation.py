import json
from pathlib import Path

import pytest

from extractors.article import extract_record
from flows.evaluate import FACT_TYPES, evaluate
from tests.helpers import DEV_CORPUS, FIXTURES, ROOT

BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))


def records_for(raw_dir: Path) -> dict[str, dict]:
    return {
        p.name: extract_record(p).model_dump(mode="json") for p in sorted(raw_dir.glob("*.txt")) if p.stat().st_size
    }


def assert_floors(raw_dir: Path, gold_dir: Path, floors: dict[str, float]) -> None:
    result = evaluate(gold_dir, records_for(raw_dir), raw_dir)
    assert result.missing_records == []
    assert result.offsets_checked > 0 and result.offsets_wrong == 0
    for kind in FACT_TYPES:
        score = result.scores[kind]
        assert score.f1 >= floors[kind], f"{kind}: F1 {score.f1:.3f} < floor {floors[kind]}; missed {score.missed}"
    assert result.micro.f1 >= floors["micro"]


def test_own_gold_set_meets_its_floors() -> None:
    assert_floors(FIXTURES / "articles", FIXTURES / "gold", BASELINE["own_gold"])


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="../shared/corpus/dev is absent")
def test_dev_corpus_meets_its_floors() -> None:
    assert_floors(DEV_CORPUS, DEV_CORPUS, BASELINE["dev_corpus"])


def test_scorer_counts_false_positives_and_misses() -> None:
    gold_dir = FIXTURES / "gold"
    result = evaluate(gold_dir, {}, None)
    assert result.micro.tp == 0 and result.micro.fn > 0 and len(result.missing_records) == 3
