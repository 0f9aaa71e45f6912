"""What an article's context says about its dates: whether its short years are Minguo (ROC) years, and
the date in the page's own address when a paste prints it above the body."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import numpy as np

from stemwire.extractors.layout import SENTENCE_END, Layout, Line
from stemwire.extractors.resources import load_json


def is_traditional(original: str, text: str) -> bool:
    """The article is written in Traditional script (its two-digit years may be Minguo years): at or
    above U+4E00, characters the analysis text changed (counted in numpy: a per-character Python
    loop, run twice per article, cost ~0.8 ms)."""
    if len(original) != len(text):
        raise ValueError("the analysis text must keep the original's length")
    before, after = (np.frombuffer(t.encode("utf-32-le"), np.uint32) for t in (original, text))
    changed = int(np.count_nonzero((before != after) & (before >= 0x4E00)))
    return changed >= 3 or (changed >= 1 and len(text) < 200)


def roc_context(original: str, text: str, layout: Layout) -> bool:
    """Whether the article's two- and three-digit years are Minguo years: Traditional script with an
    ROC cue (the era, a Taiwan government body, an ROC-year heading; data/roc_context.json)."""
    data = _roc_data()
    if data["traditional_required"] and not is_traditional(original, text):
        return False
    return bool(re.search(data["cues"], text)) or any(line.reason == "roc_year" for line in layout.lines)


@lru_cache(maxsize=1)
def _roc_data() -> dict[str, Any]:
    return load_json("roc_context.json")


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})(?:/|[-_.]?\d*\.s?html?\b)")


_BODY_LINE = 48  # a body line this long (or a sentence) means the article has begun


def opens_body(text: str, line: Line) -> bool:
    """Whether the article has begun at this line: page metadata (address, author) stands above it."""
    if line.kind != "body":
        return False
    return line.end - line.start > _BODY_LINE or any(ch in SENTENCE_END for ch in text[line.start : line.end])


def page_address(text: str, layout: Layout) -> str | None:
    """The page's own address, where a paste prints it alone on a line above the body (网址：https://…)."""
    rx = re.compile(load_json("page_fields.json")["page_url"])
    for line in layout.lines:
        if opens_body(text, line):
            return None  # the body has begun: a link now is one the article cites
        if (m := rx.match(text, line.start, line.end)) is not None:
            return m.group("url")
    return None


def url_date(url: str | None) -> dt.date | None:
    """The date a page's address names (/2023/1117/, /2023-11-17/, /20231117.html)."""
    if (d := _URL_DATE.search(url or "")) is None:
        return None
    try:
        return dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
    except ValueError:
        return None
