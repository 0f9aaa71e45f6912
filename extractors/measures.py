"""Outcome measures and scales (extractors/data/measures.tsv), and which one a number reports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.layout import Layout
from extractors.resources import load_tsv, split_list
from extractors.terms import Term, TermMatcher

# How far back a number may look for its measure beyond its own sentence (same paragraph).
PARAGRAPH_LOOKBACK = 300


@dataclass(frozen=True)
class MeasureEntry:
    key: str
    label: str
    kind: str
    specific: bool


@dataclass(frozen=True)
class MeasureHit:
    start: int
    end: int
    entry: MeasureEntry


@lru_cache(maxsize=1)
def measure_entries() -> dict[str, MeasureEntry]:
    return {
        row["key"]: MeasureEntry(row["key"], row["label"], row["kind"], row["specific"].strip() != "no")
        for row in load_tsv("measures.tsv")
    }


@lru_cache(maxsize=1)
def _matcher() -> TermMatcher:
    terms: list[Term] = []
    for row in load_tsv("measures.tsv"):
        terms += [Term(s, row["key"]) for s in split_list(row["zh_hans"]) + split_list(row["abbreviations"])]
        terms += [Term(s, row["key"], ignore_case=True) for s in split_list(row["english"])]
    return TermMatcher(terms)


def find_measures(text: str, layout: Layout) -> list[MeasureHit]:
    entries = measure_entries()
    return [MeasureHit(h.start, h.end, entries[h.key]) for h in _matcher().finditer(text) if layout.is_content(h.start)]


def _hits_in(hits: list[MeasureHit], lo: int, hi: int) -> list[MeasureHit]:
    return [h for h in hits if h.start >= lo and h.end <= hi]


def _nearest(cands: list[MeasureHit], pos: int, before_only: bool) -> MeasureHit | None:
    pool = [h for h in cands if h.end <= pos] if before_only else cands
    if not pool:
        return None
    return min(pool, key=lambda h: pos - h.end if h.end <= pos else (h.start - pos) + 2)


def measure_for(hits: list[MeasureHit], layout: Layout, start: int, end: int, unit: str | None) -> MeasureHit | None:
    """The measure a number at [start, end) reports.

    Precise names beat vague ones; nearer beats farther; the number's own clause comes first,
    then what precedes it in its sentence, then its paragraph; a vague word ("评分", "用量") only
    when nothing precise stands near. Scores in points prefer scales; ratios take ratio measures.
    """
    c_lo, c_hi = layout.clause_bounds(start)
    s_lo, _ = layout.sentence_bounds(start)
    p_lo, _ = layout.paragraph_bounds(start)
    p_lo = max(p_lo, start - PARAGRAPH_LOOKBACK)

    def fits(h: MeasureHit) -> bool:
        # Ratios (OR=0.18) carry no unit and nothing else is a ratio; points are scored on scales.
        if (h.entry.kind == "ratio") != (unit is None):
            return False
        return unit != "point" or h.entry.kind in ("scale", "state") or not h.entry.specific

    def specific(h: MeasureHit) -> bool:
        return h.entry.specific and fits(h)

    def vague(h: MeasureHit) -> bool:
        return not h.entry.specific and fits(h)

    clause = _hits_in(hits, c_lo, c_hi)
    sentence_before = _hits_in(hits, s_lo, start)
    paragraph_before = _hits_in(hits, p_lo, start)
    for pool, before_only in (
        ([h for h in clause if specific(h)], False),
        ([h for h in sentence_before if specific(h)], True),
        ([h for h in paragraph_before if specific(h)], True),
        ([h for h in clause if vague(h)], False),
        ([h for h in sentence_before if vague(h)], True),
    ):
        found = _nearest(pool, start, before_only)
        if found is not None:
            return found
    return None
