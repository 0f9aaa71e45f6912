"""Arms and time points of figures: only what the text states, in both scripts."""

import pytest

from stemwire import extract_text
from tests.helpers import both_scripts


def attributed(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(m.value, m.arm, m.time_point) for m in record.metrics if m.unit not in ("cells", "cells/kg")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # groups named with their figures, a ratio, a window counted from treatment
        (
            "输注后1个月内，MSC组病死率为7.69%，对照组为33.33%。",
            [(7.69, "intervention", "P1M"), (33.33, "control", "P1M")],
        ),
        (
            "MSC组28天死亡率为7.6%，对照组为21.5%(OR=0.18)；临床改善的比值比为6.05。",
            [
                (7.6, "intervention", "P28D"),
                (21.5, "control", "P28D"),
                (0.18, "comparison", "P28D"),
                (6.05, "comparison", None),
            ],
        ),
        # a difference between groups, and the later figures of the same comparison
        (
            "主要终点是从基线到第28天全肺病灶体积的变化：UC-MSC组比安慰剂组多改善13.31%，未达显著；"
            "但实性病灶体积显著减少15.45%。",
            [(13.31, "comparison", "P28D"), (15.45, "comparison", "P28D")],
        ),
        # 两组分别 follows the order the groups were named in; 只差 is a difference
        (
            "顶线结果显示，NurOwn组应答率34.7%、安慰剂组27.7%；第28周ALSFRS-R总分变化两组分别为-5.52分和-5.88分，只差0.36分。",
            [
                (34.7, "intervention", None),
                (27.7, "control", None),
                (-5.52, "intervention", "P28W"),
                (-5.88, "control", "P28W"),
                (0.36, "comparison", "P28W"),
            ],
        ),
        # a versus pair
        (
            "治疗组与安慰剂组相比。亚组中应答率为34.6%对15.6%。",
            [(34.6, "intervention", None), (15.6, "control", None)],
        ),
        # a lead clause gives the time to every figure of its sentence
        (
            "12个月时，总FMMS平均增加12.1分，NIHSS改善1.77分。",
            [(12.1, None, "P12M"), (1.77, None, "P12M")],
        ),
        # a list under a lead-in with a time
        ("第18个月的数据显示：\n- 高剂量组MDS-UPDRS评分平均改善23分。", [(23, None, "P18M")]),
        ("随访两年后，MDS-UPDRS评分较基线平均下降21.9分。", [(21.9, None, "P2Y")]),
        ("术后3个月，VAS疼痛评分下降了4分。", [(4, None, "P3M")]),
        ("一年时受试者TIR平均达93.3%。", [(93.3, None, "P1Y")]),
        # the 'from' value is the baseline
        ("追踪3个月后，爬楼梯的时间从8秒缩短到4秒。", [(4, None, "P3M")]),
        # single-arm dose cohorts are not arms; periods, ranges and study-design lengths are no time points
        ("其中高剂量组升高63.5%，低剂量组只升高了7%。", [(63.5, None, None), (7, None, None)]),
        ("从第90天起，HbA1c下降了1.2%。", [(1.2, None, None)]),
        ("第3至6个月，HbA1c下降了1.2%。", [(1.2, None, None)]),
        ("在第4周和第12周，应答率为40%。", [(40, None, None)]),
        ("整体随访期为24个月，MDS-UPDRS评分平均改善9.5分。", [(9.5, None, None)]),
        ("在移植后6周内监测，生物发光信号强度增加了30%。", [(30, None, None)]),
        # an animal comparison between two treated groups
        ("延迟移植组的小鼠生物发光信号强度超过急性移植组5倍以上。", [(5, "comparison", None)]),
        # a lead clause "N周后，"; a future "N个月后将…" is none
        ("12周后，HbA1c下降了1.2%。", [(1.2, None, "P12W")]),
        ("3个月后将公布结果，HbA1c下降了1.2%。", [(1.2, None, None)]),
        # groups named by what they received, a comparison in a lead clause
        (
            "在接受干细胞治疗的患者中，有效率为80%，而接受安慰剂的患者为30%。",
            [(80, "intervention", None), (30, "control", None)],
        ),
        ("与安慰剂相比，死亡风险降低了35%。", [(35, "comparison", None)]),
        # a single-arm study states no comparator
        ("这是一项没有对照组的研究，治疗组有效率为60%。", [(60, None, None)]),
    ],
)
def test_arm_and_time_point_in_both_scripts(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert attributed(text) == expected, text


def test_time_point_text_is_verbatim() -> None:
    for text in both_scripts("第24周时，HbA1c下降了1.2%。"):
        record = extract_text("标题\n" + text, published="2025-03-01")
        metric = record.metrics[0]
        assert metric.time_point == "P24W"
        assert metric.time_point_text is not None and metric.time_point_text in record.text
