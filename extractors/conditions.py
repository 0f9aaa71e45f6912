"""Conditions an article's therapies treat, from a curated vocabulary (extractors/data/conditions.tsv)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout
from stemwire.extractors.resources import load_tsv, split_list
from stemwire.extractors.terms import TermHit, TermMatcher, matcher_from_tsv
from stemwire.schemas.models import Condition


@dataclass(frozen=True)
class ConditionEntry:
    key: str
    label: str
    icd10: str | None
    zh_hans: tuple[str, ...]


@lru_cache(maxsize=1)
def condition_entries() -> dict[str, ConditionEntry]:
    return {
        row["key"]: ConditionEntry(row["key"], row["label"], row["icd10"] or None, tuple(split_list(row["zh_hans"])))
        for row in load_tsv("conditions.tsv")
    }


@lru_cache(maxsize=1)
def condition_matcher() -> TermMatcher:
    return matcher_from_tsv("conditions.tsv")


def find_condition_mentions(
    text: str, layout: Layout, claims: Claims, matcher: TermMatcher | None = None
) -> list[TermHit]:
    """Condition names in content lines that no other fact has taken (卒中 inside 卒中量表, UC in UC-MSC)."""
    found = (matcher or condition_matcher()).finditer(text)
    return [h for h in found if layout.is_content(h.start) and not claims.overlaps(h.start, h.end)]


def conditions_from(original: str, hits: list[TermHit]) -> list[Condition]:
    """One fact per condition, in order of first mention."""
    entries = condition_entries()
    counts = Counter(h.key for h in hits)
    facts: dict[str, Condition] = {}
    for h in hits:
        if h.key in facts:
            continue
        e = entries[h.key]
        facts[h.key] = Condition(
            key=e.key,
            name=e.label,
            icd10=e.icd10,
            name_zh=original[h.start : h.end],
            mention_count=counts[h.key],
        )
    return list(facts.values())
