import pytest

from tests.helpers import both_scripts, facts_of


def values(text: str) -> list[str]:
    return [d.value for d in facts_of("标题\n" + text)["durations"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("试验为期12个月。", ["P12M"]),
        ("随访十二个月。", ["P12M"]),
        ("治疗两年后复查。", ["P2Y"]),
        ("半年后评估。", ["P6M"]),
        ("连续三周给药。", ["P3W"]),
        ("受试者为发病6至60个月的成人。", ["P6M", "P60M"]),
        ("间隔6~12个月复查。", ["P6M", "P12M"]),
        ("多数人在3-5年内离世。", ["P3Y", "P5Y"]),
        ("第7天出现信号，第90天评估。", ["P7D", "P90D"]),
        ("术后24小时内发生癫痫。", ["PT24H"]),
        ("须在得知后7日内通报。", ["P7D"]),
        ("每星期两次，连续4星期。", ["P4W"]),
        ("观察１２个月。", ["P12M"]),
        ("研究已进行一年半。", ["P18M"]),
        ("注射后1、3、6个月复查。", ["P1M", "P3M", "P6M"]),
        ("于3和6个月时评估。", ["P3M", "P6M"]),
        ("治疗两个半月。", ["P2.5M"]),
        ("患者住院两年零三个月。", ["P27M"]),
        ("观察期为1年2个月。", ["P14M"]),
        ("疗程持续8天20小时。", ["P8DT20H"]),
        ("距离截止还有3天5时。", ["P3DT5H"]),
        ("全程耗时6小时15分。", ["PT6H15M"]),
        ("培养了两周又四天。", ["P2W4D"]),
        ("实验进行了五天又一个月。", ["P1M5D"]),  # a part out of order, joined by 又
        ("随访二十一点五个月。", ["P21.5M"]),
        ("随访廿四个月。", ["P24M"]),
        ("中位生存期为十五点七个月。", ["P15.7M"]),
    ],
)
def test_durations_in_both_scripts(body: str, expected: list[str]) -> None:
    for text in both_scripts(body):
        assert values(text) == expected


@pytest.mark.parametrize(
    "body",
    [
        "2025年2月17日公布结果。",  # a calendar date, not a length
        "民国108年1月1日起施行。",
        "70岁的陈女士接受治疗。",  # ages are not durations
        "本文阅读时间约8分钟",  # reading-time line
        "NCT04631406试验登记。",
        "6分钟步行距离增加42米。",  # the 6 minutes name a test
        "计划在2025年上半年启动。",  # a half of the calendar year
        "（本文阅读时长：3分钟）",
        "电话：400-810-1234",
        "自民国112年起收案。",  # a Minguo year, not 112 years
        "患者年满18周岁。",  # an age, not 18 weeks
        "纳入65岁以上的老人。",
        "随访三四个月后复查。",  # three or four months: no single value
    ],
)
def test_not_durations(body: str) -> None:
    for text in both_scripts(body):
        assert values(text) == []


def test_compound_parts_must_shrink() -> None:
    """6个月12周 are two lengths side by side, never one of 6 months and 12 weeks."""
    assert values("分别于6个月12周评估。") == ["P6M", "P12W"]


def test_compound_with_more_is_approximate() -> None:
    facts = facts_of("标题\n已经过去一年多三个月。")["durations"]
    assert [(d.value, d.qualifier) for d in facts] == [("P15M", "~")]
