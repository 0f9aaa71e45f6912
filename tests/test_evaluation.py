import json
from pathlib import Path

import pytest

from stemwire.extractors.article import extract_record
from stemwire.flows.quality.evaluate import FACT_TYPES, evaluate, extract_folder
from tests.helpers import DEV_CORPUS, FIXTURES, ROOT

BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))


def records_for(raw_dir: Path) -> dict[str, dict]:
    """The folder's records through the public API (the empty-file fixture is skipped, with its reason)."""
    records, skipped = extract_folder(raw_dir)
    assert all("file is empty" in reason for reason in skipped), skipped
    return records


def assert_floors(raw_dir: Path, gold_dir: Path, floors: dict[str, float]) -> None:
    result = evaluate(gold_dir, records_for(raw_dir), raw_dir)
    assert result.missing_records == []
    assert result.offsets_checked > 0 and result.offsets_wrong == 0
    for kind in FACT_TYPES:
        score = result.scores[kind]
        assert score.f1 >= floors[kind], f"{kind}: F1 {score.f1:.3f} < floor {floors[kind]}; missed {score.missed}"
    assert result.micro.f1 >= floors["micro"]
    micro = result.micro
    assert micro.attr_ok / micro.attr_total >= floors["attributes"], f"attributes {micro.attr_ok}/{micro.attr_total}"


def test_own_gold_set_is_large_and_varied() -> None:
    golds = sorted((FIXTURES / "gold").glob("*.gold.json"))
    assert len(golds) >= 8
    scripts = {
        extract_record(FIXTURES / "articles" / json.loads(g.read_text())["article"]).source.script for g in golds
    }
    assert {"simplified", "traditional", "mixed"} <= scripts


def test_own_gold_set_meets_its_floors() -> None:
    assert_floors(FIXTURES / "articles", FIXTURES / "gold", BASELINE["own_gold"])


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="../shared/corpus/dev is absent")
def test_dev_corpus_meets_its_floors() -> None:
    assert_floors(DEV_CORPUS, DEV_CORPUS, BASELINE["dev_corpus"])


def test_scorer_counts_misses_when_records_are_absent() -> None:
    gold_dir = FIXTURES / "gold"
    result = evaluate(gold_dir, {}, None)
    assert result.micro.tp == 0 and result.micro.fn > 0
    assert len(result.missing_records) == len(list(gold_dir.glob("*.gold.json")))


def test_scorer_counts_false_positives_wrong_attributes_and_offsets(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("NCT01234567", encoding="utf-8")
    gold = {
        "article": "a.txt",
        "trials": {"required": [{"registry_id": "NCT01234567", "phase": "2", "enrollment": 30}], "optional": []},
        "dates": {"required": [], "optional": ["2025"]},
    }
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    record = {
        "trials": [{"registry_id": "NCT01234567", "phase": "2", "enrollment": 12}],
        "dates": [
            {"value": "2025", "start": 0, "end": 3, "text": "NCT"},
            {"value": "2024-01", "start": 0, "end": 2, "text": "XX"},
        ],
    }
    result = evaluate(tmp_path, {"a.txt": record}, tmp_path)
    assert (result.scores["trials"].tp, result.scores["trials"].attr_ok, result.scores["trials"].attr_total) == (
        1,
        1,
        2,
    )
    assert result.scores["dates"].fp == 1 and result.scores["dates"].unexpected == ['a.txt: "2024-01"']
    assert (result.offsets_checked, result.offsets_wrong) == (2, 1)
