"""Which measure a figure reports: the vocabulary's name, else the phrase the text itself uses, else
the measure of the figure it is paired with (the other group's, the next item of a 'respectively' list).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol

from stemwire.extractors import lexicon
from stemwire.extractors.layout import Layout
from stemwire.extractors.measures import (
    MeasureHit,
    PhraseWords,
    measure_entries,
    names_a_measure,
    own_phrase,
    vague_phrase_start,
)
from stemwire.extractors.resources import load_json
from stemwire.schemas.models import Metric

# 分别为3.3%和13.3%: what may stand between the items of a 'respectively' list
_LIST_JOIN = re.compile(r"\s*(?:和|与|及|、|,|，|以及)\s*")


class Value(Protocol):
    start: int
    end: int
    unit: str | None
    cell_dose: bool


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("metric_words.json")


@lru_cache(maxsize=1)
def phrase_words() -> PhraseWords:
    w = _words()
    return PhraseWords(
        tuple(sorted(w["phrase_verbs"], key=len, reverse=True)),
        tuple(sorted(w["phrase_openers"], key=len, reverse=True)),
        tuple(w["measure_heads"]),
        tuple(sorted(w["after_participants"], key=len, reverse=True)),
        lexicon.words("participant_nouns"),
    )


def _paired_with_previous(text: str, layout: Layout, v: Value, prev: Metric) -> bool:
    """细胞组有42%…，而安慰剂组为21%: the other group's figure; 分别为3.3%和13.3%: the list's next item."""
    if prev.unit != v.unit or layout.sentence_bounds(prev.start) != layout.sentence_bounds(v.start):
        return False
    between = text[prev.end : v.start]
    if "组" in between:
        return True
    s_lo, _ = layout.sentence_bounds(v.start)
    listed = any(w in text[s_lo : prev.start] for w in ("分别", "依次"))
    return listed and bool(_LIST_JOIN.fullmatch(between))


def measure_of(
    original: str, text: str, layout: Layout, v: Value, measure_hit: MeasureHit | None, prev: Metric | None
) -> tuple[str | None, str | None, MeasureHit | None]:
    """(measure, the words that name it, the vocabulary entry's hit) for the figure v."""
    c_lo, _ = layout.clause_bounds(v.start)
    time_of = _words()["time_in_state"]
    if measure_hit is not None and measure_hit.entry.key in time_of and v.unit in _words()["time_units"].values():
        entry = measure_entries()[time_of[measure_hit.entry.key]]
        measure_hit = MeasureHit(measure_hit.start, measure_hit.end, entry)
    measure: str | None = "cell dose" if v.cell_dose else None
    measure_text: str | None = None
    phrase = None if v.cell_dose or v.unit is None else own_phrase(text, layout, v.start, v.end, phrase_words())
    if phrase is not None and measure_hit is not None:
        # the vocabulary's name stands unless it lies outside the clause and the clause names its own measure
        lo, hi, predicate = phrase
        far = measure_hit.end <= c_lo and not (lo <= measure_hit.start < hi)
        if not (far and (predicate or names_a_measure(text, lo, hi, phrase_words()))):
            phrase = None
    if phrase is not None:
        measure_hit = None
        measure_text = original[phrase[0] : phrase[1]]
        measure = measure_text
    elif measure_hit is not None:
        phrase_start = vague_phrase_start(text, layout, measure_hit)
        measure_text = original[phrase_start : measure_hit.end]
        measure = measure_hit.entry.label if phrase_start == measure_hit.start else measure_text
    if (
        prev is not None
        and not v.cell_dose
        and (measure is None or (measure_hit is not None and measure_hit.end <= min(c_lo, prev.start)))
        and _paired_with_previous(text, layout, v, prev)
    ):  # the paired figure's measure is nearer than any older vocabulary name
        measure, measure_text = prev.measure, prev.measure_text
        measure_hit = MeasureHit(0, 0, measure_entries()[prev.measure_key]) if prev.measure_key else None
    return measure, measure_text, measure_hit
