"""When a time the text gives is an outcome (中位生存期为14个月, 对照组为9.8个月) and not only a span
of time: read by metrics.py, which also keeps it a duration. The words are data/metric_words.json."""

from __future__ import annotations

import re
from functools import lru_cache

from stemwire.extractors.layout import Layout
from stemwire.extractors.measures import MeasureHit
from stemwire.extractors.resources import load_json


@lru_cache(maxsize=1)
def _leads() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A copula ending the words before a time value, and a clause lead that is only a group's label
    and a copula (而安慰剂组仅为)."""
    w = load_json("metric_words.json")
    copulas = "|".join(map(re.escape, sorted(w["time_copulas"], key=len, reverse=True)))
    leads = "|".join(map(re.escape, sorted(w["comparator_time_lead"], key=len, reverse=True)))
    group = r"[\u4e00-\u9fffA-Za-z0-9+\-]{1,10}?组(?:患者|病人|受试者)?"
    return re.compile(rf"(?:{copulas})\s*$"), re.compile(rf"\s*(?:而|但|则)?\s*{group}\s*(?:{leads})\s*")


class TimeOutcomes:
    """Fed the article's times in text order; remembers the last one read as an outcome."""

    def __init__(self, text: str, layout: Layout, measures: list[MeasureHit]) -> None:
        self.text, self.layout = text, layout
        self.measures = [h for h in measures if h.entry.kind in ("time", "state")]
        self.last = -1  # where the last time read as an outcome begins

    def reported(self, start: int, c_lo: int, lead: str) -> bool:
        """Whether the time at `start` (its clause opens at `c_lo`; `lead`: the words just before it)
        is what a time measure of its clause, or of an earlier clause of its sentence, reports."""
        copula, comparator = _leads()
        text = self.text
        # The clause names a time measure, then the value: after a copula (中位生存期为14个月) or at once.
        if any(
            c_lo <= h.start < start and (copula.search(lead) or not text[h.end : start].strip()) for h in self.measures
        ):
            return True
        # 对照组为9.8个月 after the treated group's time outcome in the same sentence: the other group's value.
        return self.last >= self.layout.sentence_bounds(start)[0] and comparator.fullmatch(text[c_lo:start]) is not None

    def taken(self, start: int) -> None:
        self.last = start
