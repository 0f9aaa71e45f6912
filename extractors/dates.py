"""Dates, normalised to ISO 8601 at the precision the text gives.

Full dates in every common notation; month-day dates and relative words (同年, 去年, 上月, 上周五)
resolved against the nearest explicit year in the paragraph, the article's dateline, or the nearest
explicit year before them, in that order. Without anything to resolve against, the value stays null.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation, range_separator_chars
from stemwire.extractors.numerals import parse_chinese_numeral
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import digit_run_starts, matches_at, merged, starts_of, with_leading_space
from stemwire.schemas.models import DateFact, Precision

DateRole = Literal["event", "dateline", "reference"]

_YEAR = r"(?<![\d.])(?P<y>(?:19|20)\d{2})"
_CN_YEAR = r"(?P<cy>[〇零○一二三四五六七八九]{4})"
_MONTH = r"(?P<m>\d{1,2})"
_DAY = r"(?P<d>\d{1,2})"
_RANGE = alternation("range_separators")
_CN_MONTH = r"(?P<cm>十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?P<cd>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    groups: dict[str, Any]
    spans: dict[str, tuple[int, int]]


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("date_words.json")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    w = _words()
    part = "|".join(sorted(w["part_of_month"], key=len, reverse=True))
    year_edge = "|".join(w["year_end"])
    rel_year = "|".join(list(w["relative_year"]) + w["same_year"])
    rel_month = "|".join(sorted(w["relative_month"], key=len, reverse=True))
    rel_week = "|".join(sorted(w["relative_week"], key=len, reverse=True))
    rel_day = "|".join(w["relative_day"])
    months = "|".join(w["month_names"])
    md_tail = rf"(?:\s*{_DAY}\s*[日号]|(?P<part>{part}))?"
    specs = [
        ("ymd", rf"{_YEAR}\s*年\s*{_MONTH}\s*月{md_tail}"),
        ("ym_range", rf"{_YEAR}\s*年\s*{_MONTH}\s*(?P<to>{_RANGE})\s*(?P<m2>\d{{1,2}})\s*月"),
        ("y_edge", rf"{_YEAR}\s*(?P<edge>{year_edge})"),
        ("cn_ymd", rf"{_CN_YEAR}年(?:{_CN_MONTH}月(?:{_CN_DAY}[日号])?|(?![代级度]))"),
        (
            "roc",
            rf"(?P<era>{w['roc_era']})?\s*(?<!\d)(?P<ry>\d{{2,3}})\s*年(?:\s*{_MONTH}\s*月(?:\s*{_DAY}\s*[日号])?)?",
        ),
        ("numeric", rf"{_YEAR}(?P<sep>[-/.])\s?{_MONTH}(?P=sep)\s?{_DAY}(?!\d|\.\d)"),
        ("numeric_ym", rf"{_YEAR}[-/]{_MONTH}(?![\d\-/.])"),
        ("english", rf"{_YEAR}\s+(?P<mon>(?i:{months}))[a-z]*\.?(?:\s+{_DAY}(?!\d))?"),
        ("english_mdy", rf"(?P<mon>(?i:{months}))[a-z]*\.?\s+{_DAY},?\s+{_YEAR}"),
        ("relative_year", rf"(?P<rel>{rel_year})(?:\s*{_MONTH}\s*月{md_tail}|(?P<edge>底|末|初))?"),
        ("relative_month", rf"(?P<relm>{rel_month})"),
        ("relative_week", rf"(?P<relw>{rel_week})(?P<wd>[一二三四五六日天])?"),
        ("relative_day", rf"(?P<reld>{rel_day})"),
        ("month_day", rf"(?<![\d年./\-])\s*{_MONTH}\s*月{md_tail}"),
        ("year", rf"{_YEAR}\s*年(?![\d代级度])"),
    ]
    return [(kind, re.compile(rx)) for kind, rx in specs]


_CONTINUE_DAY = re.compile(rf"\s*(?:{_RANGE})\s*{_DAY}\s*[日号]")
_CONTINUE_MONTH = re.compile(rf"\s*(?:{_RANGE})\s*{_MONTH}\s*月(?!\s*\d)")


# Grammars that open with a lookbehind, and where their matches can begin (extractors/scan.py).
_AT_NUMBERS = {"ymd", "ym_range", "y_edge", "numeric", "numeric_ym", "english", "year"}


@lru_cache(maxsize=1)
def _opening_scans() -> dict[str, re.Pattern[str]]:
    """Cheap scans for where the era-led and month-name-led grammars can begin."""
    initials = {c for name in _words()["month_names"] for c in (name[0].lower(), name[0].upper())}
    return {"era": re.compile(_words()["roc_era"]), "month_initial": re.compile(f"[{''.join(sorted(initials))}]")}


def _matches(kind: str, rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    if kind in _AT_NUMBERS:
        return matches_at(rx, text, digit_run_starts(text))
    if kind == "roc":
        numbers = with_leading_space(text, digit_run_starts(text))
        return matches_at(rx, text, merged(numbers, starts_of(_opening_scans()["era"], text)))
    if kind == "english_mdy":
        return matches_at(rx, text, starts_of(_opening_scans()["month_initial"], text))
    if kind == "month_day":
        return matches_at(rx, text, with_leading_space(text, digit_run_starts(text)))
    return rx.finditer(text)


def _candidates(text: str, layout: Layout, claims: Claims) -> list[_Candidate]:
    found: list[_Candidate] = []
    for kind, rx in _patterns():
        for m in _matches(kind, rx, text):
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            if start == m.end() or layout.kind_at(start) in ("boilerplate", "blank"):
                continue
            if kind == "month_day" and not (m.group("d") or m.group("part")) and not _month_anchor(text, start):
                continue
            if kind == "roc" and not _roc_plausible(m, layout):
                continue
            spans = {k: m.span(k) for k, v in m.groupdict().items() if v is not None}
            found.append(_Candidate(start, m.end(), kind, m.groupdict(), spans))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    last_end = -1
    for c in found:
        if c.start >= last_end and not claims.overlaps(c.start, c.end):
            kept.append(c)
            last_end = c.end
    return kept


def _month_anchor(text: str, start: int) -> bool:
    """A bare 'M月' is a date only where a preposition makes it one (于8月, 在3月, 自5月)."""
    return start > 0 and text[start - 1] in "于在自从至到及和、"


def _roc_plausible(m: re.Match[str], layout: Layout) -> bool:
    """Minguo years (民国107年 = 2018) need the era word, or a Taiwan-style 2-3 digit year with a month."""
    year = int(m.group("ry"))
    return bool(m.group("era")) or (m.group("m") is not None and 60 <= year <= 150)


def _iso(year: int, month: int | None = None, day: int | None = None) -> tuple[str, Precision] | None:
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat(), "day"
        if month is not None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}", "month"
        return f"{year:04d}", "year"
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value else None


@dataclass
class _Context:
    dateline: dt.date | None
    last_year: int | None = None
    last_year_line: int = -1


def _month_part(g: dict[str, Any]) -> tuple[int | None, int | None]:
    month = _int(g.get("m"))
    return month, None if g.get("part") else _int(g.get("d"))


def _resolve(c: _Candidate, ctx: _Context, line_start: int) -> tuple[int, int | None, int | None, bool] | str | None:
    """(year, month, day, relative) for a candidate; 'week:YYYY-Www' for weeks; None if unresolvable."""
    g, w = c.groups, _words()
    if c.kind == "ymd":
        month, day = _month_part(g)
        return int(g["y"]), month, day, False
    if c.kind == "ym_range":
        return int(g["y"]), int(g["m"]), None, False
    if c.kind == "y_edge":
        return int(g["y"]), w["year_end"][g["edge"]], None, False
    if c.kind == "cn_ymd":
        year = parse_chinese_numeral(g["cy"])
        month = parse_chinese_numeral(g["cm"]) if g.get("cm") else None
        day = parse_chinese_numeral(g["cd"]) if g.get("cd") else None
        plausible = year is not None and 1900 <= year <= 2100 and (month is not None or g.get("cm") is None)
        return (year, month, day, False) if plausible and year else None
    if c.kind == "roc":
        return int(g["ry"]) + 1911, _int(g.get("m")), _int(g.get("d")), False
    if c.kind in ("numeric", "numeric_ym", "english", "english_mdy"):
        month = _int(g.get("m")) or w["month_names"].get((g.get("mon") or "")[:3].lower())
        return int(g["y"]), month, _int(g.get("d")), False
    if c.kind == "year":
        return int(g["y"]), None, None, False
    if c.kind == "month_day":
        year = ctx.last_year if ctx.last_year_line == line_start else None
        if year is None:
            year = ctx.dateline.year if ctx.dateline else ctx.last_year
        if year is None:
            return None
        month, day = _month_part(g)
        return year, month, day, True
    if c.kind == "relative_year":
        if g["rel"] in w["same_year"]:
            year = ctx.last_year
        elif ctx.dateline:
            year = ctx.dateline.year + w["relative_year"][g["rel"]]
        else:
            year = None
        if year is None:
            return None
        if g.get("edge"):
            return year, 12 if g["edge"] in "底末" else 1, None, True
        month, day = _month_part(g)
        return year, month, day, True
    if ctx.dateline is None:
        return None
    base = ctx.dateline
    if c.kind == "relative_month":
        total = base.year * 12 + base.month - 1 + w["relative_month"][g["relm"]]
        return total // 12, total % 12 + 1, None, True
    if c.kind == "relative_week":
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=w["relative_week"][g["relw"]])
        if g.get("wd"):
            target = monday + dt.timedelta(days=w["weekdays"][g["wd"]])
            return target.year, target.month, target.day, True
        iso = monday.isocalendar()
        return f"week:{iso.year:04d}-W{iso.week:02d}"
    if c.kind == "relative_day":
        target = base + dt.timedelta(days=w["relative_day"][g["reld"]])
        return target.year, target.month, target.day, True
    return None


def _full_date(c: _Candidate, layout: Layout) -> dt.date | None:
    resolved = _resolve(c, _Context(None), layout.line_at(c.start).start)
    if isinstance(resolved, tuple) and resolved[2] is not None and not resolved[3]:
        return dt.date(resolved[0], resolved[1] or 1, resolved[2])
    return None


def _dateline_of(candidates: list[_Candidate], layout: Layout) -> dt.date | None:
    """The article's own publication date: the first full date on a dateline near the top, or, in a
    press release ("2024年3月8日，上海——……"), the full date that opens the first paragraph."""
    for c in candidates:
        if layout.kind_at(c.start) == "dateline" and (found := _full_date(c, layout)) is not None:
            return found
    first_body = next((ln for ln in layout.lines if ln.kind == "body"), None)
    for c in candidates:
        if first_body is not None and c.start - first_body.start <= 2 and layout.line_at(c.start) == first_body:
            tail = layout.text[c.end : c.end + 12]
            if re.match(r"\s*[,，]?\s*[\u4e00-\u9fff]{0,6}\s*(?:——|--|—|电|讯|消息)", tail):
                return _full_date(c, layout)
    return None


def find_dates(
    original: str, text: str, layout: Layout, claims: Claims, published: dt.date | None = None
) -> tuple[list[DateFact], dt.date | None]:
    """The article's dates, and its dateline (the publication date it prints). Relative dates resolve
    against `published` when the caller knows it, else against the dateline."""
    candidates = _candidates(text, layout, claims)
    dateline = _dateline_of(candidates, layout)
    ctx = _Context(published or dateline)
    facts: list[DateFact] = []
    for c in candidates:
        if claims.overlaps(c.start, c.end):  # taken by the second end of a range just above
            continue
        line = layout.line_at(c.start)
        resolved = _resolve(c, ctx, line.start)
        kind = layout.kind_at(c.start)
        role: DateRole = "dateline" if kind == "dateline" else "reference" if kind == "reference" else "event"

        def add(
            start: int, end: int, value: str | None, precision: Precision | None, relative: bool, role: DateRole = role
        ) -> None:
            facts.append(
                DateFact(
                    start=start,
                    end=end,
                    text=original[start:end],
                    value=value,
                    precision=precision,
                    role=role,
                    relative=relative,
                )
            )
            claims.add(start, end)

        end = c.end
        extra: list[tuple[int, int, int, int | None, int | None]] = []
        if isinstance(resolved, tuple):
            year, month, day, relative = resolved
            if not relative and c.kind not in ("english", "english_mdy") and role == "event":
                ctx.last_year, ctx.last_year_line = year, line.start
            # "6月20日至23日", "2020年1月至4月": the second end shares the first's year (and month).
            if c.kind == "ym_range":  # "2021年1至3月": "2021年1" and "3月", both in 2021
                extra.append((c.spans["m2"][0], end, year, int(c.groups["m2"]), None))
                end = c.spans["m"][1]
            cont = (
                None
                if extra
                else _CONTINUE_DAY.match(text, end)
                if day is not None
                else (_CONTINUE_MONTH.match(text, end) if month is not None else None)
            )
            if cont is not None and not claims.overlaps(cont.start(), cont.end()):
                d2 = int(cont.group("d")) if day is not None else None
                m2 = month if day is not None else int(cont.group("m"))
                extra.append(
                    (
                        cont.start() + len(cont.group()) - len(cont.group().lstrip(" " + range_separator_chars())),
                        cont.end(),
                        year,
                        m2,
                        d2,
                    )
                )
            iso = _iso(year, month, day)
            if iso is None:
                continue
            add(c.start, end, iso[0], iso[1], relative)
        elif isinstance(resolved, str):
            add(c.start, end, resolved.split(":", 1)[1], "week", True)
        else:
            add(c.start, end, None, None, True)
        for s, e, y, m2, d2 in extra:
            iso2 = _iso(y, m2, d2)
            if iso2:
                add(s, e, iso2[0], iso2[1], True)
    return facts, dateline
