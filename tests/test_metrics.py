import pytest

from tests.helpers import both_scripts, facts_of


def metrics(text: str) -> list[tuple]:
    return [(m.value, m.unit, m.measure_key, m.direction, m.qualifier) for m in facts_of("标题\n" + text)["metrics"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("12个月时，Fugl-Meyer评分平均提升12.1分。", [(12.1, "point", "fugl_meyer", "increase", None)]),
        ("NIHSS改善1.77分。", [(1.77, "point", "nihss", "improvement", None)]),
        ("死亡率下降了37%。", [(37, "percent", "mortality", "decrease", None)]),
        ("疼痛指数减少约六成。", [(60, "percent", "pain", "decrease", "~")]),
        ("信号强度超过对照组5倍以上。", [(5, "fold", None, "increase", ">=")]),
        ("血管长度高出近50%。", [(50, "percent", "vessel_length", "increase", "~")]),
        ("每次输注1×10^6个细胞/公斤。", [(1000000, "cells/kg", "cell_dose", None, None)]),
        ("共注入2000万个细胞。", [(20000000, "cells", "cell_dose", None, None)]),
        ("每位患者接受1亿个细胞。", [(100000000, "cells", "cell_dose", None, None)]),
        (
            "分别给予1.0×10^7、5.0×10^7或1.0×10^8个干细胞。",
            [
                (10000000, "cells", "cell_dose", None, None),
                (50000000, "cells", "cell_dose", None, None),
                (100000000, "cells", "cell_dose", None, None),
            ],
        ),
        (
            "两组ALSFRS-R总分变化分别为-5.52分和-5.88分。",
            [(-5.52, "point", "alsfrs", "decrease", None), (-5.88, "point", "alsfrs", "decrease", None)],
        ),
        (
            "对照组死亡率为21.5%(OR=0.18)。",
            [(21.5, "percent", "mortality", None, None), (0.18, None, "odds_ratio", None, None)],
        ),
        ("时间从8秒缩短到4秒。", [(4, "seconds", "time", "decrease", None)]),
        ("HbA1c下降至少1个百分点。", [(1, "percentage_point", "hba1c", "decrease", ">=")]),
    ],
)
def test_metrics_in_both_scripts(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert metrics(text) == expected


@pytest.mark.parametrize(
    "body",
    [
        "整体反应率(95%置信区间)见表。",  # confidence level
        "详见文献[1]与[2]。",  # citation markers
        "Nature. 2025;641:971-977.",  # volume and pages
        "咨询电话:021-12345678。",
        "P=0.043,差异显著。",  # p-values are not outcome figures
        "受试者按2:1分组。",  # allocation ratio
    ],
)
def test_not_metrics(body: str) -> None:
    assert metrics(body) == []
