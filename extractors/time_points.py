"""When a figure was measured (its time point): the time since treatment that the text ties to it,
in its clause (第28天整体反应率为70%), in a lead clause of its sentence (12个月时，…), in a lead-in
ending with a colon (第18个月的数据显示：) of the list that holds it, or its window (28天死亡率,
输注后1个月内). Periods and ranges (从第90天起, 第3至6个月, 6周内) and study-design lengths (随访24个月)
are none. Also the words both attribution steps read (data/attribution_words.json).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import SENTENCE_END, Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.measures import MeasureHit, measure_entries
from stemwire.extractors.numerals import clean_number, parse_number
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import digit_run_starts, matches_at, merged, number_starts, single_first, starts_of
from stemwire.schemas.models import Metric

_FULL_STOP = "。！？!?"
_IN_BRACKETS = re.compile(r"\s*[（(][^）)]*")
_FULL_STOP_MARK = re.compile(f"[{re.escape(_FULL_STOP)}]")
_CN_DIGITS = "零〇一二两三四五六七八九十百"
_NUM = rf"(?P<n>\d+(?:\.\d+)?|[{_CN_DIGITS}]+|半)"
_CN_RUN = re.compile(single_first(rf"[{_CN_DIGITS}]+"))
# Patterns that open with a length: re tries every position of the text for them (~0.2 ms each).
_OPEN_WITH_LENGTH = ("point", "report", "after_lead")
_HALF = re.compile("半")
_LIST_ITEM = re.compile(r"^\s*(?:[-•·・．●▪■◆]|\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳])")


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    return load_json("attribution_words.json")


@cache
def alt(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words()[key], key=len, reverse=True))


@lru_cache(maxsize=1)
def _after_number() -> str:
    """What follows a length's number: its unit, and 半 (一年半)."""
    units = "|".join(re.escape(u) for u in sorted(words()["time_units"], key=len, reverse=True))
    return rf"\s*(?P<u>{units})(?P<half>半)?"


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    length = _NUM + _after_number()
    return {
        # 术后3个月, 治疗后第6个月, 输注后1个月内
        "after": re.compile(rf"(?:{alt('after_treatment')})后\s*(?:第\s*)?{length}"),
        # 随访两年后, 治疗24周时, 平均随访3年时
        "follow": re.compile(
            rf"(?:{alt('follow_up')})\s*(?:时间|期)?(?:为|达)?\s*(?:第\s*)?{length}\s*(?:{alt('point_after')})"
        ),
        "ordinal": re.compile(rf"第\s*{length}"),
        # 12个月时, 一年时 (not 时间, 时期)
        "point": re.compile(rf"{length}\s*(?:时|的时候)(?![间期代长])"),
        # 两年随访数据, 18个月的结果
        "report": re.compile(rf"{length}\s*(?:{alt('report_nouns')})"),
        # 12周后，… at the start of a clause
        "after_lead": re.compile(rf"{length}\s*(?:后|以后|之后)"),
        "bare": re.compile(rf"{length}"),
    }


@dataclass(frozen=True)
class TimePoint:
    start: int
    end: int
    value: str
    window: bool = False  # a cumulative window's end (28天死亡率, 输注后1个月内)


def _iso(number: float, designator: str) -> str:
    if designator == "Y" and not float(number).is_integer() and float(number * 12).is_integer():
        number, designator = number * 12, "M"
    value = clean_number(number)
    return f"PT{value}H" if designator == "H" else f"P{value}{designator}"


def length_value(m: re.Match[str]) -> str | None:
    """The ISO 8601 duration a length pattern's match names (3个月 -> P3M), or None."""
    n = parse_number(m.group("n"))
    if n is None or n < 0:
        return None
    designator = words()["time_units"][m.group("u")]
    if designator == "Y" and n > 30:
        return None  # a calendar year
    if m.group("half"):
        n += 0.5
    return _iso(n, designator)


_JOIN = alternation("range_separators", extra=("、", "和", "及", "与", "或"))
_RANGE_AFTER = re.compile(rf"^\s*(?:{_JOIN})\s*第?\s*(?:\d|[一二两三四五六七八九十])")
_RANGE_BEFORE = re.compile(rf"(?:\d|[一二两三四五六七八九十])\s*(?:[\u4e00-\u9fff]{{0,2}})\s*(?:{_JOIN})\s*$")


def _period_follows(text: str, end: int) -> bool:
    after = text[end : end + 4]
    return after.startswith(tuple(words()["period_after"])) or bool(_RANGE_AFTER.match(after))


def _length_starts(text: str) -> list[int]:
    """Where a match of a pattern opening with a length can begin: at the start of a run of digits or of
    Chinese numerals, or at 半. Not inside a run: what follows a length's number (a unit, a point, a
    space) never begins with a numeral, so a match from inside a run would also match from its start."""
    return merged(digit_run_starts(text), starts_of(_CN_RUN, text), starts_of(_HALF, text))


def _bare_starts(text: str) -> list[int]:
    """Where a length matches: tried at the runs of Chinese numerals, at 半, and at the numbers followed
    by what can follow a length's number (scan.number_starts; digits are its first alternative)."""
    numbers = number_starts(text, _after_number())
    bare = patterns()["bare"].match
    return [s for s in merged(numbers, starts_of(_CN_RUN, text), starts_of(_HALF, text)) if bare(text, s)]


def find_time_points(
    text: str, layout: Layout, claims: Claims, taken: list[tuple[int, int]], measures: list[MeasureHit]
) -> list[TimePoint]:
    """Time expressions that can tie a figure to a time since treatment. `taken`: the figures' own spans."""
    p = patterns()
    found: dict[int, TimePoint] = {}
    # Each of these patterns opens with a length: only where one matches can they match.
    length_starts = _bare_starts(text)

    def matches(name: str) -> Iterator[re.Match[str]]:
        if name in _OPEN_WITH_LENGTH:
            return matches_at(p[name], text, length_starts)
        return p[name].finditer(text)

    def free(start: int, end: int) -> bool:
        if not layout.is_content(start) or claims.overlaps(start, end):
            return False
        return not any(s < end and start < e for s, e in taken)

    def add(start: int, end: int, value: str | None, window: bool = False) -> None:
        if value is None or not free(start, end):
            return
        if any(t.start <= start < t.end or start <= t.start < end for t in found.values()):
            return
        found[start] = TimePoint(start, end, value, window)

    for m in p["after"].finditer(text):
        end = m.end()
        window = text.startswith(("内", "以内", "之内"), end)
        if not window and _period_follows(text, end):
            continue
        add(m.start(), end, length_value(m), window)
    for m in p["follow"].finditer(text):
        if not _period_follows(text, m.end()):
            add(m.start(), m.end(), length_value(m))
    for m in p["ordinal"].finditer(text):
        if _period_follows(text, m.end()) or _RANGE_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        if text[max(0, m.start() - 1) : m.start()] in ("从", "自"):
            continue  # 从第90天 opens a period
        add(m.start(), m.end(), length_value(m))
    for m in matches("after_lead"):
        if _period_follows(text, m.end()) or text.startswith(tuple(words()["event_after_lead"]), m.end()):
            continue  # 3个月后开始…, 3个月后将公布结果: a period's opening or a later event, not a measurement
        lo = layout.clause_bounds(m.start("n"))[0]
        if text[lo : m.start("n")].strip() in ("", "在", "到", "至", "于"):
            add(m.start("n"), m.end(), length_value(m))
    for name in ("point", "report"):
        for m in matches(name):
            if text[max(0, m.start() - 1) : m.start()] == "第" or _RANGE_BEFORE.search(
                text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            add(m.start(), m.end(), length_value(m))
    # 28天死亡率: a length written just before a rate is the window it is counted over
    rate_starts = {h.start for h in measures if h.entry.kind in words()["rate_kinds"]}
    for start in sorted(rate_starts):
        ending = _last_length(text, start)
        if (
            ending is not None
            and not _RANGE_BEFORE.search(text[max(0, ending.start() - 8) : ending.start()])
            and text[max(0, ending.start() - 1) : ending.start()] != "第"
        ):
            add(ending.start(), ending.end(), length_value(ending), window=True)
    return sorted(found.values(), key=lambda t: t.start)


def one_time_in(line: str) -> tuple[str, int, int] | None:
    """The one time since treatment a short line names (表1 治疗12个月后两组指标, 随访第24周时：), with
    its span; None for none, for two (6个月和12个月), or for a period (12个月内, 从第3个月起)."""
    found: dict[str, tuple[int, int]] = {}
    for name in ("after", "follow", "ordinal", "point"):
        for m in patterns()[name].finditer(line):
            if _period_follows(line, m.end()) or _RANGE_BEFORE.search(line[max(0, m.start() - 8) : m.start()]):
                return None
            value = length_value(m)
            if value is None or line[max(0, m.start() - 1) : m.start()] in ("从", "自"):
                return None
            found.setdefault(value, (m.start(), m.end()))
    if len(found) != 1:
        return None
    ((value, (start, end)),) = found.items()
    return value, start, end


def _last_length(text: str, end: int) -> re.Match[str] | None:
    """The length that ends exactly at `end` (28天 of 28天死亡率)."""
    lo = max(0, end - 8)
    for start in range(lo, end):
        m = patterns()["bare"].fullmatch(text, start, end)
        if m is not None and (start == 0 or not (text[start - 1].isdigit() or text[start - 1] == ".")):
            return m
    return None


def full_sentence(text: str, layout: Layout, pos: int) -> tuple[int, int]:
    """From the last full stop (。！？) before pos to the next, within its line: ； does not end it."""
    line = layout.line_at(pos)
    stops = _full_stops(text)
    k = bisect.bisect_left(stops, pos)  # stops[k - 1] < pos <= stops[k]
    lo = stops[k - 1] + 1 if k and stops[k - 1] >= line.start else line.start
    return lo, (stops[k] + 1 if k < len(stops) and stops[k] < line.end else line.end)


@lru_cache(maxsize=2)
def _full_stops(text: str) -> tuple[int, ...]:
    """Where the text's full stops are, found once per article: a figure's sentence was ten scans of its line."""
    return tuple(starts_of(_FULL_STOP_MARK, text))


class Context:
    """What the attribution of one article's figures reads: its text, layout, figures in order and groups."""

    def __init__(self, text: str, layout: Layout, metrics: list[Metric], groups: list[Any]) -> None:
        self.text, self.layout, self.metrics, self.groups = text, layout, metrics, groups
        self.starts = sorted({m.start for m in metrics})
        self.comparators: Any = None  # attribution.py's index of where comparators are named

    def has_value(self, lo: int, hi: int) -> bool:
        k = bisect.bisect_left(self.starts, lo)
        return k < len(self.starts) and self.starts[k] < hi


def time_for(ctx: Context, times: list[TimePoint], i: int, resolved: list[TimePoint | None]) -> TimePoint | None:
    m = ctx.metrics[i]
    text, layout = ctx.text, ctx.layout
    if m.measure_key == "cell_dose" or m.unit in ("cells", "cells/kg"):
        return None
    c_lo, _ = layout.clause_bounds(m.start)
    s_lo, _ = layout.sentence_bounds(m.start)
    f_lo, _ = full_sentence(text, layout, m.start)
    base = _baseline(ctx, i, c_lo)
    if base is not None:
        return base
    if i > 0 and _IN_BRACKETS.fullmatch(text, ctx.metrics[i - 1].end, m.start):
        return resolved[i - 1]
    before = [t for t in times if t.end <= m.start]
    entry = measure_entries().get(m.measure_key or "")
    cumulative = entry is not None and entry.kind in words()["rate_kinds"]

    def fits(t: TimePoint) -> TimePoint | None:
        # 在移植后6周内监测: a window is a point only for what is counted over it (输注后1个月内病死率)
        return t if cumulative or not t.window else None

    in_clause = [t for t in before if t.start >= c_lo]
    if in_clause:
        return fits(in_clause[-1])
    # 有48%的患者在第12个月时仍缓解: the clause's only figure, its time written after it
    _, c_hi = layout.clause_bounds(m.start)
    after = [t for t in times if m.end <= t.start < c_hi]
    if after and not ctx.has_value(m.end, c_hi) and not _UNTIL.search(text[m.end : after[0].start]):
        return fits(after[0])
    in_sentence = [t for t in before if t.start >= s_lo]
    if in_sentence:
        return fits(in_sentence[-1])
    leads = [t for t in before if t.start >= f_lo and _is_lead(ctx, t)]
    if leads:
        return fits(leads[-1])
    if before and before[-1].start >= f_lo:
        return None  # a time tied to another figure of the sentence
    return _list_lead(ctx, times, m.start)


def _is_lead(ctx: Context, t: TimePoint) -> bool:
    """A time whose clause, up to a colon, reports no figure: 12个月时，… or 从基线到第28天的变化：…"""
    lo, hi = ctx.layout.clause_bounds(t.start)
    colon = min((i for i in (ctx.text.find(c, t.end, hi) for c in "：:") if i >= 0), default=hi)
    return not ctx.has_value(lo, colon)


_UNTIL = re.compile(r"至|到|直到|持续|维持|保持")
_CHANGE = re.compile(r"较|比|相比|变化|下降|降低|减少|增加|提高|提升|上升|增长|改善|升高|缩短|延长|减轻|至|到")


@lru_cache(maxsize=1)
def _baseline_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """从40分(降至30分): a 'from' word before the value, a 'to' verb after it."""
    return re.compile(rf"(?:{alt('from_words')})[^，,；;。\d]{{0,8}}$"), re.compile(rf"\s*(?:{alt('to_verbs')})")


def _baseline(ctx: Context, i: int, c_lo: int) -> TimePoint | None:
    """基线评分40分, the 40 of 从40分降至30分: the value before treatment."""
    m = ctx.metrics[i]
    w = words()
    lead = ctx.text[c_lo : m.start]
    after = ctx.text[m.end : m.end + 6]
    if _baseline_patterns()[0].search(lead) and _baseline_patterns()[1].match(after):
        return TimePoint(m.start, m.start, "P0D")
    base = max((lead.rfind(b) for b in w["baseline_words"]), default=-1)
    if base >= 0 and not lead[:base].endswith(("较", "比", "自", "从", "由")):  # 较基线提升了86: a change
        between = lead[base:]
        if not _CHANGE.search(between):
            return TimePoint(m.start, m.start, "P0D")
    return None


def _list_lead(ctx: Context, times: list[TimePoint], pos: int) -> TimePoint | None:
    """第18个月的数据显示：followed by list items: the lead-in's time is each item's."""
    layout, text = ctx.layout, ctx.text
    line = layout.line_at(pos)
    if not _LIST_ITEM.match(text[line.start : line.end]):
        return None
    index = layout.line_index(pos)
    while index > 0:
        index -= 1
        prev = layout.lines[index]
        chunk = text[prev.start : prev.end]
        if not chunk.strip():
            return None
        if _LIST_ITEM.match(chunk):
            continue
        stripped = chunk.rstrip()
        if not stripped.endswith(("：", ":")):
            return None
        lo = max((stripped.rfind(ch) for ch in SENTENCE_END + ",，"), default=-1) + 1 + prev.start
        lead = [t for t in times if lo <= t.start < prev.start + len(stripped)]
        return lead[-1] if len(lead) == 1 or (lead and len({t.value for t in lead}) == 1) else None
    return None
