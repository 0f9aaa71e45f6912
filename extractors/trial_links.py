"""What each registered trial studies: its conditions, the cell types it gives and its follow-up.

A trial's facts are looked for where its registry id is named, widening from the sentence to the
paragraph; conditions then fall back to the title and to the article's main condition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from stemwire.extractors import lexicon
from stemwire.extractors.cells import cell_entries
from stemwire.extractors.layout import Layout
from stemwire.extractors.terms import TermHit
from stemwire.extractors.trials import TrialHit
from stemwire.schemas.models import DurationFact, Trial

_FOLLOW_UP_LOOKBEHIND = 6  # characters: "随访期为5年", "之后追踪一年"


def _in_scopes(hits: Iterable[TermHit], scopes: list[tuple[int, int]]) -> list[TermHit]:
    return [h for h in hits if any(lo <= h.start < hi for lo, hi in scopes)]


def _keys_in_order(hits: list[TermHit]) -> list[str]:
    return list(dict.fromkeys(h.key for h in hits))


def _scopes(layout: Layout, positions: list[int]) -> list[list[tuple[int, int]]]:
    return [
        [layout.sentence_bounds(p) for p in positions],
        [layout.paragraph_bounds(p) for p in positions],
    ]


def _conditions(layout: Layout, positions: list[int], hits: list[TermHit]) -> list[str]:
    for scope in _scopes(layout, positions):
        found = _in_scopes(hits, scope)
        if found:
            return _keys_in_order(found)
    title = [h for h in hits if layout.kind_at(h.start) == "title"]
    if title:
        return _keys_in_order(title)
    # The article's main condition: what a trial studies when nothing nearer says otherwise.
    return [Counter(h.key for h in hits).most_common(1)[0][0]] if hits else []


def _interventions(
    text: str, layout: Layout, positions: list[int], hits: list[TermHit], single_trial: bool
) -> list[str]:
    """Cell types named in the trial's sentence, or delivered (输注, 移植) in its paragraph, else those
    the headline names."""
    entries = cell_entries()
    specific = [h for h in hits if not entries[h.key].generic]
    delivery = lexicon.words("delivery_words")

    def delivered(h: TermHit) -> bool:
        lo, hi = layout.clause_bounds(h.start)
        return any(w in text[lo:hi] for w in delivery)

    sentences, paragraphs = _scopes(layout, positions)
    found = _in_scopes(specific, sentences)  # "评估了骨髓间充质干细胞对心衰的疗效(EudraCT …)"
    if not found:
        found = [h for h in _in_scopes(specific, paragraphs) if delivered(h)]
    if found:
        return _keys_in_order(found)
    # The headline usually names the therapy: "脐带间充质干细胞治疗肝硬化"; in an article about one
    # trial, so does any clause that delivers cells.
    titled = _keys_in_order([h for h in specific if layout.kind_at(h.start) == "title"])
    return titled or (_keys_in_order([h for h in specific if delivered(h)]) if single_trial else [])


def _follow_up(
    text: str, layout: Layout, positions: list[int], study: str | None, durations: list[DurationFact]
) -> DurationFact | None:
    words = lexicon.words("follow_up_words")
    paragraphs = {layout.paragraph_bounds(p) for p in positions}
    for d in durations:
        near = (study is not None and d.study == study) or any(lo <= d.start < hi for lo, hi in paragraphs)
        lead = text[max(0, d.start - _FOLLOW_UP_LOOKBEHIND) : d.start]
        if near and d.kind == "length" and d.range_part != "start" and any(w in lead for w in words):
            return d
    return None


def link_trials(
    text: str,
    layout: Layout,
    trials: list[Trial],
    trial_hits: list[TrialHit],
    condition_hits: list[TermHit],
    cell_hits: list[TermHit],
    durations: list[DurationFact],
) -> None:
    """Fill each trial's conditions, interventions and follow-up in place."""
    for trial in trials:
        positions = [h.start for h in trial_hits if h.registry_id == trial.registry_id]
        trial.conditions = _conditions(layout, positions, condition_hits)
        trial.interventions = _interventions(text, layout, positions, cell_hits, len(trials) == 1)
        follow_up = _follow_up(text, layout, positions, trial.study, durations)
        if follow_up is not None:
            trial.follow_up, trial.follow_up_text = follow_up.value, follow_up.text
