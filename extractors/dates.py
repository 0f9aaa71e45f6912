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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.grammar import expand
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import range_separator_chars
from stemwire.extractors.lexicon import words as lexicon_words
from stemwire.extractors.numerals import NUMERAL_CHARS, parse_chinese_numeral, parse_number
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import digit_run_starts, matches_at, starts_of, with_leading_space
from stemwire.schemas.models import DateFact, Precision

DateRole = Literal["event", "dateline", "reference"]


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    groups: dict[str, Any]
    spans: dict[str, tuple[int, int]]


@dataclass
class _Resolved:
    year: int
    month: int | None
    day: int | None
    relative: bool
    underspecified: bool = False
    reference: str | None = None


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("date_words.json")


@lru_cache(maxsize=1)
def _grammar() -> dict[str, Any]:
    return load_json("date_patterns.json")


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(expand(source, _grammar()["fragments"], _words()))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(kind, compiled pattern), in the data file's order."""
    return [(kind, _compile(spec["regex"])) for kind, spec in _grammar()["patterns"].items()]


def _opens_at(kind: str) -> str:
    return str(_grammar()["patterns"][kind]["opens_at"])


@lru_cache(maxsize=1)
def _continuations() -> dict[str, re.Pattern[str]]:
    return {name: _compile(source) for name, source in _grammar()["continuations"].items()}


_NUMERAL_RUN = re.compile(rf"[\d{NUMERAL_CHARS}]+")


@lru_cache(maxsize=1)
def _opening_scans() -> dict[str, re.Pattern[str]]:
    """Cheap scans for where the era-led, word-led and month-name-led grammars can begin."""
    w = _words()
    initials = {c for name in w["month_names"] for c in (name[0].lower(), name[0].upper())}
    return {
        "era": re.compile(w["roc_era"]),
        "month_initial": re.compile(f"[{''.join(sorted(initials))}]"),
    }


@lru_cache(maxsize=8)
def _starts(opens_at: str, text: str) -> tuple[int, ...] | None:
    """Where matches of a pattern can begin; None: anywhere (the pattern opens with a literal)."""
    if opens_at == "digits":
        return digit_run_starts(text)
    if opens_at == "digits_space":
        return tuple(with_leading_space(text, digit_run_starts(text)))
    if opens_at == "numerals":
        return tuple(starts_of(_NUMERAL_RUN, text))
    if opens_at == "numerals_space":
        return tuple(with_leading_space(text, starts_of(_NUMERAL_RUN, text)))
    if opens_at == "era":
        return tuple(starts_of(_opening_scans()["era"], text))
    if opens_at == "month_initial":
        return tuple(starts_of(_opening_scans()["month_initial"], text))
    name, space, _ = opens_at.partition("+space")
    if name in _scans():
        found = starts_of(_scans()[name], text)
        return tuple(with_leading_space(text, found) if space else found)
    return None


@lru_cache(maxsize=1)
def _scans() -> dict[str, re.Pattern[str]]:
    return {name: _compile(source) for name, source in _grammar()["scans"].items() if not name.startswith("_")}


def _matches(kind: str, rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    starts = _starts(_opens_at(kind), text)
    return rx.finditer(text) if starts is None else matches_at(rx, text, starts)


def _num(value: str | None) -> int | None:
    """A month, day or year number written in digits or Chinese numerals."""
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return parse_chinese_numeral(value)


def _candidates(text: str, layout: Layout, claims: Claims) -> list[_Candidate]:
    found: list[_Candidate] = []
    for kind, rx in _patterns():
        for m in _matches(kind, rx, text):
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            if start == m.end() or layout.kind_at(start) in ("boilerplate", "blank"):
                continue
            if not _plausible(kind, m, text, start):
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


def _clause_start(text: str, start: int, openers: str = "\n，。；：！？,;:!?　 ") -> bool:
    """Nothing but a subject word (他, 我们) stands between the clause's start (after one of
    `openers`, or the text's start) and `start`."""
    at = start
    for subject in sorted(_words()["offset_subjects"], key=len, reverse=True):
        if text.endswith(subject, 0, start):
            at = start - len(subject)
            break
    return at == 0 or text[at - 1] in openers


def _plausible(kind: str, m: re.Match[str], text: str, start: int) -> bool:
    """Whether a match reads as a date at all (else it stays free for other families)."""
    w = _words()
    g = m.groupdict()
    if kind == "month_day" and not (g["d"] or g["db"] or g["part"]):
        after = text[m.end() : m.end() + 1]
        return _month_anchor(text, start) and not any(after.startswith(a) for a in w["not_after_month_range"])
    if kind in ("roc", "roc_3digit"):
        return _num(g["ry"]) is not None
    if kind == "cn_ymd":
        year = parse_chinese_numeral(g["cy"])
        if year is None or not 1900 <= year <= 2100:
            return False
        if any(u in g["cy"] for u in "十百千") and not g["m"]:  # 两千年前 is 2000 years ago
            return not re.match(r"[前后来间多余内里]", text[m.end() : m.end() + 1])
        return True
    if kind == "short_year":
        return True
    if kind == "day_only":
        before, after = text[max(0, start - 2) : start], text[m.end() : m.end() + 3]
        if any(before.endswith(b) for b in w["not_before_day"]) or not 1 <= int(g["d"]) <= 31:
            return False
        anchored = any(before.endswith(b) for b in w["day_anchors_before"]) or _clause_start(text, start)
        return anchored or any(after.startswith(a) for a in w["day_wire_after"])
    if kind == "month_range":
        after = text[m.end() : m.end() + 2]
        lead = text[max(0, start - 4) : start]
        if any(after.startswith(a) for a in w["not_after_month_range"]):
            return False
        return not any(lead.endswith(f) for f in lexicon_words("follow_up_words"))
    if kind == "relative_offset":
        n = _num(g["n"]) if g["n"].isdigit() else parse_number(g["n"])
        if n is None or not 0 < n < 200 or n != int(n):
            return False
        if _words()["offset_directions"][g["dir"]] > 0:  # 48周后 inside a sentence counts from its event
            return _clause_start(text, start, "\n。！？!?")
        return _clause_start(text, start)
    if kind in ("nth_month", "nth_month_relative"):
        return (_num(g["nth"]) or 0) in range(1, 13)
    return True


def _month_anchor(text: str, start: int) -> bool:
    """A bare 'M月' is a date only where a preposition makes it one (于8月, 在3月, 自5月)."""
    return start > 0 and text[start - 1] in "于在自从至到及和、与"


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

    @property
    def traditional(self) -> bool:
        """The article is written in Traditional script (its two-digit years may be Minguo years);
        counted only when a two-digit year asks."""
        if self._traditional is None:
            self._traditional = _is_traditional(self.original, self.text)
        return self._traditional


def _month_part(g: dict[str, Any]) -> tuple[int | None, int | None]:
    month = _num(g.get("m"))
    if g.get("part"):
        return month, None
    return month, _num(g.get("d")) or _num(g.get("db"))


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


def _resolve(c: _Candidate, ctx: _Context, line_start: int) -> _Resolved | str | None:
    """The date a candidate names; 'week:YYYY-Www' for weeks; None if unresolvable."""
    g, w = c.groups, _words()
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
        two = _num(g["sy"])
        if two is None:
            return None
        month, day = _month_part(g)
        if c.kind == "short_ymd" and ctx.traditional and two >= 60:
            return _Resolved(two + 1911, month, day, False)  # 98年4月 in Taiwan text: Minguo 98 = 2009
        return _Resolved(_short_year(two, ctx), month, day, False, True, _reference(ctx))
    if c.kind in ("roc", "roc_3digit"):
        year = _num(g["ry"])
        return None if year is None else _Resolved(year + 1911, _num(g.get("m")), _num(g.get("d")), False)
    if c.kind in ("numeric", "numeric_spaced", "numeric_ym", "english", "english_mdy"):
        month = _num(g.get("m")) or w["month_names"].get((g.get("mon") or "")[:3].lower())
        return _Resolved(int(g["y"]), month, _num(g.get("d")), False)
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
            return _Resolved(year, _num(g["nth"]), None, True, False, reference)
        if c.kind == "relative_year_this_month":
            if ctx.dateline is None:
                return None
            return _Resolved(year, ctx.dateline.month, _num(g["d"]), True, False, reference)
        if g.get("edge"):
            return _Resolved(year, 12 if g["edge"] in "底末" else 1, None, True, False, reference)
        month, day = _month_part(g)
        return _Resolved(year, month, day, True, False, reference)
    if c.kind == "nth_month":
        return _Resolved(int(g["y"]), _num(g["nth"]), None, False)
    if ctx.dateline is None:
        return None
    base, reference = ctx.dateline, _reference(ctx)
    if c.kind == "relative_month":
        total = base.year * 12 + base.month - 1 + w["relative_month"][g["relm"]]
        day = _num(g.get("d"))
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
    w = _words()
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


def _full_date(c: _Candidate, layout: Layout) -> dt.date | None:
    resolved = _resolve(c, _Context(None), layout.line_at(c.start).start)
    if isinstance(resolved, _Resolved) and resolved.day is not None and not resolved.relative:
        if resolved.underspecified or _iso(resolved.year, resolved.month, resolved.day) is None:
            return None
        return dt.date(resolved.year, resolved.month or 1, resolved.day)
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


def _is_traditional(original: str, text: str) -> bool:
    """The article is written in Traditional script (its two-digit years may be Minguo years)."""
    changed = sum(1 for a, b in zip(original, text, strict=True) if a != b and not a.isascii() and a >= "\u4e00")
    return changed >= 3 or (changed >= 1 and len(text) < 200)


_Extra = tuple[int, int, int, int | None, int | None]


def _second_ends(c: _Candidate, r: _Resolved, text: str, end: int, claims: Claims) -> tuple[int, list[_Extra]]:
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
        extra.append((c.spans["m2"][0], end, r.year, _num(g["m2"]), None))
        return c.spans["m"][1] + 1, extra
    conts = _continuations()
    if r.day is not None:
        cont = conts["month_day"].match(text, end) or conts["day"].match(text, end)
    elif r.month is not None:
        cont = conts["month"].match(text, end)
    else:
        cont = None
    if cont is not None and not claims.overlaps(cont.start(), cont.end()):
        d2 = _num(cont.groupdict().get("d")) if r.day is not None else None
        m2 = _num(cont.groupdict().get("m")) or r.month
        lead = len(cont.group()) - len(cont.group().lstrip(" " + range_separator_chars()))
        extra.append((cont.start() + lead, cont.end(), r.year, m2, d2))
    return end, extra


def find_dates(
    original: str, text: str, layout: Layout, claims: Claims, published: dt.date | None = None
) -> tuple[list[DateFact], dt.date | None]:
    """The article's dates, and its dateline (the publication date it prints). Relative dates resolve
    against `published` when the caller knows it, else against the dateline."""
    candidates = _candidates(text, layout, claims)
    dateline = _dateline_of(candidates, layout)
    ctx = _Context(published or dateline, original, text)
    facts: list[DateFact] = []
    for c in candidates:
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
