"""Pages as they arrive from the web: chrome, metadata, conversion damage, registry tables.

The page set (tests/fixtures/pages, our own pages with hand-checked gold) is gated on its F1 and on
every page's title and publication date; each rule also has a test of its own, including what must
not become a fact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stemwire import extract_file, extract_text
from stemwire.extractors.layout import analyse_layout
from stemwire.extractors.script import to_analysis_text
from tests.helpers import both_scripts
from tests.page_eval import score_pages

PAGE_FLOORS = {"micro": 0.95, "type": 0.90}


@pytest.fixture(scope="module")
def page_scores(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str]]:
    scored, problems, _ = score_pages(tmp_path_factory.mktemp("pages"))
    return scored, problems


def test_page_set_f1_floors(page_scores: tuple[dict, list[str]]) -> None:
    scored, _ = page_scores
    assert scored["micro"]["f1"] >= PAGE_FLOORS["micro"]
    for name, row in scored["types"].items():
        assert row["f1"] >= PAGE_FLOORS["type"], name
    assert scored.get("offsets", {}).get("wrong", 0) == 0


def test_page_titles_and_dates_are_right(page_scores: tuple[dict, list[str]]) -> None:
    assert page_scores[1] == []


def test_inserted_pinyin_is_read_through_and_offsets_hold() -> None:
    text = "標題\n研究以角膜緣幹細(xì)胞治療，移植後6個月有效率為68%。\n"
    record = extract_text(text)
    assert [c.name for c in record.cell_types] == ["limbal epithelial stem cell of cornea"]
    assert [d.value for d in record.durations] == ["P6M"]
    assert [m.value for m in record.metrics] == [68]
    for span in record.mentions:
        assert text[span.start : span.end] == span.text
    assert len(to_analysis_text(text).text) == len(text)


def test_a_bracketed_latin_word_without_tone_marks_stays() -> None:
    assert "(CAR)" in to_analysis_text("嵌合抗原受体(CAR)T细胞").text


def test_related_block_and_footer_yield_no_facts() -> None:
    text = (
        "首页 > 新闻 > 正文\n干细胞研究新进展\n来源：某网 发布日期：2020-05-06\n"
        "研究纳入30名患者，神经干细胞移植后3个月评分改善20%。\n"
        "相关阅读\n造血干细胞移植生存率达90% 2019-01-02\nCopyright © 2020 某网 版权所有\n"
    )
    record = extract_text(text)
    assert record.title == "干细胞研究新进展"
    assert record.date_published == "2020-05-06"
    assert [c.name for c in record.cell_types] == ["neural stem cell"]
    assert [m.value for m in record.metrics] == [20]
    assert "2019-01-02" not in [d.value for d in record.dates]


def test_update_only_line_is_not_the_publication_date() -> None:
    record = extract_text("间充质干细胞研究新进展\n更新日期：2021-03-04\n研究纳入30名患者。\n")
    assert record.date_published is None


def test_a_paragraph_printed_twice_yields_its_facts_once() -> None:
    para = "研究纳入30名患者，神经干细胞移植后3个月评分改善20%。"
    record = extract_text(f"标题\n{para}\n{para}\n")
    assert [m.value for m in record.metrics] == [20]


def test_results_line_with_a_scan_word_is_kept() -> None:
    layout = analyse_layout("标题\nPET扫描显示，神经干细胞移植后代谢活性提高了15%。\n")
    assert layout.lines[1].kind == "body"


def test_registry_pipe_table_gives_phase_and_enrollment() -> None:
    text = "标题\n研究记录如下:\n注册号: | NCT03217435 |\n研究所处的阶段: | Ⅰ、Ⅱ期临床试验 |\n受试者例数: | 35 |\n"
    trial = extract_text(text).trials[0]
    assert (trial.registry_id, trial.phase, trial.enrollment) == ("NCT03217435", "1/2", 35)


def test_a_page_of_chrome_only_yields_no_facts(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("跳到主要内容\n首页 | 新闻 | 专家 | 视频\nCopyright © 2020 某网 版权所有\n", encoding="utf-8")
    record = extract_file(path)
    assert record.title is None
    assert not (record.cell_types or record.metrics or record.dates or record.trials)


def test_html_page_metadata_gives_title_and_date() -> None:
    html = (
        '<html><head><title>干细胞新闻_某网</title><meta property="article:published_time" '
        'content="2024-02-03T08:00:00+08:00"></head><body><nav>首页 新闻</nav><h1>干细胞新闻</h1>'
        "<p>研究纳入30名患者。</p><footer>© 2024 某网</footer></body></html>"
    )
    record = extract_text(html, source_name="page.html", kind="html")
    assert record.title == "干细胞新闻"
    assert record.date_published == "2024-02-03"


def test_roc_year_heading_dates_the_day_under_it() -> None:
    text = "新聞稿\n103年衛生福利部新聞\n衛生福利部於4月30日召開記者會，移植後三年存活率為71.2%。\n"
    record = extract_text(text)
    assert "2014-04-30" in [d.value for d in record.dates]
    assert "P103Y" not in [d.value for d in record.durations]


def test_english_byline_and_glued_dates_give_the_publication_date() -> None:
    assert extract_text(
        "干细胞治疗心衰研究获新进展\nPublished: 17 April 2014\n研究纳入30名患者。\n"
    ).date_published == ("2014-04-17")
    record = extract_text("干细胞治疗心衰研究获新进展 date 2026-01-09\n研究纳入30名患者，3月5日完成首例。\n")
    assert (record.title, record.date_published) == ("干细胞治疗心衰研究获新进展", "2026-01-09")


def test_footer_copyright_year_is_not_a_publication_date() -> None:
    record = extract_text("干细胞治疗心衰研究获新进展\n研究纳入30名患者。\nCopyright © 2023 某网 版权所有\n")
    assert record.date_published is None
    assert record.dates == []


def test_html_news_page_with_chrome_and_related_block() -> None:
    """The issue's check: navigation bar, breadcrumb, share bar, meta tags and a related-reading block."""
    record = extract_file(Path(__file__).parent / "fixtures" / "pages" / "stroke-news-hans.html")
    assert record.title == "神经干细胞治疗缺血性脑卒中Ⅱ期研究达到主要终点"
    assert record.date_published == "2026-01-09"
    assert [(t.registry_id, t.phase, t.enrollment) for t in record.trials] == [("NCT04631406", "2", 120)]
    assert [c.name for c in record.cell_types] == ["neural stem cell"]
    assert not {"2025-12-01", "2025-11-20"} & {d.value for d in record.dates}
    assert 8.2 not in [m.value for m in record.metrics]
    for chrome in ("跳到主要内容", "分享到", "版权所有", "相关阅读", "首页"):
        assert chrome not in record.text


def test_page_data_files_compile() -> None:
    import re

    from stemwire.extractors.resources import load_json

    layout = load_json("layout.json")
    for key in ("chrome", "nav_separators", "metadata_cue", "metadata_line", "modification_cue", "publication_cue"):
        re.compile(layout[key])
    for key in ("related_heading", "citation", "roc_year_heading"):
        re.compile(layout[key])
    repairs = load_json("repairs.json")
    for key in (
        "pinyin",
        "cjk",
        "lost_character",
        "markdown_image",
        "phase_list",
        "day_month_year",
        "roc_year_heading",
    ):
        re.compile(repairs[key])
    fields = load_json("registry_rows.json")["fields"]
    assert set(fields) == {"id", "phase", "enrollment", "other"}
    labels = [label for group in fields.values() for label in group]
    assert len(labels) == len(set(labels)), "a registry label listed twice"


def test_dateline_found_below_author_and_source_lines() -> None:
    """An author line without a date is not the dateline; the date a few lines down still is."""
    record = extract_text(
        "干细胞研究新进展\n作者：张三\n来源：某报\n2024-05-06 10:00\n研究纳入30名患者，于3月5日完成首例。\n"
    )
    assert record.date_published == "2024-05-06"
    assert "2024-03-05" in [d.value for d in record.dates]


def test_an_address_line_is_not_the_title() -> None:
    record = extract_text("https://news.example.cn/2023/1117/88.html\n干细胞研究新进展\n研究纳入30名患者。\n")
    assert record.title == "干细胞研究新进展"
    assert record.dates == []


def test_a_date_or_ratio_with_slashes_is_not_a_navigation_bar() -> None:
    from stemwire.extractors.layout import analyse_layout

    for line in ("2010/01/29", "会议于2010/01/29召开", "两组比例为3/2/1，差异显著"):
        assert [ln.kind for ln in analyse_layout(line).lines if ln.end > ln.start] != ["boilerplate"], line


_LONG_BODY = "研究纳入30名患者，神经干细胞移植后3个月评分改善20%，研究者认为这一疗法值得在更大规模的试验中验证。"


@pytest.mark.parametrize(
    "text",
    both_scripts(
        f"干细胞研究新进展\n来源：某网 发布日期：2020-05-06\n{_LONG_BODY}\n\n"
        "间充质干细胞治疗膝关节炎有效率达80% 2019-01-02\n\n造血干细胞移植治疗白血病新进展 (2019-03-04)\n"
    ),
)
def test_teasers_without_a_heading_after_the_body_yield_no_facts(text: str) -> None:
    record = extract_text(text)
    assert [c.name for c in record.cell_types] == ["neural stem cell"]
    assert [m.value for m in record.metrics] == [20]
    assert [d.value for d in record.dates] == ["2020-05-06"]


def test_a_dated_timeline_in_the_body_stays_article() -> None:
    # a date at the start of each line is a chronology, not a teaser (which ends with its date)
    text = f"干细胞研究新进展\n{_LONG_BODY}\n2019-01-02 首例患者接受神经干细胞移植\n2019-03-04 全部患者完成入组\n"
    assert [d.value for d in extract_text(text).dates] == ["2019-01-02", "2019-03-04"]


def test_one_dated_line_after_the_body_is_not_a_block() -> None:
    text = f"干细胞研究新进展\n{_LONG_BODY}\n神经干细胞组最后一次随访 2019-01-02\n"
    assert "2019-01-02" in [d.value for d in extract_text(text).dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("间充质干细胞治疗肝衰竭的研究 PMID: 31234567\n", [(None, "31234567", None)]),
        (
            "间充质干细胞治疗肝衰竭的研究\n来源：某刊 发布日期：2020-05-06 PMCID: PMC7654321\n",
            [(None, None, "PMC7654321")],
        ),
        (
            "間充質幹細胞治療肝衰竭的研究\n作者：王某　發布日期：2020-05-06　DOI: 10.1002/advs.202504154\n",
            [("10.1002/advs.202504154", None, None)],
        ),
        (
            "间充质干细胞治疗肝衰竭的研究\nDOI：10.1016/j.stem.2020.01.002\n",
            [("10.1016/j.stem.2020.01.002", None, None)],
        ),
        (
            "引用本文：王某. 间充质干细胞治疗肝衰竭[J]. 某刊, 2020. doi: 10.3760/cma.j.2020.01.001\n间充质干细胞治疗肝衰竭的研究\n",
            [("10.3760/cma.j.2020.01.001", None, None)],
        ),
    ],
)
def test_identifiers_on_title_metadata_and_citation_lines_are_references(text: str, expected: list[tuple]) -> None:
    record = extract_text(text + _LONG_BODY + "\n")
    assert [(r.doi, r.pmid, r.pmcid) for r in record.references] == expected
    assert not any(d.text.startswith(("3123", "7654", "2020.01")) for d in record.dates)  # ids are not dates


def test_an_identifier_in_a_related_teaser_is_not_the_articles() -> None:
    text = f"干细胞研究新进展\n{_LONG_BODY}\n相关阅读\n某研究 DOI: 10.1000/xyz.123 2019-01-02\n"
    assert extract_text(text).references == []


_TOOL_LINES = [
    "【字体：大 中 小】",
    "【打印】【关闭】",
    "扫一扫在手机打开当前页",
    "阅读 1.2万 点赞 35",
    "返回顶部",
    "点击查看原文",
    "热门标签：干细胞 免疫细胞 脐带间充质干细胞",
    "第1页 第2页 下一页",
    "编辑 / 王某",
]


@pytest.mark.parametrize("text", both_scripts(f"干细胞研究新进展\n{_LONG_BODY}\n" + "\n".join(_TOOL_LINES) + "\n"))
def test_page_tool_lines_tag_clouds_and_counts_are_chrome(text: str) -> None:
    record = extract_text(text)
    assert [c.name for c in record.cell_types] == ["neural stem cell"]  # not the tag cloud's
    assert [m.value for m in record.metrics] == [20]  # not the view or like counts


def test_lines_that_only_look_like_tools_stay_article() -> None:
    layout = analyse_layout(to_analysis_text("标题\n研究小组\n评论区精选\n中国干细胞学会\n").text)
    assert [line.kind for line in layout.lines[1:4]] == ["heading", "heading", "heading"]
