"""Page metadata of an HTML page: title, publication and modification dates, site name, author,
canonical URL and language, from meta tags, JSON-LD, <time> elements and the URL.

Read before the page's chrome is dropped; extractors/markup.py writes the title and, when the visible
text does not print it, the publication date as the first lines of the text, where layout finds them
(title, dateline). `PageMeta.date_source` says where the date came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag

from stemwire.extractors.page_libraries import LibraryMeta

_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})/")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜–—]|\s-\s)\s*")
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "citation_publication_date",
    "citation_date",
    "date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    published: str | None = None  # ISO date
    modified: str | None = None
    date_source: str | None = None  # "meta", "json-ld", "time", "url", "markup" (htmldate)
    site_name: str | None = None
    author: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    library_title: str | None = None  # trafilatura's title (h1 or <title> without its site suffix)
    impossible_date: bool = False  # the page states a date no calendar has: nothing else may stand in


def _iso(value: str | None) -> str | None:
    m = _ISO_DATE.search(value or "")
    return _calendar_date(m.group(1), m.group(2), m.group(3)) if m else None


def _calendar_date(year: str, month: str, day: str) -> str | None:
    """The ISO date, or None where no calendar has it (a page may say 2022-02-30)."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for tag in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(tag.get_text())
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return items


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def read_page_meta(soup: BeautifulSoup) -> PageMeta:
    metas = _metas(soup)
    ld = _json_ld(soup)
    candidates: list[tuple[str | None, str]] = [(_iso(metas.get(k)), "meta") for k in _PUBLISHED_META]
    candidates += [(_iso(str(item.get("datePublished") or "")), "json-ld") for item in ld]
    time_tag = soup.find("time")
    if isinstance(time_tag, Tag):
        candidates.append((_iso(str(time_tag.get("datetime") or "")), "time"))
    canonical = soup.find("link", rel="canonical")
    url = str(canonical.get("href") or "") if isinstance(canonical, Tag) else metas.get("og:url", "")
    if m := _URL_DATE.search(url):
        candidates.append((_calendar_date(m.group(1), m.group(2), m.group(3)), "url"))
    published, source = next(((d, s) for d, s in candidates if d), (None, None))
    stated = [metas.get(k) for k in _PUBLISHED_META] + [str(i.get("datePublished") or "") for i in ld] + [url]
    impossible = published is None and any(_ISO_DATE.search(v or "") for v in stated)
    modified = _first(
        [_iso(metas.get(k)) for k in _MODIFIED_META] + [_iso(str(i.get("dateModified") or "")) for i in ld]
    )
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    ld_title = _first([str(i.get("headline") or "") for i in ld])
    author = metas.get("author") or _first([_author(i.get("author")) for i in ld])
    return PageMeta(
        title=_first([metas.get("og:title"), metas.get("twitter:title"), ld_title]),
        published=published,
        modified=modified,
        date_source=source,
        site_name=metas.get("og:site_name"),
        author=author,
        canonical_url=url or None,
        language=str(lang) if lang else None,
        impossible_date=impossible,
    )


def _author(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("name") or "") or None
    if isinstance(value, list) and value:
        return _author(value[0])
    return None


def title_segments(title: str) -> list[str]:
    """The parts of a <title> split at its site separators, longest first."""
    return sorted((s for s in _TITLE_SEPARATORS.split(title) if s), key=len, reverse=True)


def merge_library_meta(ours: PageMeta, theirs: LibraryMeta) -> PageMeta:
    """Our reading first (it knows where each date came from), trafilatura's and htmldate's where ours
    found nothing: dates in other formats (2023/11/17 08:00, 2023年11月17日) and other meta names,
    modification dates, the title without its site suffix, bylines."""
    published, source = ours.published, ours.date_source
    # htmldate reads an impossible 2022-02-30 as some other day: a wrong date is worse than none
    if published is None and theirs.published and not ours.impossible_date:
        url_date = _URL_DATE.search(ours.canonical_url or theirs.url or "")
        in_url = url_date and "-".join(url_date.groups()) == theirs.published
        published, source = theirs.published, "url" if in_url else "markup"
    modified = ours.modified or theirs.modified
    return PageMeta(
        title=ours.title,
        published=published,
        modified=modified if modified != published else None,
        date_source=source,
        site_name=ours.site_name or theirs.site_name,
        author=ours.author or theirs.author,
        canonical_url=ours.canonical_url or theirs.url,
        language=ours.language,
        library_title=theirs.title,
    )
