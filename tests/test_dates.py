import pytest

from tests.helpers import both_scripts, facts_of

DATELINE = "标题\n发布日期:2025-03-14\n"


def values(text: str) -> list[str | None]:
    return [d.value for d in facts_of(text)["dates"] if d.role == "event"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("研究于2025年2月17日公布。", ["2025-02-17"]),
        ("数据在2025/2/17更新。", ["2025-02-17"]),
        ("会议在2025-02-17召开。", ["2025-02-17"]),
        ("报告于2023.09.27发布。", ["2023-09-27"]),
        ("二〇二五年二月十七日，团队宣布结果。", ["2025-02-17"]),
        ("团队预计二〇二六年展开第二期研究。", ["2026"]),
        ("二〇二四年十二月完成入组。", ["2024-12"]),
        ("２０２５年２月１７日，团队宣布结果。", ["2025-02-17"]),
        ("2021年底完成全部手术。", ["2021-12"]),
        ("2020年1月至4月纳入患者。", ["2020-01", "2020-04"]),
        ("于2021年1至3月完成入组。", ["2021-01", "2021-03"]),
        ("会议于6月20日至23日举行。", ["2025-06-20", "2025-06-23"]),
        ("研究在8月初发表。", ["2025-08"]),
        ("去年12月底公布了随访结果。", ["2024-12"]),
        ("今年3月提交申请。", ["2025-03"]),
        ("民国107年9月6日修正发布。", ["2018-09-06"]),
        ("2018年7月30日启动试验，同年11月9日完成首例移植。", ["2018-07-30", "2018-11-09"]),
        ("计划在2026年启动。", ["2026"]),
        ("计划自民国112年起收案。", ["2023"]),
    ],
)
def test_dates_in_both_scripts(body: str, expected: list[str]) -> None:
    for text in both_scripts(DATELINE + body):
        assert values(text) == expected


def test_relative_date_without_dateline_keeps_text_and_no_value() -> None:
    dates = facts_of("标题\n正文说明，去年的数据显示疗效稳定。")["dates"]
    assert [(d.text, d.value) for d in dates] == [("去年", None)]


def test_english_dates_in_reference_list() -> None:
    text = "标题\n正文。\n参考文献\n[1] A B. Title. Adv Sci. 2025 Aug;12(29):e04154. Epub 2025 May 23."
    refs = [(d.value, d.role) for d in facts_of(text)["dates"]]
    assert ("2025-08", "reference") in refs and ("2025-05-23", "reference") in refs


@pytest.mark.parametrize(
    "body",
    [
        "详情见文献[2025]。",  # a citation-like bracket is not a date
        "文章发表于Nat Commun 16, 9285 (2025)。",  # a bare year in a citation
        "咨询电话 2025-1234-5678。",  # a phone number
        "阅读时间约8分钟",  # reading-time line
    ],
)
def test_not_dates(body: str) -> None:
    assert values("标题\n" + body) == []


@pytest.mark.parametrize(
    ("dateline", "body", "expected"),
    [
        ("民国114年3月21日　记者林怡君／台北报导", "去年11月在年会上报告。", ["2024-11"]),
        ("（香港　2024年12月5日）", "上周三刊登于期刊。", ["2024-11-27"]),
        ("2025/3/5 医学界骨科频道", "今年下半年提交申请。", ["2025"]),  # a half-year: the year is what ISO keeps
        # a press release opens its first paragraph with its date
        ("", "2024年3月8日，上海——公司宣布进展，预计今年第四季度读出数据。", ["2024-03-08", "2024"]),
    ],
)
def test_relative_dates_resolve_against_datelines_of_every_style(dateline: str, body: str, expected: list[str]) -> None:
    for text in both_scripts(f"标题\n{dateline}\n\n{body}"):
        assert [v for v in values(text) if v] == expected


def test_wire_dateline_without_a_year_resolves_nothing() -> None:
    for text in both_scripts("标题\n新华社北京11月18日电\n\n上周三，团队发表论文。"):
        dates = facts_of(text)["dates"]
        assert [d.value for d in dates] == [None, None]
        assert dates[0].role == "dateline"


def test_record_keeps_unresolved_dates_apart_from_dated_facts() -> None:
    from stemwire.extractors.article import extract_record
    from tests.helpers import FIXTURES

    record = extract_record(FIXTURES / "articles" / "pd-monkey-hans.txt")
    assert record.dates == []
    assert [(d.text, d.value) for d in record.unresolved_dates] == [("11月18日", None), ("上周三", None)]
    spans = {(m.start, m.end) for m in record.mentions if m.type == "date"}
    assert {(d.start, d.end) for d in record.unresolved_dates} <= spans
