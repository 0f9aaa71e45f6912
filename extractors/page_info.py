"""The record's `page`: what the page says about itself. An HTML page's metadata (extractors/page_meta.py)
where it has it; what a text paste prints above its body otherwise (a 作者 line, an 更新日期 line, its own
address). Where the publication date came from is named, never guessed: the caller, a meta tag, JSON-LD,
a <time> element, other markup (htmldate), the page's address, a byline under the title, or the opening
of the first paragraph (a press release's "2024年3月8日，上海——")."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from stemwire.extractors.date_context import opens_body, page_address, roc_context, url_date
from stemwire.extractors.layout import Layout
from stemwire.extractors.page_meta import PageMeta
from stemwire.extractors.resources import load_json
from stemwire.extractors.script import to_analysis_text
from stemwire.schemas.models import DateFact, PageInfo


@lru_cache(maxsize=1)
def _fields() -> dict[str, re.Pattern[str]]:
    data: dict[str, Any] = load_json("page_fields.json")
    return {key: re.compile(data[key], re.I | re.M) for key in ("author", "modified", "not_author")}


def _author(original: str, text: str, layout: Layout) -> str | None:
    """The author a metadata line above the body names, as the original writes the name."""
    for line in layout.lines:
        if opens_body(text, line):
            break
        m = _fields()["author"].search(text, line.start, line.end)
        if m is not None and not _fields()["not_author"].match(m.group("name").strip()):
            return original[m.start("name") : m.end("name")].strip()
    return None


def _named(author: str | None, meta: PageMeta | None) -> str | None:
    """A page's declared author, unless it is the site itself or a staff byline."""
    if not author or (meta is not None and author == meta.site_name):
        return None
    return None if _fields()["not_author"].match(to_analysis_text(author).text) else author


def _modified(text: str, roc: bool) -> dt.date | None:
    """A date the page marks as its last update (更新日期：2021-03-04; 更新日期：103-05-02 in an ROC context)."""
    for m in _fields()["modified"].finditer(text):
        year = int(m.group("y"))
        if year < 1900:
            if not roc:
                continue
            year += 1911
        try:
            return dt.date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
    return None


def _source(published: str, caller: bool, meta: PageMeta | None, dates: list[DateFact], address: str | None) -> str:
    if caller:
        return "caller"
    if meta is not None and meta.published == published and meta.date_source:
        return meta.date_source
    if any(d.role == "dateline" and d.value == published for d in dates):
        return "byline"
    if (found := url_date(address)) is not None and found.isoformat() == published:
        return "url"
    return "body"


def page_info(
    meta: PageMeta | None,
    title: str | None,
    published: str | None,
    caller: bool,
    dates: list[DateFact],
    original: str,
    text: str,
    layout: Layout,
) -> PageInfo | None:
    """The page's metadata for the record; None where nothing is known. `text` is the analysis text,
    `published` the record's date_published, `caller` whether the caller gave it."""
    address = page_address(text, layout)
    modified = meta.modified if meta and meta.modified else None
    if modified is None:
        furniture = "\n".join(text[ln.start : ln.end] for ln in layout.lines if ln.kind not in ("body", "blank"))
        found = _modified(furniture, roc_context(original, text, layout))
        modified = found.isoformat() if found else None
    info = PageInfo(
        title=title,
        date_published=published,
        date_modified=modified if modified != published else None,
        date_source=_source(published, caller, meta, dates, address) if published else None,  # type: ignore[arg-type]
        site_name=meta.site_name if meta else None,
        author=_named(meta.author if meta else None, meta) or _author(original, text, layout),
        canonical_url=(meta.canonical_url if meta and meta.canonical_url else None) or address,
        language=meta.language if meta else None,
    )
    return info if any(v is not None for v in info.model_dump().values()) else None
