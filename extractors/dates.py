"""Dates, normalised to ISO 8601 at the precision the text gives.

Full dates in every common notation, with months and days in digits or Chinese numerals; month-day
dates, bare days of the month, two-digit years and relative words (同年, 去年, 上月, 上上周五, 后天,
5年前) resolved against the nearest explicit year in the paragraph, the article's publication date
(or dateline), or the nearest explicit year before them, in that order. Without anything to resolve
against, the value stays null. A date the text leaves underspecified says so and names what it was
resolved against. The grammar is data: data/date_patterns.json, words in data/date_words.json.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.date_candidates import (
    Candidate,
    candidates,
    continuations,
    num,
    words,
)
from stemwire.extractors.date_context import is_traditional, page_address, roc_context, url_date
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import range_separator_chars
from stemwire.extractors.numerals import parse_chinese_numeral, parse_number
from stemwire.schemas.models import DateFact, Precision

DateRole = Literal["event", "dateline", "reference"]


@dataclass
class _Resolved:
    year: int
    month: int | None
    day: int | None
    relative: bool
    underspecified: bool = False
    reference: str | None = None


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


@dataclass
class _Context:
    dateline: dt.date | None
    original: str = ""
    text: str = ""
    last_year: int | None = None
    last_year_line: int = -1
    _traditional: bool | None = None
    roc: bool = False  # an ROC context (extractors/date_context.py): short years are Minguo years

    @property
    def traditional(self) -> bool:
        """The article is written in Traditional script (its two-digit years may be Minguo years);
        counted only when a two-digit year asks."""
        if self._traditional is None:
            self._traditional = is_traditional(self.original, self.text)
        return self._traditional


def _month_part(g: dict[str, Any]) -> tuple[int | None, int | None]:
    month = num(g.get("m"))
    if g.get("part"):
        return month, None
    return month, num(g.get("d")) or num(g.get("db"))


def _short_year(two_digits: int, ctx: _Context) -> int:
    """A two-digit year (08年, 98年4月): the Gregorian year nearest the reference's century, no later
    than ten years after the reference."""
    ref = ctx.dateline.year if ctx.dateline else 2000
    year = ref // 100 * 100 + two_digits
    if year > ref + 10:
        year -= 100
    return year


def _reference(ctx: _Context) -> str | None:
    return ctx.dateline.isoformat() if ctx.dateline else None


def _resolve(c: Candidate, ctx: _Context, line_start: int) -> _Resolved | str | None:
    """The date a candidate names; 'week:YYYY-Www' for weeks; None if unresolvable."""
    g, w = c.groups, words()
    if c.kind == "ymd":
        month, day = _month_part(g)
        return _Resolved(int(g["y"]), month, day, False)
    if c.kind == "ym_range":
        return _Resolved(int(g["y"]), int(g["m"]), None, False)
    if c.kind in ("year_range", "from_year_range"):
        return _Resolved(int(g["y"]), None, None, False)
    if c.kind == "y_edge":
        return _Resolved(int(g["y"]), w["year_end"][g["edge"]], None, False)
    if c.kind == "cn_ymd":
        year = parse_chinese_numeral(g["cy"])
        month, day = _month_part(g)
        return None if year is None or (g.get("m") and month is None) else _Resolved(year, month, day, False)
    if c.kind in ("short_ymd", "short_year"):
        two = num(g["sy"])
        if two is None:
            return None
        month, day = _month_part(g)
        if c.kind == "short_ymd" and ctx.roc and two >= 60:
            return _Resolved(two + 1911, month, day, False)  # 98年4月 in Taiwan text: Minguo 98 = 2009
        return _Resolved(_short_year(two, ctx), month, day, False, True, _reference(ctx))
    if c.kind in ("roc", "roc_3digit", "roc_numeric"):
        year = num(g["ry"])
        return None if year is None else _Resolved(year + 1911, num(g.get("m")), num(g.get("d")), False)
    if c.kind in ("numeric", "numeric_spaced", "numeric_ym", "english", "english_mdy"):
        month = num(g.get("m")) or w["month_names"].get((g.get("mon") or "")[:3].lower())
        return _Resolved(int(g["y"]), month, num(g.get("d")), False)
    if c.kind == "year":
        return _Resolved(int(g["y"]), None, None, False)
    if c.kind in ("month_day", "month_range", "day_only"):
        year = ctx.last_year if ctx.last_year_line == line_start else None
        reference = str(year) if year is not None else None
        if year is None:
            year = ctx.dateline.year if ctx.dateline else ctx.last_year
            reference = _reference(ctx) if ctx.dateline else (str(year) if year is not None else None)
        if year is None:
            return None
        if c.kind == "day_only":
            if ctx.dateline is None or reference != _reference(ctx):
                return None  # a bare day takes its month from the publication date only
            year, month, day = ctx.dateline.year, ctx.dateline.month, int(g["d"])
            if _iso(year, month, day) is None:  # 29日 in a February: the month before
                total = year * 12 + month - 2
                year, month = total // 12, total % 12 + 1
            return _Resolved(year, month, day, True, True, reference)
        month, day = _month_part(g)
        if month == 2 and day == 29 and _iso(year, 2, 29) is None:
            year -= year % 4  # 2月29日 without a year: the leap year before
        return _Resolved(year, month, day, True, True, reference)
    if c.kind in ("relative_year", "relative_year_this_month", "nth_month_relative"):
        if g["rel"] in w["same_year"]:
            year, reference = ctx.last_year, str(ctx.last_year) if ctx.last_year else None
        elif ctx.dateline:
            year, reference = ctx.dateline.year + w["relative_year"][g["rel"]], _reference(ctx)
        else:
            year = reference = None
        if year is None:
            return None
        if c.kind == "nth_month_relative":
            return _Resolved(year, num(g["nth"]), None, True, False, reference)
        if c.kind == "relative_year_this_month":
            if ctx.dateline is None:
                return None
            return _Resolved(year, ctx.dateline.month, num(g["d"]), True, False, reference)
        if g.get("edge"):
            return _Resolved(year, 12 if g["edge"] in "底末" else 1, None, True, False, reference)
        month, day = _month_part(g)
        return _Resolved(year, month, day, True, False, reference)
    if c.kind == "nth_month":
        return _Resolved(int(g["y"]), num(g["nth"]), None, False)
    if ctx.dateline is None:
        return None
    base, reference = ctx.dateline, _reference(ctx)
    if c.kind == "relative_month":
        total = base.year * 12 + base.month - 1 + w["relative_month"][g["relm"]]
        day = num(g.get("d"))
        return _Resolved(total // 12, total % 12 + 1, day, True, False, reference)
    if c.kind == "relative_week":
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=w["week_prefix"][g["relw"]])
        if g.get("wd"):
            target = monday + dt.timedelta(days=w["weekday_names"][g["wd"]])
            return _Resolved(target.year, target.month, target.day, True, False, reference)
        iso = monday.isocalendar()
        return f"week:{iso.year:04d}-W{iso.week:02d}"
    if c.kind == "relative_day":
        target = base + dt.timedelta(days=w["relative_day"][g["reld"]])
        return _Resolved(target.year, target.month, target.day, True, False, reference)
    if c.kind == "relative_offset":
        return _offset(base, g, reference)
    return None


def _offset(base: dt.date, g: dict[str, Any], reference: str | None) -> _Resolved | None:
    """5年前, 三天后, 两周后: the reference moved by the offset, at the unit's precision."""
    w = words()
    n = int(parse_number(g["n"]) or 0)
    sign = w["offset_directions"][g["dir"]]
    unit = w["offset_units"][g["ou"]]
    if unit == "year":
        return _Resolved(base.year + sign * n, None, None, True, False, reference)
    if unit == "month":
        total = base.year * 12 + base.month - 1 + sign * n
        return _Resolved(total // 12, total % 12 + 1, None, True, False, reference)
    days = n * (7 if unit == "week" else 1)
    target = base + dt.timedelta(days=sign * days)
    return _Resolved(target.year, target.month, target.day, True, False, reference)


def _full_date(c: Candidate, layout: Layout) -> dt.date | None:
    resolved = _resolve(c, _Context(None), layout.line_at(c.start).start)
    if isinstance(resolved, _Resolved) and resolved.day is not None and not resolved.relative:
        if resolved.underspecified or _iso(resolved.year, resolved.month, resolved.day) is None:
            return None
        return dt.date(resolved.year, resolved.month or 1, resolved.day)
    return None


def _dateline_of(listed: list[Candidate], layout: Layout) -> dt.date | None:
    """The article's own publication date: the first full date on a dateline near the top, or, in a
    press release ("2024年3月8日，上海——……"), the full date that opens the first paragraph."""
    for c in listed:
        if layout.kind_at(c.start) == "dateline" and (found := _full_date(c, layout)) is not None:
            return found
    first_body = next((ln for ln in layout.lines if ln.kind == "body"), None)
    for c in listed:
        if first_body is not None and c.start - first_body.start <= 2 and layout.line_at(c.start) == first_body:
            tail = layout.text[c.end : c.end + 12]
            if re.match(r"\s*[,，]?\s*[\u4e00-\u9fff]{0,6}\s*(?:——|--|—|电|讯|消息)", tail):
                return _full_date(c, layout)
    return None


_Extra = tuple[int, int, int, int | None, int | None]


def _second_ends(c: Candidate, r: _Resolved, text: str, end: int, claims: Claims) -> tuple[int, list[_Extra]]:
    """The second end of a range written once (6月20日至23日, 2020年1月至4月, 2019年6月1日-6月30日,
    1995-1997年, 3月和5月): its span and date, sharing the first end's year (and month)."""
    extra: list[_Extra] = []
    g = c.groups
    if c.kind == "ym_range":  # "2021年1至3月": "2021年1" and "3月", both in 2021
        extra.append((c.spans["m2"][0], end, r.year, int(g["m2"]), None))
        return c.spans["m"][1], extra
    if c.kind in ("year_range", "from_year_range"):
        extra.append((c.spans["y2"][0], end, int(g["y2"]), None, None))
        return c.spans["y"][1], extra
    if c.kind == "month_range":
        extra.append((c.spans["m2"][0], end, r.year, num(g["m2"]), None))
        return c.spans["m"][1] + 1, extra
    conts = continuations()
    if r.day is not None:
        cont = conts["month_day"].match(text, end) or conts["day"].match(text, end)
    elif r.month is not None:
        cont = conts["month"].match(text, end)
    else:
        cont = None
    if cont is not None and not claims.overlaps(cont.start(), cont.end()):
        d2 = num(cont.groupdict().get("d")) if r.day is not None else None
        m2 = num(cont.groupdict().get("m")) or r.month
        lead = len(cont.group()) - len(cont.group().lstrip(" " + range_separator_chars()))
        extra.append((cont.start() + lead, cont.end(), r.year, m2, d2))
    return end, extra


def find_dates(
    original: str, text: str, layout: Layout, claims: Claims, published: dt.date | None = None
) -> tuple[list[DateFact], dt.date | None]:
    """The article's dates, and its dateline (the publication date it prints, else the date in the
    page's own address). Relative and year-less dates resolve against `published` when the caller
    knows it, else against the dateline."""
    roc = roc_context(original, text, layout)
    found = candidates(text, layout, claims, roc=roc)
    dateline = _dateline_of(found, layout)
    if dateline is None:
        dateline = url_date(page_address(text, layout))
    ctx = _Context(published or dateline, original, text, roc=roc)
    facts: list[DateFact] = []
    for c in found:
        if claims.overlaps(c.start, c.end):  # taken by the second end of a range just above
            continue
        line = layout.line_at(c.start)
        resolved = _resolve(c, ctx, line.start)
        kind = layout.kind_at(c.start)
        role: DateRole = "dateline" if kind == "dateline" else "reference" if kind == "reference" else "event"

        def add(
            start: int,
            end: int,
            value: str | None,
            precision: Precision | None,
            relative: bool,
            r: _Resolved | None = None,
            role: DateRole = role,
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
                    underspecified=bool(r and r.underspecified),
                    reference_date=r.reference if r and value is not None else None,
                )
            )
            claims.add(start, end)

        if isinstance(resolved, _Resolved):
            explicit = not resolved.relative and not resolved.underspecified
            if explicit and role == "event" and c.kind not in ("english", "english_mdy"):
                ctx.last_year, ctx.last_year_line = resolved.year, line.start
            end, extra = _second_ends(c, resolved, text, c.end, claims)
            iso = _iso(resolved.year, resolved.month, resolved.day)
            if iso is None:
                continue
            add(c.start, end, iso[0], iso[1], resolved.relative, resolved)
            for s, e, y, m2, d2 in extra:
                iso2 = _iso(y, m2, d2)
                if iso2:
                    second = _Resolved(y, m2, d2, True, resolved.underspecified, resolved.reference)
                    add(s, e, iso2[0], iso2[1], True, second)
        elif isinstance(resolved, str):
            add(
                c.start,
                c.end,
                resolved.split(":", 1)[1],
                "week",
                True,
                _Resolved(0, None, None, True, False, _reference(ctx)),
            )
        else:
            add(c.start, c.end, None, None, True)
    return facts, dateline
