import pytest

from stemwire.extractors.script import to_analysis_text
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
        ("每次每公斤体重1.0×10^6个细胞。", [(1000000, "cells/kg", "cell_dose", None, None)]),
        ("随访时10人不再需要注射胰岛素。", [(10, "count", "insulin_independence", None, None)]),
        ("其中3名患者达到完全缓解。", [(3, "count", "cr", None, None)]),
        ("有7人的ASIA分级至少改善一级。", [(7, "count", "asia", None, None)]),
        ("终末期肝病模型(MELD)评分下降2.4分。", [(2.4, "point", "meld", "decrease", None)]),
        ("低血糖发作次数减少约九成。", [(90, "percent", "hypoglycemia", "decrease", "~")]),
        ("中位无进展生存期为24个月。", [(24, "months", "pfs", None, None)]),
        ("患者每日关期减少1.9小时。", [(1.9, "hours", "off_time", "decrease", None)]),  # time spent in a state
        ("中位随访时间为18.6个月。", []),
        (
            "主要不良心血管事件(MACE)发生率为8.3%。",
            [(8.3, "percent", "mace", None, None)],
        ),  # a follow-up length is a duration, not an outcome
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
        "（本文阅读时长：3分钟）",  # reading-time line
        "👉 本文约2500字，阅读需要5分钟",
        "受试者平均年龄52.4岁，男性占78%。",  # who was enrolled, not an outcome
        "客服电话：400-810-1234",
        "Cell Stem Cell. 2025;32(4):512-526.",  # volume, issue and pages
        "两组的整体存活率则没有显著差异(P=0.21)。",
    ],
)
def test_not_metrics(body: str) -> None:
    for text in both_scripts(body):
        assert metrics(text) == []


@pytest.mark.parametrize(
    ("body", "measure"),
    [
        # an unknown scale is named by its own words, not "score"
        ("到第24个月时,统一评分较移植前下降了55%。", "统一评分"),
        # a vague word refers back to a precise scale of the same kind
        ("ALSFRS-R是主要指标。治疗组评分平均下降1.77分。", "ALSFRS-R"),
        # a vague word of another kind beats a condition-like name further back
        ("研究纳入GVHD病人。到第4星期有13人(92.9%)出现反应。", "response"),
    ],
)
def test_measure_names(body: str, measure: str) -> None:
    for text in both_scripts(body):
        named = [
            to_analysis_text(m.measure or "").text for m in facts_of("标题\n" + text)["metrics"] if m.unit != "count"
        ]
        assert named and all(measure in n for n in named), named


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the vocabulary first, with regional variants
        ("术后3个月梗塞体积缩小了35%。", [(35, "infarct volume", "梗塞体积")]),
        ("该病的患病率约为1.2%，知晓率仅36%。", [(1.2, "prevalence", "患病率"), (36, "awareness rate", "知晓率")]),
        ("植入后第30天供者嵌合率达到98%。", [(98, "donor chimerism", "供者嵌合率")]),
        # where none fits, the phrase the text uses, bounded by its clause
        ("治疗组握力提高了15%，血清IL-6水平下降了40%。", [(15, "握力", "握力"), (40, "血清IL-6水平", "血清IL-6水平")]),
        (
            "共有60%的患者达到临床缓解，其中30%的患者出现发热。",
            [(60, "clinical remission", "临床缓解"), (30, "发热", "发热")],
        ),
        # a bare head noun refers back to the measure named before it
        ("不良事件多为注射部位肿胀，发生率为12.5%。", [(12.5, "adverse events", "不良事件")]),
    ],
)
def test_measure_phrase_the_text_uses(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        got = [(m.value, m.measure, m.measure_text) for m in facts_of("标题\n" + text)["metrics"]]
        written = [
            (v, label if label.isascii() else _as_written(text, t), _as_written(text, t)) for v, label, t in expected
        ]
        assert got == written, text


def _as_written(text: str, simplified: str) -> str:
    """The phrase as the snippet writes it (Traditional in the converted snippet)."""
    analysis = to_analysis_text(text)
    i = analysis.text.find(simplified)
    return analysis.original[i : i + len(simplified)]


def timed_outcomes(text: str) -> list[tuple]:
    return [(m.value, m.unit, m.measure_key, m.arm) for m in facts_of("标题\n" + text)["metrics"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the other group's value, in a later clause that names only the group
        (
            "接受细胞治疗的一组中位总生存期为13.6个月，对照组为8.9个月。",
            [(13.6, "months", "os_time", "intervention"), (8.9, "months", "os_time", "control")],
        ),
        (
            "治疗组中位无进展生存期达到6.2个月，而安慰剂组仅为3.1个月。",
            [(6.2, "months", "pfs", "intervention"), (3.1, "months", "pfs", "control")],
        ),
        # the value right after its measure, with no copula between
        (
            "治疗组中位无进展生存期7.4个月，标准治疗组4.0个月。",
            [(7.4, "months", "pfs", "intervention"), (4.0, "months", "pfs", "control")],
        ),
        # a group's time that is no outcome stays a duration: follow-up, treatment length
        ("治疗组的中位随访时间为20个月，对照组为19个月。", []),
        ("患者接受了为期6个月的治疗，对照组为3个月。", []),
        # the outcome was reported in another sentence: nothing links the group's time to it
        ("中位总生存期为15个月。对照组为9个月。", [(15, "months", "os_time", None)]),
    ],
)
def test_a_time_outcome_of_two_groups(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert timed_outcomes(text) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "治疗组15名患者获得完全缓解，对照组仅4名。",
            [(15, "count", "cr", "intervention"), (4, "count", "cr", "control")],
        ),
        # every count of a list whose last item says what its people reached
        ("两组分别有9名和2名受试者达到完全缓解。", [(9, "count", "cr", None), (2, "count", "cr", None)]),
        # the other group's count says something else of its people, or nothing was reached before it
        ("治疗组15名患者达到完全缓解，对照组4名患者退出研究。", [(15, "count", "cr", "intervention")]),
        ("研究共纳入40名患者，对照组20名。", []),
    ],
)
def test_a_responder_count_of_two_groups(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert timed_outcomes(text) == expected
