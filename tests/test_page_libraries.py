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
