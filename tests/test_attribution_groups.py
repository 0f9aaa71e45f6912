"""Arms read across a sentence's clauses, comparator labels and comparisons with any named group."""

import pytest

from stemwire import extract_text
from tests.helpers import both_scripts


def attributed(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(m.value, m.arm, m.time_point) for m in record.metrics if m.unit not in ("cells", "cells/kg")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the group of a sentence's first figure carries over its later clauses; the figure before a
        # control group's figure is the treated group's
        (
            "本研究设安慰剂对照。治疗后第6个月，细胞组LVEF提高了4.3个百分点，6分钟步行距离增加35米；"
            "MACE发生率为8.3%，对照组为15.0%。",
            [
                (4.3, "intervention", "P6M"),
                (35, "intervention", "P6M"),
                (8.3, "intervention", "P6M"),
                (15.0, "control", "P6M"),
            ],
        ),
        # 高于对照组的38%: the compared group's own value
        (
            "随访48周后，Child-Pugh评分改善的比例达65%，高于对照组的38%。",
            [(65, "intervention", "P48W"), (38, "control", "P48W")],
        ),
        # a comparator named by its label only (药物组)
        ("移植组无疾病活动的比例为78.6%，药物组为32.1%。", [(78.6, "intervention", None), (32.1, "control", None)]),
        # a comparison with any group, and with an untreated site of the same patients
        ("术后4周，细胞片组的存活率是悬液组的3倍。", [(3, "comparison", "P4W")]),
        ("移植后第52周，病灶扩大速度比对侧眼减慢了40%。", [(40, "comparison", "P52W")]),
        # N周后有…: a time opening the clause; 追踪5年的资料: data of that time
        (
            "一项试验中，48周后有97.7%的受试者软骨再生，对照组为71.4%。",
            [(97.7, "intervention", "P48W"), (71.4, "control", "P48W")],
        ),
        ("追踪5年的资料显示，患者VAS评分比基准低22.3分。", [(22.3, None, "P5Y")]),
        # a clause opening with a contrast word starts another subject: no group carries into it
        (
            "与安慰剂对照。细胞组缓解率为40%，而总体不良事件发生率为5%。",
            [(40, "intervention", None), (5, None, None)],
        ),
        # no comparator stated: a named group is no arm
        ("这是一项没有对照组的研究，治疗组有效率为60%，疼痛评分下降2分。", [(60, None, None), (2, None, None)]),
    ],
)
def test_arms_across_clauses_in_both_scripts(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert attributed(text) == expected, text


def measured(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(m.value, m.measure, m.arm, m.time_point) for m in record.metrics]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a measure word naming a group (高剂量组) is no measure; 组间差异 is a difference
        (
            "安慰剂对照研究中，高剂量组评分下降4.1分，安慰剂组下降7.9分，组间差异为3.8分。",
            [(4.1, "score", "intervention", None), (7.9, "score", "control", None), (3.8, "score", "comparison", None)],
        ),
        # an abbreviation in brackets belongs to the phrase; a time opening the clause is no part of it
        ("一年后，血清神经微丝(NfM)浓度降低了31%。", [(31, "血清神经微丝(NfM)浓度", None, "P1Y")]),
        ("正电子造影显示，一年后纹状体摄取量平均增加了45%。", [(45, "纹状体摄取量", None, "P1Y")]),
    ],
)
def test_measure_phrases_and_group_labels(body: str, expected: list[tuple]) -> None:
    assert measured(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # counts of occurrences where the sentence names a count measure; the time point is no figure
        (
            "每月发作次数的中位数由基线的14次降至术后第12个月的3次。",
            [(14, "seizure frequency", None, "P0D"), (3, "seizure frequency", None, "P12M")],
        ),
        ("每4周给药1次，共3次。", []),
        # a bare head keeps what it counts; a phrase pointing back (这一标准) names nothing of its own
        (
            "研究期间因心衰住院的比例为10%，较入组前一年的40%明显下降。",
            [(10, "因心衰住院的比例", None, None), (40, "因心衰住院的比例", None, None)],
        ),
        # lab units of their own
        (
            "随访6个月时，血清肌酐上升了9.4 μmol/L，eGFR下降2.1 ml/min/1.73m²。",
            [(9.4, "serum creatinine", None, "P6M"), (2.1, "estimated glomerular filtration rate (eGFR)", None, "P6M")],
        ),
    ],
)
def test_counts_units_and_bare_heads(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        got = measured(text)
        assert [(v, a, t) for v, _, a, t in got] == [(v, a, t) for v, _, a, t in expected], text
    assert measured(body) == expected


def test_a_phrase_pointing_back_takes_the_vocabulary_name() -> None:
    body = "主要终点为第90天mRS评分0至2分的患者比例。结果显示，细胞组达到这一标准的比例为53.2%。"
    assert [m for m in measured(body) if m[0] == 53.2] == [(53.2, "modified Rankin Scale (mRS)", None, None)]


def test_a_predicate_figures_time_written_after_it() -> None:
    body = "对照研究中，细胞组有48%的患者在第12个月时仍处于持续缓解状态；缓解率维持至第24周。"
    assert [m for m in measured(body) if m[0] == 48] == [(48, "处于持续缓解", "intervention", "P12M")]
    # 维持至第24周: a time after 至 ends a period, it is no time point of the figure before it
    assert measured("治疗组缓解率为40%，维持至第24周。") == [(40, "response rate", None, None)]
