"""Text of HTML and Markdown articles, with block elements as lines so that layout analysis sees
titles, paragraphs, headings and list items as it does in a plain-text article.

HTML pages lose their chrome before the text is taken: navigation, headers without the headline,
footers, asides, forms, and elements whose class or id names a breadcrumb, share bar, related block,
comment list, sidebar or ad slot. A two-cell table row becomes one `label: value` line (a registry
record reposted as a table keeps its rows); a data table of three or more columns becomes a pipe
table (| 组别 | 有效率 | 12个月有效率 |, header row and |---| rule first), as a Markdown article writes
one, so its figures keep their column header and row label (extractors/html_tables.py: spans,
header rows, captions, label/value pairs). A table used for page layout, or holding another table,
is walked as any other block, cell by cell, its chrome dropped. trafilatura's fallback text already
writes tables as pipe rows.
The headline (the heading the <title> or og:title names, else og:title, else the longest part of
<title>) is the first line; the page's publication date from its metadata (extractors/page_meta.py)
is the second when the visible text does not print it.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag
from markdown_it import MarkdownIt

from stemwire.extractors.html_tables import pipe_table
from stemwire.extractors.page_libraries import han_count, library_meta, main_text
from stemwire.extractors.page_meta import PageMeta, merge_library_meta, read_page_meta, title_segments

_BLOCKS = [
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
]
_BLOCK_SET = frozenset(_BLOCKS)
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head")
_CHROME_TAGS = ("nav", "footer", "aside", "form", "button", "select")
# class/id words of page furniture (matched as whole hyphen/underscore-separated words)
_CHROME_NAMES = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|share|sharing|social|related|recommend|"
    r"recommendation|footer|comments?|sidebar|advert|ads?|adslot|skip|skip-link|accesskey|toolbar|copyright|"
    r"top-links|toplinks|path|pager|pagination|print|tags|login)(?:$|[-_ ])",
    re.I,
)
_READING = re.compile(r"[(（][a-zü\u00e0-\u01dc]{1,6}[)）]")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Below this many Han characters our walk has taken (nearly) the whole page for chrome, e.g. an article
# inside <div class="print-area">: trafilatura's main text is asked for instead.
_MIN_BODY_HAN = 40


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]")
_LINK_ITEM_NODES = 24  # an item of a headline-link list is small: a link, a date, a count
_LINK_ITEM_EXTRA = 12  # characters an item may carry outside its link (a date, a view count)


def _headline_link_item(li: Tag) -> bool:
    """A list item that is one headline link (its own date at most beside it): a teaser."""
    for nodes, _ in enumerate(li.descendants, 1):
        if nodes > _LINK_ITEM_NODES:
            return False
    links = li.find_all("a")
    if len(links) != 1:
        return False
    anchor = links[0].get_text(" ", strip=True)
    rest = li.get_text(" ", strip=True).replace(anchor, "", 1).strip()
    return len(_HAN_RUN.findall(anchor)) >= 6 and len(rest) <= _LINK_ITEM_EXTRA and not re.search("[。；！？]", rest)


def _is_link_list(tag: Tag) -> bool:
    """A list of three or more headline links and nothing else, with no class name to say so (a
    sidebar, a 'more news' block): link-dense, as trafilatura and jusText judge boilerplate. Each
    item is looked at only up to a few nodes, so the walk stays linear."""
    items = [c for c in tag.children if isinstance(c, Tag)]
    return len(items) >= 3 and all(c.name == "li" and _headline_link_item(c) for c in items)


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS:
        return True
    if tag.name in ("ul", "ol") and _is_link_list(tag):
        return True
    if tag.name == "header":
        return tag.find(["h1", "article"]) is None
    names = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")])
    return bool(names.strip()) and bool(_CHROME_NAMES.search(names))


def _cells(tr: Tag) -> list[Tag] | None:
    cells = [c for c in tr.children if isinstance(c, Tag) and c.name in ("th", "td")]
    return cells if len(cells) == 2 else None


def _page_text(root: Tag, skip: Tag | None) -> tuple[str, int]:
    """The text of the page in one walk (linear in its size): block elements as lines, chrome and
    `skip` (the headline, written first) left out, a two-cell table row as one `label: value` line, a
    wider data table as pipe-table lines (html_tables.py). Also the deepest nesting walked
    (lxml-based readers truncate deep pages, ours does not)."""
    out: list[str] = []
    stack: list[tuple[PageElement | str, int]] = [(root, 0)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            out.append(node)  # a line break queued after a block
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                out.append(str(node))
            continue
        if not isinstance(node, Tag) or node is skip or node.name in _DROP:
            continue
        if node is not root and node.name not in ("html", "body", "main", "article") and _is_chrome(node):
            continue
        deepest = max(deepest, depth)
        if node.name == "br":
            out.append("\n")
            continue
        block = node.name in _BLOCK_SET
        if node.name == "table" and (table := pipe_table(node, _is_chrome)) is not None:
            out.append(table[0])
            deepest = max(deepest, depth + table[1])
            continue
        if node.name == "tr" and (cells := _cells(node)) is not None:
            label, value = (c.get_text(" ", strip=True) for c in cells)
            out.append(f"\n{label}: {value}\n")
            continue
        if block:
            out.append("\n")
            stack.append(("\n", depth))
        stack.extend((child, depth + 1) for child in reversed(list(node.children)))
    return "".join(out), deepest


def _headline(soup: BeautifulSoup, meta: PageMeta, page_title: str) -> tuple[str | None, Tag | None]:
    """The headline and the heading element that prints it (None when no heading does)."""
    wanted = [_READING.sub("", t) for t in (meta.title, page_title, meta.library_title) if t]
    for tag in soup.find_all(_HEADINGS):
        text = tag.get_text(" ", strip=True)
        bare = _READING.sub("", text)  # a heading with inserted readings still names the same headline
        if text and any(bare == w or (len(bare) >= 6 and bare in w) for w in wanted):
            return text, tag
    if meta.title:
        return meta.title, None
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and h1.get_text(strip=True):
        return h1.get_text(" ", strip=True), h1
    segments = title_segments(page_title)
    return (segments[0] if segments else None), None


def _lines(text: str, drop: str | None = None) -> str:
    """Non-empty lines as paragraphs, but the rows of a pipe table kept on consecutive lines."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    kept = [line for line in lines if line and line != drop]
    out: list[str] = []
    for i, line in enumerate(kept):
        if i:
            out.append("\n" if _is_pipe_row(kept[i - 1]) and _is_pipe_row(line) else "\n\n")
        out.append(line)
    return "".join(out)


def _is_pipe_row(line: str) -> bool:
    return len(line) >= 2 and line[0] == "|" and line[-1] == "|"


def html_page(html: str, libraries: bool = True) -> tuple[str, PageMeta]:
    """The page's text (chrome dropped, headline first) and its metadata; `libraries`: also ask
    trafilatura and htmldate (extractors/page_libraries.py) for what our own readers miss."""
    soup = BeautifulSoup(html, "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    meta = read_page_meta(soup)
    if libraries:
        meta = merge_library_meta(meta, library_meta(html))
    headline, heading = _headline(soup, meta, page_title)
    text, deepest = _page_text(soup, heading)
    body = _lines(text)
    if libraries and han_count(body) < _MIN_BODY_HAN:
        theirs = main_text(html, deepest)
        if theirs and han_count(theirs) > 2 * max(han_count(body), _MIN_BODY_HAN // 2):
            body = _lines(theirs, drop=headline)
    head = [headline] if headline else []
    if meta.published and meta.published not in body:
        head.append(f"发布日期：{meta.published}")
    return "\n\n".join([*head, body]) + "\n", meta


def html_to_text(html: str) -> str:
    return html_page(html)[0]


def markdown_to_text(markdown: str) -> str:
    # rendered Markdown has no page metadata and no chrome of a site: our own walk is all it needs
    return html_page(MarkdownIt("commonmark").render(markdown), libraries=False)[0]
