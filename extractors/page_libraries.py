"""What trafilatura and htmldate read from an HTML page: metadata our own reader misses, and the main
text when our chrome rules leave almost nothing of the page.

Both parse with lxml, which stops building the tree at a nesting depth of a few hundred elements (a page
of 100,000 nested <div>s keeps only its first levels): what they return then is incomplete, so the page's
text always comes from our own walk (extractors/markup.py, no depth limit) and theirs is used only when
ours is nearly empty and theirs is not truncated.

htmldate reads the page's <head> only, without its extensive search: in the body it takes a footer's
copyright year (htmldate #124) or any ISO date of the text for the publication date; the head's meta
tags in any date format and under any of the names it knows are what we ask it for.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import htmldate
from lxml import html as lxml_html
from trafilatura import extract
from trafilatura.metadata import extract_metadata

_LOG = logging.getLogger(__name__)
# htmldate refuses dates after max_date, by default the day it runs: fixed, so a record does not depend
# on when it was made.
_DATE_RANGE = {"min_date": "1990-01-01", "max_date": "2100-12-31"}
# trafilatura's metadata reader walks the whole tree several times (about 0.6 s per MB); what it reads
# (head, headline, byline) stands at the top of a page, so it gets the page's first part only.
_META_WINDOW = 150_000
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
_HOSTNAME = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class LibraryMeta:
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    author: str | None = None
    url: str | None = None


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def _tree(html: str) -> lxml_html.HtmlElement | None:
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError) as exc:  # empty or unparsable markup
        _LOG.debug("lxml cannot parse the page: %s", exc)
        return None
    return tree


def _head_only(html: str) -> str | None:
    """The page's <head> as a document of its own: htmldate, even without its extensive search, falls
    back to any ISO date in the body text (本研究于2023-10-08完成 became the publication date)."""
    end = _HEAD_END.search(html)
    return html[: end.start()] + "</head><body></body></html>" if end else None


def _date(head: str, original: bool) -> str | None:
    try:
        found = htmldate.find_date(head, extensive_search=False, original_date=original, **_DATE_RANGE)  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        _LOG.debug("htmldate failed: %s", exc)
        return None
    return str(found) if found else None


def library_meta(html: str) -> LibraryMeta:
    """The page's metadata as trafilatura and htmldate read it (fields they do not find are None)."""
    tree = _tree(html[:_META_WINDOW])
    if tree is None:
        return LibraryMeta()
    # trafilatura's own date (htmldate over the whole tree) is not used: see _head_only
    doc = extract_metadata(tree, date_config={"extensive_search": False, "original_date": True, **_DATE_RANGE})
    head = _head_only(html[:_META_WINDOW])
    published = _date(head, original=True) if head else None
    latest = _date(head, original=False) if head else None
    site = doc.sitename if doc.sitename and not _HOSTNAME.match(doc.sitename) else None  # a hostname is no name
    return LibraryMeta(
        title=doc.title or None,
        published=published,
        modified=latest if latest and latest != published else None,
        site_name=site,
        author=doc.author or None,
        url=doc.url or None,
    )


def main_text(html: str, depth_reached: int) -> str | None:
    """trafilatura's main text of the page (tables kept), or None where lxml would truncate the page."""
    if depth_reached >= _LXML_SAFE_DEPTH:
        return None
    try:
        text = extract(html, include_tables=True, include_comments=False, deduplicate=False)
    except (ValueError, TypeError) as exc:
        _LOG.debug("trafilatura failed: %s", exc)
        return None
    return text or None


# libxml2 builds at most 256 levels of an HTML tree (more with its "huge" option, still far from 100,000).
_LXML_SAFE_DEPTH = 250
