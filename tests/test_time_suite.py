"""The external time-expression suite (../shared/external), through the public API, in both scripts.

The cases are read from ../shared at test time, never copied into the project; the test skips when
the folder is absent. Floors are pinned in tests/eval_baseline.json under "time_suite".
"""

import json

import pytest

from stemwire.flows.quality.time_suite import duration_seconds, score_suite
from tests.helpers import ROOT, SHARED

SUITE = SHARED / "external" / "recognizers-text" / "cases.jsonl"
FLOORS = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))["time_suite"]


def test_durations_compare_by_length() -> None:
    assert duration_seconds("P1Y") == duration_seconds("P12M")
    assert duration_seconds("P2W") == duration_seconds("P14D")
    assert duration_seconds("P1DT12H") == duration_seconds("PT36H")
    assert duration_seconds("P1Y3M") == duration_seconds("P15M")
    assert duration_seconds("nonsense") is None


@pytest.mark.skipif(not SUITE.exists(), reason="../shared/external is not present")
@pytest.mark.parametrize("script", ["hans", "hant"])
def test_external_suite_meets_its_floors(script: str) -> None:
    figures = score_suite(SUITE, script).figures()["types"]
    floors = FLOORS[script]
    for kind, floor in floors.items():
        got = figures[kind]["values"]
        assert got >= floor, f"{script} {kind}: values {got:.3f} < floor {floor}"
