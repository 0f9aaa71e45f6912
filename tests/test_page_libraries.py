"""HTML pages through trafilatura and htmldate: metadata our own reader misses, the main text when our
chrome rules leave nothing, and pages lxml cannot hold (deep nesting) still read in full by our walk."""

from __future__ import annotations

import json
import subprocess
import sys

from stemwire import extract_text
from stemwire.extractors.markup import html_page


def _page(head: str, body: str) -> str:
    return f'<html lang="zh-CN"><head>{head}</head><body>{body}</body></html>'


_BODY = "<h1>干细胞研究新进展</h1><p>研究纳入30名患者，神经干细胞移植后3个月评分改善20%。</p>"


def test_a_slashed_meta_date_is_read_by_htmldate() -> None:
    page = _page('<meta name="PubDate" content="2023/11/17 08:00"><title>干细胞研究新进展_某网</title>', _BODY)
    _, meta = html_page(page)
    assert (meta.published, meta.date_source) == ("2023-11-17", "markup")
    record = extract_text(page, kind="html")
    assert record.date_published == "2023-11-17"


def test_a_footer_copyright_year_is_no_publication_date() -> None:
    page = _page("<title>干细胞研究新进展</title>", _BODY + '<div class="foot">© 2019 某网 版权所有</div>')
    _, meta = html_page(page)
    assert meta.published is None
    assert extract_text(page, kind="html").date_published is None


def test_published_and_modified_stay_apart() -> None:
    head = (
        '<meta property="article:published_time" content="2023-11-17T08:00:00+08:00">'
        '<meta property="article:modified_time" content="2024-01-02T10:00:00+08:00">'
    )
    _, meta = html_page(_page(head, _BODY))
    assert (meta.published, meta.modified, meta.date_source) == ("2023-11-17", "2024-01-02", "meta")


def test_article_inside_a_chrome_named_wrapper_comes_from_trafilatura() -> None:
    # "print" names a print button as well as a print-friendly article wrapper: our walk drops the
    # wrapper and with it the article; trafilatura's main text brings it back
    page = _page(
        "<title>药厂网</title>",
        '<div class="print-area"><h2>研究简讯</h2><p>一项研究纳入30名膝骨关节炎患者，注射间充质干细胞后6个月'
        "疼痛评分下降了35%，研究团队认为这一结果值得进一步验证。</p></div>",
    )
    record = extract_text(page, kind="html")
    assert [c.name for c in record.cell_types] == ["mesenchymal stem cell"]
    assert [m.value for m in record.metrics] == [35]
    for span in record.mentions:
        assert record.text[span.start : span.end] == span.text


def test_a_page_of_chrome_only_gives_no_facts_and_no_error() -> None:
    page = _page(
        "<title>某网</title>", "<nav>首页 新闻 联系我们</nav><p>首页 &gt; 新闻</p><footer>© 2020 某网</footer>"
    )
    record = extract_text(page, kind="html")
    assert record.cell_types == [] and record.metrics == [] and record.dates == []


_DEEP = """
import json, sys
from stemwire import extract_text
n = 100_000
page = ("<html><head><title>深层页面</title></head><body>" + "<div>" * n
        + "<p>研究纳入30名患者，神经干细胞移植后3个月评分改善20%。</p>" + "</div>" * n + "</body></html>")
assert len(page.encode()) > 1_000_000
record = extract_text(page, kind="html")
print(json.dumps([[c.name for c in record.cell_types], [m.value for m in record.metrics]]))
"""


def test_a_page_of_100000_nested_divs_keeps_its_article() -> None:
    # lxml stops at a depth of a few hundred levels, so trafilatura would see nothing of this article:
    # our walk (no depth limit, linear) reads it. The bound is far above linear cost (seconds) and far
    # below what a quadratic walk took (387 s); it is a guard, not a benchmark.
    done = subprocess.run([sys.executable, "-c", _DEEP], capture_output=True, text=True, timeout=150, check=True)
    assert json.loads(done.stdout) == [["neural stem cell"], [20]]


_ARTICLE = (
    "<h1>干细胞研究新进展</h1><p>研究纳入30名患者，神经干细胞移植后3个月评分改善20%，研究者认为这一疗法值得"
    "在更大规模的试验中验证。</p>"
)


def test_a_list_of_headline_links_without_a_class_is_not_the_article() -> None:
    side = (
        '<ul><li><a href="/1">脐带间充质干细胞治疗肝硬化有效率达81%</a> 2023-10-08</li>'
        '<li><a href="/2">造血干细胞移植治疗白血病新方案</a></li>'
        '<li><a href="/3">诱导多能干细胞来源心肌细胞首次用于患者</a><span>1.2万</span></li></ul>'
    )
    record = extract_text(_page("", _ARTICLE + side), kind="html")
    assert [c.name for c in record.cell_types] == ["neural stem cell"]
    assert [m.value for m in record.metrics] == [20]
    assert record.dates == []


def test_reference_and_body_lists_with_links_stay() -> None:
    lists = (
        '<ul><li><a href="/h">某医院</a>对30名患者进行了间充质干细胞移植。</li><li><a href="/u">某大学</a>负责随访。</li>'
        '<li><a href="/c">某公司</a>提供细胞制剂。</li></ul>'
        "<h2>参考文献</h2><ol><li>Wang X, et al. Stem cell trial. "
        '<a href="https://doi.org/10.1000/a.1">doi:10.1000/a.1</a></li>'
        '<li>Li Y, et al. Another trial. <a href="https://doi.org/10.1000/b.2">doi:10.1000/b.2</a></li>'
        '<li><a href="https://pubmed.ncbi.nlm.nih.gov/31234567/">https://pubmed.ncbi.nlm.nih.gov/31234567/</a></li></ol>'
    )
    record = extract_text(_page("", _ARTICLE + lists), kind="html")
    assert [(r.doi, r.pmid) for r in record.references] == [
        ("10.1000/a.1", None),
        ("10.1000/b.2", None),
        (None, "31234567"),
    ]
    assert "mesenchymal stem cell" in [c.name for c in record.cell_types]


def test_a_body_date_is_never_the_page_date_from_htmldate() -> None:
    page = _page("<title>干细胞研究新进展</title>", "<p>本研究于2023-10-08完成，研究纳入30名患者。</p>")
    _, meta = html_page(page)
    assert meta.published is None
    assert extract_text(page, kind="html").date_published is None
