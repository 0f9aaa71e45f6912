"""The record's `page`: title, dates and where the publication date came from, author, address, for
HTML pages and text pastes; year-less and relative dates take the page date, and say so."""

from __future__ import annotations

import pytest

from stemwire import extract_text
from tests.helpers import both_scripts

_PASTE = (
    "首页 > 新闻 > 正文\n干细胞研究新进展\n来源：某网 作者：王小明 发布日期：2020-05-06\n"
    "研究纳入30名患者，4月30日公布的数据显示，神经干细胞移植后3个月评分改善20%。\n"
    "更新日期：2020-06-01\nCopyright © 2020 某网 版权所有\n"
)


@pytest.mark.parametrize("text", both_scripts(_PASTE))
def test_a_paste_gives_its_byline_date_author_and_update(text: str) -> None:
    record = extract_text(text)
    page = record.page
    assert page is not None
    assert (page.date_published, page.date_source, page.date_modified) == ("2020-05-06", "byline", "2020-06-01")
    assert page.author in ("王小明", "王小明")
    assert page.title == record.title and page.title in ("干细胞研究新进展", "幹細胞研究新進展")
    year_less = next(d for d in record.dates if d.text == "4月30日")
    assert (year_less.value, year_less.underspecified, year_less.reference_date) == ("2020-04-30", True, "2020-05-06")


@pytest.mark.parametrize(
    "address", ["https://news.example.cn/2023/1117/a.html", "https://news.example.cn/2023-11-17/a"]
)
def test_a_year_less_date_takes_its_year_from_the_page_address(address: str) -> None:
    for text in both_scripts(f"干细胞研究新进展\n网址：{address}\n该研究于4月30日公布，今年共纳入30名患者。\n"):
        record = extract_text(text)
        assert record.page is not None
        assert (record.page.date_source, record.page.canonical_url) == ("url", address)
        assert [(d.value, d.reference_date) for d in record.dates] == [
            ("2023-04-30", "2023-11-17"),
            ("2023", "2023-11-17"),
        ]


def test_a_link_cited_in_the_body_is_not_the_page_address() -> None:
    text = (
        "干细胞研究新进展\n研究团队在论文中报告了神经干细胞移植后3个月的评分变化，全文见下方链接，数据已公开。\n"
        "https://journal.example.org/2019/0102/paper.html\n该研究于4月30日公布。\n"
    )
    record = extract_text(text)
    assert record.page is None or record.page.canonical_url is None
    assert record.date_published is None
    assert not any(d.value and d.value.startswith("2019") for d in record.dates)


def test_the_page_meta_date_wins_over_a_body_date_and_relative_dates_follow_it() -> None:
    page = (
        '<html lang="zh-CN"><head><meta property="article:published_time" content="2023-11-17T08:00:00+08:00">'
        '<meta property="og:site_name" content="某健康网"></head><body><h1>干细胞研究新进展</h1>'
        "<p>2021-01-05</p><p>研究团队上月公布结果：今年共纳入30名患者，神经干细胞移植后3个月评分改善20%。</p>"
        '<div class="copyright">© 2019 某健康网</div></body></html>'
    )
    record = extract_text(page, kind="html")
    assert record.date_published == "2023-11-17"
    assert record.page is not None
    assert (record.page.date_source, record.page.site_name, record.page.language) == ("meta", "某健康网", "zh-CN")
    assert [d.value for d in record.dates if d.text in ("上月", "今年")] == ["2023-10", "2023"]


def test_a_footer_year_alone_gives_no_publication_date() -> None:
    record = extract_text("干细胞研究新进展\n研究纳入30名患者。\nCopyright © 2019 某网 版权所有\n")
    assert record.date_published is None
    assert record.page is None or record.page.date_source is None


def test_a_caller_date_is_named_as_such() -> None:
    record = extract_text("干细胞研究新进展\n研究纳入30名患者。\n", published="2024-02-03")
    assert record.page is not None and (record.page.date_published, record.page.date_source) == ("2024-02-03", "caller")


def test_json_ld_that_contradicts_the_visible_page_does_not_win() -> None:
    # JSON-LD naming the site as headline and author (trafilatura #23, #92); a date at 00:30 +08:00
    # keeps its local day (no shift to UTC, no invented time)
    page = (
        '<html><head><title>某健康网</title><script type="application/ld+json">{"@type": "WebPage", '
        '"headline": "某健康网首页", "author": {"name": "某健康网"}, "datePublished": "2023-11-17T00:30:00+08:00"}'
        "</script></head><body><h1>干细胞研究新进展</h1><p>研究纳入30名患者，神经干细胞移植后3个月评分改善20%。</p>"
        "</body></html>"
    )
    record = extract_text(page, kind="html")
    assert record.title == "干细胞研究新进展"
    assert record.page is not None
    assert (record.page.date_published, record.page.date_source, record.page.author) == ("2023-11-17", "json-ld", None)


@pytest.mark.parametrize("byline", ["作者：本报记者", "作者：某健康网", "文/编辑部"])
def test_a_staff_or_site_byline_names_no_author(byline: str) -> None:
    for text in both_scripts(f"干细胞研究新进展\n{byline} 发布日期：2020-05-06\n研究纳入30名患者。\n"):
        page = extract_text(text).page
        assert page is not None and page.author is None
