"""Tables of three or more columns in HTML pages and Markdown articles are read as pipe tables, so a
figure in a cell keeps its column's measure and time and its row's group (extractors/markup.py,
extractors/table_columns.py). The pages are our own words."""

from __future__ import annotations

from pathlib import Path

from stemwire import extract_file
from stemwire.extractors.markup import html_to_text, markdown_to_text

_HEAD = "<html><head><title>干细胞治疗试验结果公布</title></head><body><h1>干细胞治疗试验结果公布</h1>"
_INTRO = (
    "<p>2025年4月8日，研究团队公布了一项间充质干细胞治疗膝骨关节炎的2期随机对照试验的结果，"
    "共纳入60名患者，对照组接受安慰剂注射。</p>"
)


def _page(tmp_path: Path, table: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(_HEAD + _INTRO + table + "</body></html>", encoding="utf-8")
    return path


def _figures(path: Path) -> dict[float, tuple]:
    return {m.value: (m.measure, m.arm, m.time_point) for m in extract_file(path).metrics}


RESULTS = (
    "<table><thead><tr><th>组别</th><th>6个月有效率</th><th>12个月有效率</th></tr></thead>"
    "<tbody><tr><td>干细胞组</td><td>71%</td><td>78%</td></tr>"
    "<tr><td>安慰剂组</td><td>34%</td><td>29%</td></tr></tbody></table>"
)


def test_a_figure_in_a_wide_table_keeps_its_header_and_row(tmp_path: Path) -> None:
    figures = _figures(_page(tmp_path, RESULTS))
    assert figures[78.0] == ("response rate", "intervention", "P12M")
    assert figures[34.0] == ("response rate", "control", "P6M")
    assert figures[29.0] == ("response rate", "control", "P12M")


def test_headers_that_name_nothing_give_no_attribute(tmp_path: Path) -> None:
    table = "<table><tr><th>编号</th><th>甲</th><th>乙</th></tr><tr><td>一</td><td>41%</td><td>52%</td></tr></table>"
    figures = _figures(_page(tmp_path, table))
    assert set(figures) == {41.0, 52.0}
    assert all(measure is None and arm is None and time is None for measure, arm, time in figures.values())


def test_a_spanning_cell_keeps_the_columns_aligned_and_a_bar_in_a_cell_splits_nothing() -> None:
    table = (
        "<table><tr><th>组别</th><th colspan='2'>有效率 | 随访</th></tr>"
        "<tr><td>治疗组</td><td>63%</td><td>70%</td></tr><tr><td>对照组</td><td>40%</td></tr></table>"
    )
    lines = html_to_text(_HEAD + table + "</body></html>").splitlines()
    rows = [line for line in lines if line.startswith("|")]
    assert rows == [
        "| 组别 | 有效率 ｜ 随访 | 有效率 ｜ 随访 |",
        "|---|---|---|",
        "| 治疗组 | 63% | 70% |",
        "| 对照组 | 40% | |",
    ]


def test_a_two_column_table_stays_label_value_lines() -> None:
    table = "<table><tr><td>注册号</td><td>NCT01234567</td></tr><tr><td>分期</td><td>2期</td></tr></table>"
    text = html_to_text(_HEAD + table + "</body></html>")
    assert "注册号: NCT01234567\n\n分期: 2期" in text and "|" not in text


def test_a_table_holding_a_table_is_read_as_before(tmp_path: Path) -> None:
    inner = "<table><tr><td>甲</td><td>乙</td><td>丙</td></tr></table>"
    outer = f"<table><tr><td>外层</td><td>{inner}</td><td>说明</td></tr></table>"
    text = html_to_text(_HEAD + outer + "</body></html>")
    assert "外层" in text and "丙" in text
    assert extract_file(_page(tmp_path, outer)).title == "干细胞治疗试验结果公布"


def test_a_markdown_pipe_table_keeps_its_rows_together(tmp_path: Path) -> None:
    article = (
        "# 干细胞治疗试验结果公布\n\n"
        "2025年4月8日，研究团队公布了一项间充质干细胞治疗膝骨关节炎的2期随机对照试验的结果，对照组接受安慰剂注射。\n\n"
        "| 组别 | 6个月有效率 | 12个月有效率 |\n|---|---|---|\n| 干细胞组 | 71% | 78% |\n| 安慰剂组 | 34% | 29% |\n"
    )
    assert "|---|---|---|\n| 干细胞组 | 71% | 78% |" in markdown_to_text(article)
    path = tmp_path / "article.md"
    path.write_text(article, encoding="utf-8")
    assert _figures(path)[29.0] == ("response rate", "control", "P12M")


def _rows(table: str) -> list[str]:
    return [line for line in html_to_text(_HEAD + table + "</body></html>").splitlines() if line.startswith("|")]


def test_a_cell_spanning_rows_is_repeated_down_them(tmp_path: Path) -> None:
    table = (
        "<table><tr><th>组别</th><th>随访</th><th>12个月有效率</th></tr>"
        "<tr><td rowspan='2'>细胞治疗组</td><td>门诊</td><td>66%</td></tr><tr><td>电话</td><td>61%</td></tr>"
        "<tr><td>安慰剂组</td><td>门诊</td><td>30%</td></tr></table>"
    )
    assert _rows(table)[3] == "| 细胞治疗组 | 电话 | 61% |"
    assert _figures(_page(tmp_path, table))[61.0] == ("response rate", "intervention", "P12M")


def test_header_rows_are_merged_into_one(tmp_path: Path) -> None:
    table = (
        "<table><thead><tr><th rowspan='2'>组别</th><th colspan='2'>有效率</th></tr>"
        "<tr><th>6个月</th><th>12个月</th></tr></thead>"
        "<tbody><tr><td>干细胞组</td><td>58%</td><td>69%</td></tr><tr><td>安慰剂组</td><td>22%</td><td>25%</td></tr>"
        "</tbody></table>"
    )
    assert _rows(table)[0] == "| 组别 | 有效率 6个月 | 有效率 12个月 |"
    figures = _figures(_page(tmp_path, table))
    assert figures[69.0] == ("response rate", "intervention", "P12M")
    assert figures[22.0] == ("response rate", "control", "P6M")


def test_a_caption_keeps_its_words() -> None:
    table = (
        "<table><caption>表2 各组随访结果</caption><tr><th>组别</th><th>有效率</th><th>复发率</th></tr>"
        "<tr><td>干细胞组</td><td>70%</td><td>8%</td></tr></table>"
    )
    text = html_to_text(_HEAD + table + "</body></html>")
    assert "表2 各组随访结果\n\n| 组别 | 有效率 | 复发率 |" in text


def test_a_layout_table_is_walked_with_its_chrome_dropped() -> None:
    page = (
        _HEAD + "<table><tr><td><ul><li><a href='/'>首页</a></li><li><a href='/n'>新闻</a></li></ul></td>"
        "<td><p>研究团队于2025年4月8日公布了试验结果。</p><p>治疗组的有效率为71%。</p>"
        "<div class='share-bar'>分享到微信</div></td><td>广告位</td></tr></table></body></html>"
    )
    text = html_to_text(page)
    assert "|" not in text and "分享到微信" not in text
    assert "研究团队于2025年4月8日公布了试验结果。\n\n治疗组的有效率为71%。" in text


def test_rows_of_label_value_pairs_become_label_value_lines() -> None:
    table = (
        "<table><tr><td>注册号：</td><td>ChiCTR2500012345</td><td>研究分期：</td><td>2期</td></tr>"
        "<tr><td>样本量：</td><td>80</td></tr></table>"
    )
    text = html_to_text(_HEAD + table + "</body></html>")
    assert "注册号: ChiCTR2500012345\n\n研究分期: 2期\n\n样本量: 80" in text and "|" not in text


def test_script_and_line_breaks_in_a_cell() -> None:
    table = (
        "<table><tr><th>组别</th><th>有效率<br>（12个月）</th><th>备注</th></tr>"
        "<tr><td>干细胞组</td><td>7<span>1</span>%<script>var x = 1;</script></td><td>无</td></tr></table>"
    )
    assert _rows(table) == ["| 组别 | 有效率 （12个月） | 备注 |", "|---|---|---|", "| 干细胞组 | 71% | 无 |"]


def test_tables_nested_deeply_are_read_without_error() -> None:
    depth = 300
    page = _HEAD + "<table><tr><td>甲</td><td>乙</td><td>" * depth + "71%" + "</td></tr></table>" * depth
    text = html_to_text(page + "</body></html>")
    assert "| 甲 | 乙 | 71% |" in text  # the innermost table alone is a data table
