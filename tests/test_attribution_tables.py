"""Table columns as measures, primary endpoints, subgroups, and one trial under two registry ids."""

import pytest

from stemwire import extract_text
from tests.helpers import both_scripts

TABLE = """研究结果见下表。
| 组别 | 例数 | 有效率 | 12个月生存率 |
|---|---|---|---|
| 细胞治疗组 | 60 | 78.3% | 91.7% |
| 对照组 | 60 | 55.0% | 80.0% |
"""


def figures(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(m.value, m.measure, m.arm, m.time_point) for m in record.metrics]


@pytest.mark.parametrize("text", both_scripts(TABLE))
def test_a_tables_header_names_the_measure_and_its_rows_the_groups(text: str) -> None:
    assert figures(text) == [
        (78.3, "response rate", "intervention", None),
        (91.7, "survival rate", "intervention", "P12M"),
        (55.0, "response rate", "control", None),
        (80.0, "survival rate", "control", "P12M"),
    ]


def test_a_header_outside_the_vocabulary_is_published_as_written_and_rows_of_times_give_time_points() -> None:
    body = "| 随访时间 | 无需轮椅者比例 |\n|---|---|\n| 第12周 | 41% |\n| 第24周 | 57% |\n"
    assert figures(body) == [(41, "无需轮椅者比例", None, "P12W"), (57, "无需轮椅者比例", None, "P24W")]


def test_a_single_arm_tables_groups_are_no_arms() -> None:
    body = "| 组别 | 缓解率 |\n|---|---|\n| 低剂量组 | 40% |\n| 高剂量组 | 65% |\n"
    assert [arm for _, _, arm, _ in figures(body)] == [None, None]


TIME_AND_GROUP_COLUMNS = """两组有效率见下表。
| 组别 | 评估时间 | 例数 | 有效率 |
|---|---|---|---|
| 治疗组 | 6个月 | 30 | 80% |
| 对照组 | 6个月 | 30 | 45% |

| 评估时间 | 组别 | 有效率 |
|---|---|---|
| 第12周 | 细胞组 | 60% |
| 第12周 | 安慰剂组 | 30% |
"""


@pytest.mark.parametrize("text", both_scripts(TIME_AND_GROUP_COLUMNS))
def test_a_time_or_a_group_in_a_middle_column_that_is_headed_so(text: str) -> None:
    assert figures(text) == [
        (80, "response rate", "intervention", "P6M"),
        (45, "response rate", "control", "P6M"),
        (60, "response rate", "intervention", "P12W"),
        (30, "response rate", "control", "P12W"),
    ]


def test_a_length_in_a_column_not_headed_as_a_time_is_no_time_point() -> None:
    # a treatment course of 6 months is not when the figure was measured
    body = "| 组别 | 疗程 | 有效率 |\n|---|---|---|\n| 治疗组 | 6个月 | 80% |\n| 对照组 | 6个月 | 45% |\n"
    assert figures(body) == [(80, "response rate", "intervention", None), (45, "response rate", "control", None)]


CAPTIONED = """表1 治疗12个月后两组主要指标

| 指标 | 干细胞组（n=40） | 对照组（n=40） |
|---|---|---|
| 有效率 | 82.5% | 47.5% |
| VAS评分下降 | 3.2分 | 1.1分 |
"""


@pytest.mark.parametrize("text", both_scripts(CAPTIONED))
def test_the_one_time_of_the_line_above_a_table_is_its_figures_time_point(text: str) -> None:
    assert [(value, time) for value, _, _, time in figures(text)] == [
        (82.5, "P12M"),
        (47.5, "P12M"),
        (3.2, "P12M"),
        (1.1, "P12M"),
    ]


@pytest.mark.parametrize(
    "caption", ["表2 治疗后6个月和12个月的结果", "表3 治疗后6个月内的不良事件", "研究共纳入80名患者。"]
)
def test_a_line_above_a_table_naming_two_times_a_period_or_none_gives_no_time_point(caption: str) -> None:
    body = caption + "\n| 指标 | 干细胞组 | 对照组 |\n|---|---|---|\n| 有效率 | 82.5% | 47.5% |\n"
    assert [time for _, _, _, time in figures(body)] == [None, None]


def endpoints(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(m.value, m.primary, m.subgroup) for m in record.metrics]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # named as the primary endpoint; a secondary endpoint named later in the sentence wins after it
        (
            "主要终点为第12周的应答率，治疗组为62%，安慰剂组为31%；次要终点中，疼痛评分下降2.1分。",
            [(62, True, None), (31, True, None), (2.1, False, None)],
        ),
        # the list's lead-in names it
        ("主要结局指标如下：\n- 细胞组6分钟步行距离增加45米。", [(45, True, None)]),
        # the first figure is not the primary endpoint by being first
        ("治疗组应答率为62%，安慰剂组为31%。", [(62, None, None), (31, None, None)]),
        # a subgroup's figure keeps the subgroup's name and is never the primary endpoint
        ("主要终点达成。在65岁以上亚组中，应答率为58%。", [(58, None, "65岁以上亚组")]),
        ("亚组分析显示，糖尿病患者的缓解率为40%。", [(40, None, "亚组")]),
    ],
)
def test_primary_endpoint_and_subgroup_only_where_the_text_says(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        got = endpoints(text)
        assert [(v, p) for v, p, _ in got] == [(v, p) for v, p, _ in expected]
        assert [s is not None for _, _, s in got] == [s is not None for _, _, s in expected]
    assert endpoints(body) == expected


def trials(body: str) -> list[tuple]:
    record = extract_text("标题\n" + body, published="2025-03-01")
    return [(t.registry_id, t.phase, t.enrollment, t.also_registered_as) for t in record.trials]


@pytest.mark.parametrize(
    "body",
    both_scripts(
        "该研究在ClinicalTrials.gov（NCT05012345）和中国临床试验注册中心（ChiCTR2100045678）同时注册，"
        "为一项Ⅱ期随机对照试验，共纳入120名患者。"
    ),
)
def test_one_trial_under_two_registry_ids_shares_its_phase_and_size(body: str) -> None:
    assert trials(body) == [
        ("NCT05012345", "2", 120, ["ChiCTR2100045678"]),
        ("ChiCTR2100045678", "2", 120, ["NCT05012345"]),
    ]


def test_two_studies_or_two_ids_of_one_registry_are_not_merged() -> None:
    two = trials("两项研究（NCT05012345和ChiCTR2100045678）同时注册，其中Ⅰ期试验纳入20名患者。")
    assert all(aliases == [] for *_, aliases in two)
    same_registry = trials("注册号分别为NCT05012345和NCT05012346。")
    assert all(aliases == [] for *_, aliases in same_registry)


def test_a_study_registered_again_under_a_new_id_is_one_study() -> None:
    body = "该Ⅱ期试验原注册号为NCT04000001，撤回后重新注册为NCT04000002，共入组48名患者。"
    assert trials(body) == [
        ("NCT04000001", "2", 48, ["NCT04000002"]),
        ("NCT04000002", "2", 48, ["NCT04000001"]),
    ]
