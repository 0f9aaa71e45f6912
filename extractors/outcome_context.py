"""Whether a number is an outcome by what surrounds it, for metrics.py: a time a measure reports
(中位生存期为14个月) and not only a span of time; a count of people who reached an outcome (3名患者出现
缓解); and the second group's figure of either in a later clause that names only the group
(对照组为9.8个月, 对照组仅2名). The words are data/metric_words.json and data/lexicon.json."""

from __future__ import annotations

import re
from functools import lru_cache

from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.measures import MeasureHit
from stemwire.extractors.resources import load_json

_PARENTHESIS = re.compile(r"^\s*[(（][^)）]*[)）]")  # 10人（83%）
_CLAUSE_END = re.compile(r"[\s。；;，,、！!？?）)]+")
_PARTICIPANT = re.compile(rf"(?:{alternation('participant_counters')})?(?:{alternation('participant_nouns')})")


@lru_cache(maxsize=1)
def _leads() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A copula ending the words before a time value, and a clause lead that is only a group's label
    and a copula (而安慰剂组仅为)."""
    w = load_json("metric_words.json")
    copulas = "|".join(map(re.escape, sorted(w["time_copulas"], key=len, reverse=True)))
    leads = "|".join(map(re.escape, sorted(w["comparator_lead"], key=len, reverse=True)))
    group = r"[\u4e00-\u9fffA-Za-z0-9+\-]{1,10}?组(?:患者|病人|受试者)?"
    return re.compile(rf"(?:{copulas})\s*$"), re.compile(rf"\s*(?:而|但|则)?\s*{group}\s*(?:{leads})\s*")


class _SecondGroup:
    """Remembers where the last figure of its kind was read as an outcome."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.text, self.layout = text, layout
        self.last = -1

    def taken(self, start: int) -> None:
        self.last = start

    def of_other_group(self, start: int, c_lo: int) -> bool:
        """Whether the clause before `start` names only a group (对照组为), after an outcome of this
        kind earlier in the same sentence."""
        return (
            self.last >= self.layout.sentence_bounds(start)[0]
            and _leads()[1].fullmatch(self.text[c_lo:start]) is not None
        )


class TimeOutcomes(_SecondGroup):
    """Fed the article's times in text order."""

    def __init__(self, text: str, layout: Layout, measures: list[MeasureHit]) -> None:
        super().__init__(text, layout)
        self.measures = [h for h in measures if h.entry.kind in ("time", "state")]

    def reported(self, start: int, c_lo: int, lead: str) -> bool:
        """Whether the time at `start` (its clause opens at `c_lo`; `lead`: the words just before it)
        is what a time measure of its clause, or of an earlier clause of its sentence, reports."""
        text, after_copula = self.text, _leads()[0].search(lead) is not None
        # The clause names a time measure, then the value: after a copula (中位生存期为14个月) or at once.
        if any(c_lo <= h.start < start and (after_copula or not text[h.end : start].strip()) for h in self.measures):
            return True
        return self.of_other_group(start, c_lo)


class ResponderCounts(_SecondGroup):
    """Fed the article's counts of people (12名, 3人) in text order; `following`: the pattern of a
    list item and its count after a count (和3名)."""

    def __init__(self, text: str, layout: Layout, following: re.Pattern[str]) -> None:
        super().__init__(text, layout)
        self.following = following

    def reached(self, start: int, end: int) -> bool:
        """Whether the count text[start:end] counts people who reached an outcome: said after it
        (or after the last count of its list: 12名和3名患者达到), or after another group's count."""
        c_lo, c_hi = self.layout.clause_bounds(start)
        while (item := self.following.match(self.text, end, c_hi)) is not None:
            end = item.end()
        if _outcome_follows(self.text, end, c_hi):
            return True
        rest = _PARENTHESIS.sub("", self.text[end:c_hi]).lstrip()
        noun = _PARTICIPANT.match(rest)
        said_nothing_else = not _CLAUSE_END.sub("", rest[noun.end() :] if noun else rest)
        return said_nothing_else and self.of_other_group(start, c_lo)


def _outcome_follows(text: str, end: int, clause_end: int) -> bool:
    """'10人（83%）不再需要胰岛素', '3名患者出现缓解', '7人的ASIA分级改善': people who reached an outcome."""
    w = load_json("metric_words.json")
    tail = _PARENTHESIS.sub("", text[end:clause_end]).lstrip()
    noun = _PARTICIPANT.match(tail)
    tail = tail[noun.end() :] if noun else tail
    if tail.startswith(tuple(w["responder_verbs"])):
        return True
    changes = w["increase"] + w["decrease"] + w["improvement"]
    return tail.startswith("的") and any(v in tail for v in changes)
