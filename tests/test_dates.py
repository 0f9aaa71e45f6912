import json

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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("2015年三月3号启动入组。", ["2015-03-03"]),
        ("二零一九年十一月二十日发布。", ["2019-11-20"]),
        ("两千零八年五月完成首例。", ["2008-05"]),
        ("会议于九月十八号举行。", ["2025-09-18"]),
        ("结果本月十日公布。", ["2025-03-10"]),
        ("去年本月十日提交了申请。", ["2024-03-10"]),
        ("团队在后天公布数据。", ["2025-03-16"]),
        ("大前天，患者出院。", ["2025-03-11"]),
        ("昨日，公司发布公告。", ["2025-03-13"]),
        ("上上周，研究获批。", ["2025-W09"]),
        ("下下周日召开会议。", ["2025-03-30"]),
        ("上礼拜二公布结果。", ["2025-03-04"]),
        ("这个星期一完成给药。", ["2025-03-10"]),
        ("下周周六举行发布会。", ["2025-03-22"]),
        ("5年前，该疗法尚在动物实验阶段。", ["2020"]),
        ("他三天前接受了治疗。", ["2025-03-11"]),
        ("08年时团队开始研究。", ["2008"]),
        ("15年3月2日首例患者入组。", ["2015-03-02"]),
        ("试验于1995-1997年进行。", ["1995", "1997"]),
        ("数据覆盖从2016到2018的病例。", ["2016", "2018"]),
        ("入组在2019年6月1日-6月30日完成。", ["2019-06-01", "2019-06-30"]),
        ("研究在5月至8月进行。", ["2025-05", "2025-08"]),
        ("三月到五月为随访期。", ["2025-03", "2025-05"]),
        ("2021年的第三个月启动。", ["2021-03"]),
        ("样本于12日送检。", ["2025-03-12"]),
        ("新华社北京12日电 研究发表。", ["2025-03-12"]),
        ("会议将在2月29日召开。", ["2024-02-29"]),  # no 29 February in 2025: the leap year before
        ("民国三年成立。", ["1914"]),
    ],
)
def test_more_date_forms_in_both_scripts(body: str, expected: list[str]) -> None:
    for text in both_scripts(DATELINE + body):
        assert values(text) == expected, text


@pytest.mark.parametrize(
    "body",
    [
        "患者术后48周后复查。",  # an offset from the operation, not from the publication date
        "治疗3个月后评估疗效。",
        "后天性免疫缺陷患者不纳入。",  # 后天 = acquired
        "本周期共给药三次。",  # 周期 is a cycle, not this week
        "两千年前就有记载。",  # two thousand years ago, not the year 2000
        "患者连续7日服药。",  # a length, not the 7th
        "随访两三个月。",
        "患者的30日死亡率为5%。",  # a 30-day mortality, not the 30th
        "纳入6月至12月龄的婴儿。",  # ages in months
    ],
)
def test_lookalikes_are_not_dates(body: str) -> None:
    for text in both_scripts(DATELINE + body):
        assert values(text) == [], text


def test_underspecified_dates_carry_their_reference_and_a_flag() -> None:
    for text in both_scripts(DATELINE + "4月20日公布，08年起研究，2024年5月6日完成。"):
        dates = [d for d in facts_of(text)["dates"] if d.role == "event"]
        assert [(d.value, d.underspecified, d.reference_date) for d in dates] == [
            ("2025-04-20", True, "2025-03-14"),
            ("2008", True, "2025-03-14"),
            ("2024-05-06", False, None),
        ]


def test_date_grammar_data_integrity() -> None:
    """Every pattern compiles, every reference resolves, every word is in Simplified script."""
    import re

    import opencc

    from stemwire.extractors import date_candidates
    from stemwire.extractors.grammar import expand, references
    from stemwire.extractors.lexicon import words as lexicon_words
    from stemwire.extractors.resources import load_json

    grammar, date_words = load_json("date_patterns.json"), load_json("date_words.json")
    sources = [s["regex"] for s in grammar["patterns"].values()]
    sources += list(grammar["fragments"].values()) + list(grammar["continuations"].values())
    for source in sources:
        for src, name in references(source):
            if src == "w":
                assert name in date_words, name
            elif src == "lex":
                assert lexicon_words(name), name
            else:
                assert name in grammar["fragments"], name
        re.compile(expand(source, grammar["fragments"], date_words))
    scans = {k for k in grammar["scans"] if not k.startswith("_")}
    for name in scans:
        re.compile(expand(grammar["scans"][name], grammar["fragments"], date_words))
    assert {s["opens_at"].removesuffix("+space") for s in grammar["patterns"].values()} <= scans | {
        "digits",
        "digits_space",
        "numerals",
        "numerals_space",
        "era",
        "month_initial",
        "words",
    }
    assert [kind for kind, _ in date_candidates.patterns()] == list(grammar["patterns"])
    t2s = opencc.OpenCC("t2s")
    for name in ("date_patterns.json", "date_words.json", "duration_units.json", "numerals.json"):
        raw = json.dumps(load_json(name), ensure_ascii=False)
        chinese = "".join(ch for ch in raw if "\u4e00" <= ch <= "\u9fff")
        assert t2s.convert(chinese) == chinese, name


# ROC (Minguo) years without the era word: only where the context makes the era certain, Traditional
# script with a Taiwan government or ROC cue (extractors/data/roc_context.json).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("標題\n衛生福利部於103年4月30日召開記者會。\n", ["2014-04-30"]),
        ("標題\n衛生福利部於103/04/30公布審查結果。\n", ["2014-04-30"]),
        ("標題\n疾病管制署表示，該計畫自98年4月開始收案。\n", ["2009-04"]),
        ("標題\n民國103年4月30日，醫院公布結果。\n", ["2014-04-30"]),  # the era word needs no cue
    ],
)
def test_roc_dates_in_an_roc_context(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "标题\n卫生福利部于103年4月30日召开记者会。\n",  # Simplified script: not a Taiwan page
        "标题\n该公司于103/04/30公布审查结果。\n",
        "標題\n該公司於103/04/30公布審查結果。\n",  # Traditional, but nothing says ROC
        "標題\n醫院於98年4月開始收案。\n",
    ],
)
def test_no_roc_year_without_an_roc_context(text: str) -> None:
    assert not any(v and v.startswith(("2014", "2009")) for v in values(text))


def test_an_roc_update_line_on_a_government_page_is_the_modification_date() -> None:
    from stemwire import extract_text

    record = extract_text(
        "標題\n衛生福利部公布結果，4月30日起實施。\n發布單位：醫事司　更新日期：103-05-02　點閱次數：12\n"
    )
    assert record.page is not None and record.page.date_modified == "2014-05-02"
    assert record.date_published is None  # an update is not a publication
