"""Which endpoint a figure reports, and whether it describes a subgroup rather than the whole trial.

Both are read only from the words of the text, never from the order of the figures (the first
figure is not the primary endpoint by being first):
- primary / secondary: the figure follows 主要终点 (主要结局, 主要疗效指标, …) or 次要终点 in its sentence,
  with no other endpoint word between, or its list's lead-in line ending with a colon names one; or
  the sentence naming the primary endpoint names its measure (主要终点是28天死亡率) and the figure,
  later in the paragraph, reports that measure;
- subgroup: its clause, or a lead clause of its sentence, names a subgroup (65岁以上亚组中, 亚组分析显示).
  A subgroup's figure is kept apart: it carries the subgroup's name and is never the primary endpoint.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from stemwire.extractors.layout import Layout
from stemwire.extractors.measures import measures_in
from stemwire.extractors.scan import case_variants, matches_at, starts_of
from stemwire.extractors.time_points import words
from stemwire.schemas.models import Metric

_SUBGROUP_NAME_MAX = 12


@lru_cache(maxsize=1)
def _endpoint_words() -> re.Pattern[str]:
    w = words()
    named = [(x, "p") for x in w["primary_endpoint_words"]] + [(x, "s") for x in w["secondary_endpoint_words"]]
    return re.compile("|".join(f"(?P<{k}{i}>{re.escape(x)})" for i, (x, k) in enumerate(named)), re.I)


@lru_cache(maxsize=1)
def _endpoint_openings() -> re.Pattern[str]:
    """Where an endpoint word can begin. The case-blind alternation tries every position of the
    text (1.6 ms per article); tried only at these characters it finds the same matches."""
    w = words()
    firsts = case_variants({x[0] for x in (*w["primary_endpoint_words"], *w["secondary_endpoint_words"])})
    return re.compile(f"[{re.escape(firsts)}]")


def _endpoint_matches(text: str, starts: list[int], lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
    """`_endpoint_words().finditer(text, lo, hi)`, tried only at `starts` (_endpoint_openings)."""
    return matches_at(_endpoint_words(), text, starts[bisect_left(starts, lo) :], lo, hi)


def _last_endpoint(text: str, starts: list[int], lo: int, hi: int) -> bool | None:
    """True / False for the last primary / secondary endpoint word in text[lo:hi], None if none."""
    last = None
    for m in _endpoint_matches(text, starts, lo, hi):
        last = m
    if last is None or last.lastgroup is None:
        return None
    return last.lastgroup.startswith("p")


def _lead_in(text: str, layout: Layout, pos: int) -> tuple[int, int] | None:
    """The line before pos's line, where it ends with a colon (主要终点结果如下：)."""
    k = layout.line_index(pos)
    while k > 0:
        k -= 1
        prev = layout.lines[k]
        body = text[prev.start : prev.end].strip()
        if body:
            return (prev.start, prev.end) if body.endswith((":", "：")) else None
    return None


def _subgroup(text: str, layout: Layout, m: Metric) -> str | None:
    s_lo, _ = layout.sentence_bounds(m.start)
    lead = text[s_lo : m.start]
    w = words()
    found = None
    for word in w["subgroup_words"]:
        k = lead.lower().rfind(word.lower())
        if k >= 0 and (found is None or k > found[0]):
            found = (k, word)
    if found is None:
        return None
    k, word = found
    start = k
    while start > 0 and k - start < _SUBGROUP_NAME_MAX and lead[start - 1] not in w["subgroup_stops"]:
        start -= 1
    return text[s_lo + start : s_lo + k + len(word)]


def _named_primary_measures(text: str, starts: list[int], layout: Layout) -> list[tuple[int, int, set[str]]]:
    """(cue position, paragraph end, measure keys) where a sentence names its primary endpoint's measure:
    主要终点是28天全因死亡率。结果显示，…死亡率为9.5%: the figures of that measure later in the paragraph."""
    named = []
    for m in _endpoint_matches(text, starts):
        if m.lastgroup is None or not m.lastgroup.startswith("p"):
            continue
        _, s_hi = layout.sentence_bounds(m.start())
        keys = {h.entry.key for h in measures_in(text[m.end() : s_hi]) if h.entry.specific}
        if keys:
            named.append((m.end(), layout.paragraph_bounds(m.start())[1], keys))
    return named


def mark_endpoints(metrics: list[Metric], original: str, text: str, layout: Layout) -> None:
    """Set `primary` and `subgroup` on the figures whose text states them."""
    w = words()
    lowered = text.lower()
    cued = any(x.lower() in lowered for x in (*w["primary_endpoint_words"], *w["secondary_endpoint_words"]))
    subgroups = any(x.lower() in lowered for x in w["subgroup_words"])
    if not (cued or subgroups):
        return  # most articles name neither: nothing to read
    starts = starts_of(_endpoint_openings(), text) if cued else []
    named = _named_primary_measures(text, starts, layout) if cued else []
    for m in metrics:
        if m.measure_key == "cell_dose":
            continue
        sub = _subgroup(text, layout, m) if subgroups else None
        if sub is not None:
            start = text.index(sub, layout.sentence_bounds(m.start)[0])
            m.subgroup = original[start : start + len(sub)]
            continue
        if not cued:
            continue
        s_lo, _ = layout.sentence_bounds(m.start)
        said = _last_endpoint(text, starts, s_lo, m.start)
        if said is None and (lead := _lead_in(text, layout, m.start)) is not None:
            said = _last_endpoint(text, starts, *lead)
        if said is None and any(lo <= m.start < hi and m.measure_key in keys for lo, hi, keys in named):
            said = True
        m.primary = said
