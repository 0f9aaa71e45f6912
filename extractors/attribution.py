"""Which group a figure describes (its arm) and when it was measured (its time point).

An arm is read only from what the text states: a group named with the figure (安慰剂组27.7%), the
groups of a "respectively" list (两组分别为-5.52分和-5.88分) or of a "versus" pair (34.6%对15.6%), a
between-group wording (比安慰剂组多改善13.31%, 相差2.01分) or a ratio (OR=0.18). The treated group is
named `intervention` only where a comparator is stated near the figure: dose cohorts of one arm
are not comparators.

A time point is the time since treatment that the text ties to the figure: in its clause
(第28天整体反应率为70%), in a lead clause of its sentence (12个月时，…), in a lead-in ending with a
colon (第18个月的数据显示：) of the list that holds it, or its window (28天死亡率, 输注后1个月内).
Periods and ranges (从第90天起, 第3至6个月, 6周内) and study-design lengths (随访24个月) are none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import SENTENCE_END, Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.measures import MeasureHit, measure_entries
from stemwire.extractors.numerals import clean_number, parse_number
from stemwire.extractors.resources import load_json
from stemwire.schemas.models import Metric

Arm = Literal["intervention", "control", "comparison"]
_GroupArm = Literal["intervention", "control", "cohort", "both"]
_FULL_STOP = "。！？!?"
_NUM = r"(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|半)"
_LIST_ITEM = re.compile(r"^\s*(?:[-•·・．●▪■◆]|\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳])")
_LABEL_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-+]")
_LABEL_STOPS = set("组的在和与及、而但为是有比较了从其仅只共各中将到入至按即被给经予用把让向于")
_LABEL_MAX = 10
_CONTEXT_BACK = 800
_CONTEXT_AHEAD = 400
_PAIR_BACK = 1500


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("attribution_words.json")


@cache
def _alt(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(_words()[key], key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    units = "|".join(re.escape(u) for u in sorted(_words()["time_units"], key=len, reverse=True))
    length = rf"{_NUM}\s*(?P<u>{units})(?P<half>半)?"
    return {
        # 术后3个月, 治疗后第6个月, 输注后1个月内
        "after": re.compile(rf"(?:{_alt('after_treatment')})后\s*(?:第\s*)?{length}"),
        # 随访两年后, 治疗24周时, 平均随访3年时
        "follow": re.compile(
            rf"(?:{_alt('follow_up')})\s*(?:时间|期)?(?:为|达)?\s*(?:第\s*)?{length}\s*(?:{_alt('point_after')})"
        ),
        "ordinal": re.compile(rf"第\s*{length}"),
        # 12个月时, 一年时 (not 时间, 时期)
        "point": re.compile(rf"{length}\s*(?:时|的时候)(?![间期代长])"),
        # 两年随访数据, 18个月的结果
        "report": re.compile(rf"{length}\s*(?:{_alt('report_nouns')})"),
        # 12周后，… at the start of a clause
        "after_lead": re.compile(rf"{length}\s*(?:后|以后|之后)(?=\s*[，,])"),
        "bare": re.compile(rf"{length}"),
    }


@dataclass(frozen=True)
class TimePoint:
    start: int
    end: int
    value: str
    window: bool = False  # a cumulative window's end (28天死亡率, 输注后1个月内)


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    arm: _GroupArm


def _iso(number: float, designator: str) -> str:
    if designator == "Y" and not float(number).is_integer() and float(number * 12).is_integer():
        number, designator = number * 12, "M"
    value = clean_number(number)
    return f"PT{value}H" if designator == "H" else f"P{value}{designator}"


def _length(m: re.Match[str]) -> str | None:
    n = parse_number(m.group("n"))
    if n is None or n < 0:
        return None
    designator = _words()["time_units"][m.group("u")]
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
    return after.startswith(tuple(_words()["period_after"])) or bool(_RANGE_AFTER.match(after))


def find_time_points(
    text: str, layout: Layout, claims: Claims, taken: list[tuple[int, int]], measures: list[MeasureHit]
) -> list[TimePoint]:
    """Time expressions that can tie a figure to a time since treatment. `taken`: the figures' own spans."""
    p = _patterns()
    found: dict[int, TimePoint] = {}

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
        add(m.start(), end, _length(m), window)
    for m in p["follow"].finditer(text):
        if not _period_follows(text, m.end()):
            add(m.start(), m.end(), _length(m))
    for m in p["ordinal"].finditer(text):
        if _period_follows(text, m.end()) or _RANGE_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        if text[max(0, m.start() - 1) : m.start()] in ("从", "自"):
            continue  # 从第90天 opens a period
        add(m.start(), m.end(), _length(m))
    for m in p["after_lead"].finditer(text):
        lo = layout.clause_bounds(m.start("n"))[0]
        if text[lo : m.start("n")].strip() in ("", "在", "到", "至", "于"):
            add(m.start("n"), m.end(), _length(m))
    for name in ("point", "report"):
        for m in p[name].finditer(text):
            if text[max(0, m.start() - 1) : m.start()] == "第" or _RANGE_BEFORE.search(
                text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            add(m.start(), m.end(), _length(m))
    # 28天死亡率: a length written just before a rate is the window it is counted over
    rate_starts = {h.start for h in measures if h.entry.kind in _words()["rate_kinds"]}
    for start in sorted(rate_starts):
        ending = _last_length(text, start)
        if (
            ending is not None
            and not _RANGE_BEFORE.search(text[max(0, ending.start() - 8) : ending.start()])
            and text[max(0, ending.start() - 1) : ending.start()] != "第"
        ):
            add(ending.start(), ending.end(), _length(ending), window=True)
    return sorted(found.values(), key=lambda t: t.start)


def _last_length(text: str, end: int) -> re.Match[str] | None:
    """The length that ends exactly at `end` (28天 of 28天死亡率)."""
    lo = max(0, end - 8)
    for start in range(lo, end):
        m = _patterns()["bare"].fullmatch(text, start, end)
        if m is not None and (start == 0 or not (text[start - 1].isdigit() or text[start - 1] == ".")):
            return m
    return None


def _full_sentence(text: str, layout: Layout, pos: int) -> tuple[int, int]:
    """From the last full stop (。！？) before pos to the next, within its line: ； does not end it."""
    line = layout.line_at(pos)
    lo = max((text.rfind(ch, line.start, pos) for ch in _FULL_STOP), default=-1)
    lo = line.start if lo < 0 else lo + 1
    ends = [i for i in (text.find(ch, pos, line.end) for ch in _FULL_STOP) if i >= 0]
    return lo, (min(ends) + 1 if ends else line.end)


def _groups(text: str, layout: Layout) -> list[_Group]:
    """Group labels (安慰剂组, MSC组, 高剂量组, 两组) and bare comparator words (接受安慰剂的患者)."""
    w = _words()
    control = tuple(w["control_words"])
    not_group = tuple(w["not_group"])
    found: list[_Group] = []
    for i in (m.start() for m in re.finditer("组", text)):
        if not layout.is_content(i) or text.startswith(("组间", "组别", "组成", "组织", "组合", "组建"), i):
            continue
        both = next((b for b in w["two_groups"] if text.endswith(b, 0, i + 1)), None)
        if both is not None:
            found.append(_Group(i + 1 - len(both), i + 1, "both"))
            continue
        start = i
        while start > 0 and i - start < _LABEL_MAX and _LABEL_CHAR.match(text[start - 1]):
            if text[start - 1] in _LABEL_STOPS and not text.endswith(control, 0, i):
                break
            start -= 1
        label = text[start:i]
        # 比安慰剂组: the comparison word is no part of the label; 对照 keeps its 对
        cut = max((label.rfind(c) for c in _LABEL_STOPS if c != "组"), default=-1)
        control_hit = next((c for c in sorted(control, key=len, reverse=True) if label.endswith(c)), None)
        if control_hit is not None:
            found.append(_Group(i - len(control_hit), i + 1, "control"))
            continue
        if cut >= 0:
            label, start = label[cut + 1 :], start + cut + 1
        # 强度超过急性移植组: what precedes a comparison word is no part of the label
        opener = max(((label.rfind(c), c) for c in w["compare_words"] if c in label[:-1]), default=None)
        if opener is not None:
            cut_at = opener[0] + len(opener[1])
            label, start = label[cut_at:], start + cut_at
        if not label:
            continue
        if label.endswith(not_group):
            continue
        if any(c in label for c in control):
            found.append(_Group(start, i + 1, "control"))
        elif any(c in label for c in w["cohort_words"]):
            found.append(_Group(start, i + 1, "cohort"))
        elif re.search(r"[A-Za-z]", label) or any(c in label for c in w["intervention_words"]):
            found.append(_Group(start, i + 1, "intervention"))
    # 接受安慰剂的患者, 安慰剂为27.7%: a comparator named without 组
    bare = re.compile(
        rf"(?:{_alt('control_words')})(?=者|患者|受试者|的患者|的受试者|治疗的|注射的|为|是|则|仅|只|中|群|臂)"
    )
    for m in bare.finditer(text):
        if layout.is_content(m.start()) and not any(g.start <= m.start() < g.end for g in found):
            found.append(_Group(m.start(), m.end(), "control"))
    # 接受干细胞治疗的患者: a treated group named by what it received
    received = re.compile(
        rf"接受[^，,。；;]{{1,12}}?(?:{_alt('delivery_nouns')})的?(?:{alternation('participant_nouns')})"
    )
    for m in received.finditer(text):
        if layout.is_content(m.start()) and not any(g.start <= m.start() < g.end for g in found):
            arm: _GroupArm = "control" if any(c in m.group() for c in control) else "intervention"
            found.append(_Group(m.start(), m.end(), arm))
    return sorted(found, key=lambda g: g.start)


def _comparator_stated(text: str, layout: Layout, pos: int) -> bool:
    section = layout.section_at(pos)
    lo, hi = max(section.start, pos - _CONTEXT_BACK), min(section.end, pos + _CONTEXT_AHEAD)
    window = text[lo:hi]
    for neg in _words()["no_control"]:
        window = window.replace(neg, "\0" * len(neg))
    return any(c in window for c in _words()["control_words"])


def _order_before(groups: list[_Group], pos: int, lo: int) -> list[Arm] | None:
    """The order in which the last two groups of distinct arms were named before pos."""
    named = [g for g in groups if lo <= g.start < pos and g.arm in ("intervention", "control", "cohort")]
    for a, b in zip(reversed(named[:-1]), reversed(named[1:]), strict=True):
        arms = [_as_arm(a.arm), _as_arm(b.arm)]
        if arms[0] != arms[1]:
            return arms  # type: ignore[return-value]
    return None


def _as_arm(arm: _GroupArm) -> str:
    return "intervention" if arm == "cohort" else arm


def _metrics_between(metrics: list[Metric], lo: int, hi: int) -> list[Metric]:
    return [m for m in metrics if lo <= m.start < hi]


class _Context:
    def __init__(self, text: str, layout: Layout, metrics: list[Metric], groups: list[_Group]) -> None:
        self.text, self.layout, self.metrics, self.groups = text, layout, metrics, groups
        self.starts = sorted({m.start for m in metrics})

    def has_value(self, lo: int, hi: int) -> bool:
        return any(lo <= s < hi for s in self.starts)


def _clause_has_comparison(ctx: _Context, lo: int, pos: int) -> bool:
    """比安慰剂组, 较对照组, 超过急性移植组, 与对照组相比, 是对照组的: a group compared with, before pos."""
    lead = ctx.text[lo:pos]
    heads = [g for g in ctx.groups if lo <= g.start and g.end <= pos]
    for g in heads:
        before = ctx.text[max(lo, g.start - 4) : g.start]
        if re.search(rf"(?:{_alt('compare_words')})\s*(?:接受|使用)?$", before):
            return True
        if re.search(rf"(?:{_alt('compare_with')})\s*(?:接受|使用)?$", before) and re.search(
            _alt("compare_after"), ctx.text[g.end : min(pos, g.end + 8)]
        ):
            return True
        if re.search(r"(?:是|为)$", before) and ctx.text.startswith("的", g.end) and g.end + 4 >= pos:
            return True
    return bool(re.search(rf"(?:{_alt('compare_words')})\s*(?:对照|安慰剂|假手术|常规|标准)", lead))


def _arm_for(ctx: _Context, i: int, arms: list[Arm | None]) -> Arm | None:
    m = ctx.metrics[i]
    text, layout = ctx.text, ctx.layout
    if m.measure_key == "cell_dose" or m.unit in ("cells", "cells/kg"):
        return None
    if m.unit is None:
        return "comparison"  # a hazard, odds or risk ratio is itself between groups
    c_lo, _ = layout.clause_bounds(m.start)
    s_lo, _ = layout.sentence_bounds(m.start)
    lead = text[c_lo : m.start]
    w = _words()
    strong = ("相差", "只差", "仅差", "差值", "差异为", "差距", "净差", "相对降低", "相对减少", "相对风险降低")
    tail = re.sub(r"(?:了|约|近|达|为|是|分别|平均|\s)+$", "", lead[-12:])
    comparator = _comparator_stated(text, layout, m.start)
    if tail.endswith(strong):
        return "comparison"
    if _clause_has_comparison(ctx, c_lo, m.start):
        return "comparison"
    if comparator and tail.endswith(tuple(w["comparison_before"])):
        return "comparison"
    # a figure in parentheses after another (降幅20.4%), (OR=0.18) took care of itself above
    if i > 0 and re.fullmatch(r"\s*[（(][^）)]*", text[ctx.metrics[i - 1].end : m.start]):
        return arms[i - 1]
    pair = _versus(ctx, i)
    if pair is not None:  # a pair is two groups by itself; their order is the order they were named in
        order = _order_before(ctx.groups, m.start, max(0, m.start - _PAIR_BACK))
        if order is None and comparator:
            order = ["intervention", "control"]
        return order[pair] if order is not None else None
    listed = _respectively(ctx, i, s_lo)
    if listed is not None:
        index, named = listed
        if named and len(named) > index:
            arm = _as_arm(named[index].arm)
            return arm if arm == "control" or comparator else None  # type: ignore[return-value]
        if not named:  # 两组分别为…
            order = _order_before(ctx.groups, m.start, max(0, m.start - _PAIR_BACK))
            return order[index] if order is not None and index < 2 else None
        return None
    own = [g for g in ctx.groups if c_lo <= g.start and g.end <= m.start and g.arm != "both"]
    if not own and _lead_compares(ctx, s_lo, c_lo):
        return "comparison"  # 与安慰剂相比，死亡风险降低了35%
    if not own:  # 高剂量组患者中，…: a lead clause of the sentence names the group
        own = [
            g
            for g in ctx.groups
            if s_lo <= g.start < c_lo and g.arm != "both" and not ctx.has_value(*layout.clause_bounds(g.start))
        ]
    if own:
        g = own[-1]
        if ctx.has_value(g.end, m.start) and _metrics_between(ctx.metrics, g.end, m.start)[0].unit == m.unit:
            return None  # another figure of the same kind stands between the group and this one
        arm = _as_arm(g.arm)
        return arm if arm == "control" or comparator else None  # type: ignore[return-value]
    # further figures of a sentence that compares groups are differences too (；但…减少15.45%)
    f_lo, _ = _full_sentence(text, layout, m.start)
    for j in range(i - 1, -1, -1):
        prev = ctx.metrics[j]
        if prev.start < f_lo:
            break
        if arms[j] is not None:
            return "comparison" if arms[j] == "comparison" and prev.unit is not None else None
    return None


def _lead_compares(ctx: _Context, s_lo: int, c_lo: int) -> bool:
    """A clause of the sentence before the figure's, reporting no figure, that compares with a group."""
    pos = s_lo
    while pos < c_lo:
        lo, hi = ctx.layout.clause_bounds(pos)
        if not ctx.has_value(lo, hi) and _clause_has_comparison(ctx, lo, hi):
            return True
        pos = max(hi, pos + 1)
    return False


def _versus(ctx: _Context, i: int) -> int | None:
    """0 or 1: the figure's place in a pair '34.6%对15.6%'."""
    sep = rf"^\s*(?:{_alt('versus')})\s*$"
    m = ctx.metrics[i]
    nxt = ctx.metrics[i + 1] if i + 1 < len(ctx.metrics) else None
    prev = ctx.metrics[i - 1] if i > 0 else None
    if nxt is not None and nxt.unit == m.unit and re.match(sep, ctx.text[m.end : nxt.start]):
        if prev is not None and prev.unit == m.unit and re.match(sep, ctx.text[prev.end : m.start]):
            return None  # a chain of three
        return 0
    if prev is not None and prev.unit == m.unit and re.match(sep, ctx.text[prev.end : m.start]):
        return 1
    return None


def _respectively(ctx: _Context, i: int, s_lo: int) -> tuple[int, list[_Group]] | None:
    """(index in the list, groups named before 分别) for a figure of a 'respectively' list."""
    m = ctx.metrics[i]
    text = ctx.text
    found = None
    for word in sorted(_words()["respectively"], key=len, reverse=True):
        k = text.rfind(word, s_lo, m.start)
        if k >= 0 and (found is None or k > found):
            found = k
    if found is None:
        return None
    items = [x for x in ctx.metrics if found < x.start <= m.start and x.unit == m.unit and x.range_part != "end"]
    between = text[found : m.start]
    if re.search(r"[，,；;。]", between) and not re.fullmatch(r"[^，,；;。]*(?:[，,][^，,；;。]*)?", between):
        return None
    index = len(items) - 1
    clause_lo = ctx.layout.clause_bounds(found)[0]
    lo = max(s_lo, clause_lo - 40)
    named = [g for g in ctx.groups if lo <= g.start < found]
    if any(g.arm == "both" for g in named):
        return index, []
    return (index, named) if len(named) >= 2 else None


def _time_for(ctx: _Context, times: list[TimePoint], i: int, resolved: list[TimePoint | None]) -> TimePoint | None:
    m = ctx.metrics[i]
    text, layout = ctx.text, ctx.layout
    if m.measure_key == "cell_dose" or m.unit in ("cells", "cells/kg"):
        return None
    c_lo, _ = layout.clause_bounds(m.start)
    s_lo, _ = layout.sentence_bounds(m.start)
    f_lo, _ = _full_sentence(text, layout, m.start)
    base = _baseline(ctx, i, c_lo)
    if base is not None:
        return base
    if i > 0 and re.fullmatch(r"\s*[（(][^）)]*", text[ctx.metrics[i - 1].end : m.start]):
        return resolved[i - 1]
    before = [t for t in times if t.end <= m.start]
    entry = measure_entries().get(m.measure_key or "")
    cumulative = entry is not None and entry.kind in _words()["rate_kinds"]

    def fits(t: TimePoint) -> TimePoint | None:
        # 在移植后6周内监测: a window is a point only for what is counted over it (输注后1个月内病死率)
        return t if cumulative or not t.window else None

    in_clause = [t for t in before if t.start >= c_lo]
    if in_clause:
        return fits(in_clause[-1])
    in_sentence = [t for t in before if t.start >= s_lo]
    if in_sentence:
        return fits(in_sentence[-1])
    leads = [t for t in before if t.start >= f_lo and _is_lead(ctx, t)]
    if leads:
        return fits(leads[-1])
    if before and before[-1].start >= f_lo:
        return None  # a time tied to another figure of the sentence
    return _list_lead(ctx, times, m.start)


def _is_lead(ctx: _Context, t: TimePoint) -> bool:
    """A time whose clause, up to a colon, reports no figure: 12个月时，… or 从基线到第28天的变化：…"""
    lo, hi = ctx.layout.clause_bounds(t.start)
    colon = min((i for i in (ctx.text.find(c, t.end, hi) for c in "：:") if i >= 0), default=hi)
    return not ctx.has_value(lo, colon)


def _baseline(ctx: _Context, i: int, c_lo: int) -> TimePoint | None:
    """基线评分40分, the 40 of 从40分降至30分: the value before treatment."""
    m = ctx.metrics[i]
    w = _words()
    lead = ctx.text[c_lo : m.start]
    to_verbs = _alt("to_verbs")
    after = ctx.text[m.end : m.end + 6]
    if re.search(rf"(?:{_alt('from_words')})[^，,；;。\d]{{0,8}}$", lead) and re.match(rf"\s*(?:{to_verbs})", after):
        return TimePoint(m.start, m.start, "P0D")
    base = max((lead.rfind(b) for b in w["baseline_words"]), default=-1)
    if base >= 0:
        between = lead[base:]
        if not re.search(r"较|比|相比|变化|下降|降低|减少|增加|提高|改善|升高|至|到", between):
            return TimePoint(m.start, m.start, "P0D")
    return None


def _list_lead(ctx: _Context, times: list[TimePoint], pos: int) -> TimePoint | None:
    """第18个月的数据显示：followed by list items: the lead-in's time is each item's."""
    layout, text = ctx.layout, ctx.text
    line = layout.line_at(pos)
    if not _LIST_ITEM.match(text[line.start : line.end]):
        return None
    index = layout.lines.index(line)
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


def attribute_metrics(
    metrics: list[Metric], original: str, text: str, layout: Layout, claims: Claims, measures: list[MeasureHit]
) -> None:
    """Set each metric's arm and time point where the text states them."""
    if not metrics:
        return
    ordered = sorted(range(len(metrics)), key=lambda k: (metrics[k].start, metrics[k].range_part or ""))
    seq = [metrics[k] for k in ordered]
    times = find_time_points(text, layout, claims, [(m.start, m.end) for m in seq], measures)
    ctx = _Context(text, layout, seq, _groups(text, layout))
    arms: list[Arm | None] = []
    resolved: list[TimePoint | None] = []
    for i, m in enumerate(seq):
        arm = _arm_for(ctx, i, arms)
        arms.append(arm)
        t = _time_for(ctx, times, i, resolved)
        resolved.append(t)
        m.arm = arm
        if t is not None:
            m.time_point = t.value
            m.time_point_text = original[t.start : t.end] if t.end > t.start else None
