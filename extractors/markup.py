"""Text of HTML and Markdown articles, with block elements as lines so that layout analysis sees
titles, paragraphs, headings and list items as it does in a plain-text article."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

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
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "head")


def html_to_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_DROP):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in soup.get_text().split("\n")]
    text = "\n\n".join(line for line in lines if line)
    # A page whose body has no heading of its own is titled by <title>.
    if title and not soup.find(["h1", "h2"]):
        text = f"{title}\n\n{text}"
    return text + "\n"


def markdown_to_text(markdown: str) -> str:
    return html_to_text(MarkdownIt("commonmark").render(markdown))
