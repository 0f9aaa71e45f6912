"""Which group a figure describes (its arm) and when it was measured (its time point).

An arm is read only from what the text states: a group named with the figure (安慰剂组27.7%), the
groups of a "respectively" list (两组分别为-5.52分和-5.88分) or of a "versus" pair (34.6%对15.6%), a
between-group wording (比安慰剂组多改善13.31%, 相差2.01分) or a ratio (OR=0.18). The treated group is
named `intervention` only where a comparator is stated near the figure: dose cohorts of one arm
are not comparators.

Time points are time_points.py's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.groups import Comparators as _Comparators
from stemwire.extractors.groups import Group as _Group
from stemwire.extractors.groups import GroupArm
from stemwire.extractors.groups import find_groups as _groups
from stemwire.extractors.groups import rx as _rx
from stemwire.extractors.layout import Layout
from stemwire.extractors.measures import MeasureHit
from stemwire.extractors.time_points import Context, TimePoint, find_time_points, time_for
from stemwire.extractors.time_points import full_sentence as _full_sentence
from stemwire.extractors.time_points import words as _words
from stemwire.schemas.models import Metric

Arm = Literal["intervention", "control", "comparison"]
_GroupArm = GroupArm
_CONTEXT_BACK = 800
_CONTEXT_AHEAD = 400
_PAIR_BACK = 1500
_FULL_STOP = "。！？!?"
_NUM = r"(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|半)"
_LIST_ITEM = re.compile(r"^\s*(?:[-•·・．●▪■◆]|\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳])")


def _comparator_stated(ctx: Context, pos: int) -> bool:
    section = ctx.layout.section_at(pos)
    lo, hi = max(section.start, pos - _CONTEXT_BACK), min(section.end, pos + _CONTEXT_AHEAD)
    return bool(ctx.comparators.any_between(lo, hi))


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


def _clause_has_comparison(ctx: Context, lo: int, pos: int) -> bool:
    """比安慰剂组, 较对照组, 超过急性移植组, 与对照组相比, 是对照组的: a group compared with, before pos."""
    lead = ctx.text[lo:pos]
    heads = [g for g in ctx.groups if lo <= g.start and g.end <= pos]
    for g in heads:
        before = ctx.text[max(lo, g.start - 4) : g.start]
        if _rx("compare_before").search(before):
            return True
        if _rx("with_before").search(before) and _rx("compare_after").search(ctx.text[g.end : min(pos, g.end + 8)]):
            return True
        if _IS_BEFORE.search(before) and ctx.text.startswith("的", g.end) and g.end + 4 >= pos:
            return True
    if _rx("compare_control").search(lead):
        return True
    # 与未处理的类器官相比, 前者是后者的1.8倍: a comparison with a comparator named without 组
    return bool(_rx("with_control").search(lead) or _rx("ratio_of_groups").search(lead))


def _arm_for(ctx: Context, i: int, arms: list[Arm | None]) -> Arm | None:
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
    strong = (
        "相差",
        "只差",
        "仅差",
        "差值",
        "差异为",
        "组间差异",
        "差距",
        "净差",
        "相对降低",
        "相对减少",
        "相对风险降低",
    )
    tail = _TAIL_FILLERS.sub("", lead[-12:])
    comparator = _comparator_stated(ctx, m.start)
    if tail.endswith(strong):
        return "comparison"
    own_value = _compared_groups_value(ctx, c_lo, m)
    if own_value is not None:  # 高于对照组的38%: the compared group's own figure
        return own_value if own_value == "control" or comparator else None
    if m.unit != "fold" and _COMPARED_VALUE.search(lead):
        return None  # 较入组前一年的40%: the value compared with, of no group
    if _clause_has_comparison(ctx, c_lo, m.start) or _GROUP_COMPARED.search(lead):
        return "comparison"
    if comparator and tail.endswith(tuple(w["comparison_before"])):
        return "comparison"
    # a figure in parentheses after another (降幅20.4%), (OR=0.18) took care of itself above
    if i > 0 and _IN_BRACKETS.fullmatch(text, ctx.metrics[i - 1].end, m.start):
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
    if not own and comparator and _control_follows(ctx, i):
        return "intervention"  # 发生率为8.3%，对照组为15.0%: the figure the control's is set against
    if not own and (carried := _carried_group(ctx, i, s_lo, c_lo, arms)) is not None:
        return carried if carried == "control" or comparator else None
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


_IS_BEFORE = re.compile(r"(?:是|为)$")
_TAIL_FILLERS = re.compile(r"(?:了|约|近|达|为|是|分别|平均|\s)+$")
_IN_BRACKETS = re.compile(r"\s*[（(][^）)]*")  # (降幅20.4%: a figure in brackets after another
_OF_SPACE = re.compile(r"的\s*")
_COMPARED_VALUE = re.compile(r"(?:较|比|高于|低于|超过)[^，,；;。]{1,14}的\s*$")
_GROUP_COMPARED = re.compile(
    r"(?:(?<![相对])比|较)\s*[\u4e00-\u9fffA-Za-z0-9\-]{1,10}?组(?!的?\s*$)|(?:是|为)[\u4e00-\u9fffA-Za-z0-9\-]{1,10}?组的\s*$"
)


def _compared_groups_value(ctx: Context, c_lo: int, m: Metric) -> Arm | None:
    """高于对照组的38%: a value right after '<comparison word> <group> 的' is that group's own (a fold
    after it, 是悬液组的3倍, is a comparison and is not read here)."""
    if m.unit in (None, "fold"):
        return None
    for g in ctx.groups:
        if c_lo <= g.start and g.end <= m.start and _OF_SPACE.fullmatch(ctx.text, g.end, m.start):
            before = ctx.text[max(c_lo, g.start - 4) : g.start]
            if _rx("compare_end").search(before) and g.arm in ("intervention", "control"):
                return g.arm
    return None


def _control_follows(ctx: Context, i: int) -> bool:
    """The next figure, of the same unit and sentence, is in the next clause, which names the control
    group (而安慰剂组为21%, 对照组为15.0%, 高于对照组的38%)."""
    m = ctx.metrics[i]
    if i + 1 >= len(ctx.metrics):
        return False
    nxt = ctx.metrics[i + 1]
    layout = ctx.layout
    if nxt.unit != m.unit or layout.sentence_bounds(nxt.start) != layout.sentence_bounds(m.start):
        return False
    n_lo, _ = layout.clause_bounds(nxt.start)
    _, c_hi = layout.clause_bounds(m.start)
    if n_lo > c_hi + 1:
        return False  # a clause between: not a pair
    return any(n_lo <= g.start and g.end <= nxt.start and g.arm == "control" for g in ctx.groups)


def _carried_group(ctx: Context, i: int, s_lo: int, c_lo: int, arms: list[Arm | None]) -> Arm | None:
    """细胞组LVEF提高了4.3个百分点，6分钟步行距离增加35米: the group named with the sentence's first figure
    carries over its later clauses, while each clause reports a figure of that group and no other group
    or contrast word comes between."""
    text = ctx.text
    if text[c_lo : ctx.metrics[i].start].lstrip().startswith(tuple(_words()["carry_stops"])):
        return None
    for j in range(i - 1, -1, -1):
        prev = ctx.metrics[j]
        if prev.start < s_lo:
            return None
        if arms[j] not in ("intervention", "control"):
            return None
        between = [g for g in ctx.groups if prev.end <= g.start < ctx.metrics[i].start and g.arm != "both"]
        if between:
            return None
        p_lo, _ = ctx.layout.clause_bounds(prev.start)
        if [g for g in ctx.groups if p_lo <= g.start < prev.start and g.arm != "both"]:
            return arms[j]  # the group named in that figure's own clause
    return None


def _lead_compares(ctx: Context, s_lo: int, c_lo: int) -> bool:
    """A clause of the sentence before the figure's, reporting no figure, that compares with a group."""
    pos = s_lo
    while pos < c_lo:
        lo, hi = ctx.layout.clause_bounds(pos)
        if not ctx.has_value(lo, hi) and _clause_has_comparison(ctx, lo, hi):
            return True
        pos = max(hi, pos + 1)
    return False


def _versus(ctx: Context, i: int) -> int | None:
    """0 or 1: the figure's place in a pair '34.6%对15.6%'."""
    sep = _rx("versus")
    m = ctx.metrics[i]
    nxt = ctx.metrics[i + 1] if i + 1 < len(ctx.metrics) else None
    prev = ctx.metrics[i - 1] if i > 0 else None
    if nxt is not None and nxt.unit == m.unit and sep.match(ctx.text[m.end : nxt.start]):
        if prev is not None and prev.unit == m.unit and sep.match(ctx.text[prev.end : m.start]):
            return None  # a chain of three
        return 0
    if prev is not None and prev.unit == m.unit and sep.match(ctx.text[prev.end : m.start]):
        return 1
    return None


@lru_cache(maxsize=1)
def _respectively_words() -> tuple[str, ...]:
    return tuple(sorted(_words()["respectively"], key=len, reverse=True))


def _respectively(ctx: Context, i: int, s_lo: int) -> tuple[int, list[_Group]] | None:
    """(index in the list, groups named before 分别) for a figure of a 'respectively' list."""
    m = ctx.metrics[i]
    text = ctx.text
    found = None
    for word in _respectively_words():
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


def attribute_metrics(
    metrics: list[Metric], original: str, text: str, layout: Layout, claims: Claims, measures: list[MeasureHit]
) -> None:
    """Set each metric's arm and time point where the text states them."""
    if not metrics:
        return
    ordered = sorted(range(len(metrics)), key=lambda k: (metrics[k].start, metrics[k].range_part or ""))
    seq = [metrics[k] for k in ordered]
    times = find_time_points(text, layout, claims, [(m.start, m.end) for m in seq], measures)
    ctx = Context(text, layout, seq, _groups(text, layout))
    ctx.comparators = _Comparators(text, ctx.groups)
    arms: list[Arm | None] = []
    resolved: list[TimePoint | None] = []
    for i, m in enumerate(seq):
        arm = _arm_for(ctx, i, arms)
        arms.append(arm)
        t = time_for(ctx, times, i, resolved)
        resolved.append(t)
        m.arm = arm
        if t is not None:
            m.time_point = t.value
            m.time_point_text = original[t.start : t.end] if t.end > t.start else None
