"""The spaCy pipeline: a blank Chinese language object and one registered component per fact family.

Components run in data-flow order and share the doc's `claims`, so that a character read as part of
one fact (a registry id, a date, a URL) is not read again as another. Each component leaves its facts
in `doc._.facts[family]`; spans of every mention go to `doc.spans`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from stemwire.extractors.cells import cell_types_from, find_cell_mentions
from stemwire.extractors.claims import Claims
from stemwire.extractors.conditions import conditions_from, find_condition_mentions
from stemwire.extractors.dates import find_dates
from stemwire.extractors.durations import find_durations
from stemwire.extractors.layout import analyse_layout
from stemwire.extractors.measures import MeasureHit, find_measures
from stemwire.extractors.metrics import find_metrics
from stemwire.extractors.references import find_references
from stemwire.extractors.script import AnalysisText
from stemwire.extractors.terms import TermHit
from stemwire.extractors.trials import find_trial_ids, trials_from

COMPONENTS = (
    "stemwire_layout",
    "stemwire_references",
    "stemwire_trials",
    "stemwire_dates",
    "stemwire_cell_types",
    "stemwire_measures",
    "stemwire_conditions",
    "stemwire_metrics",
    "stemwire_durations",
)

# `text`: the analysis text, kept as a string: spaCy's Doc.text rebuilds it from every token on each
# access, which cost more than all our extractors together.
_EXTENSIONS = (("original", ""), ("text", ""), ("published", None), ("layout", None), ("claims", None), ("facts", None))
for _name, _default in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _add_spans(doc: Doc, key: str, spans: list[tuple[int, int]]) -> None:
    group = []
    for start, end in spans:
        span = doc.char_span(start, end, label=key, alignment_mode="expand")
        if span is not None:
            group.append(span)
    doc.spans[key] = group


H = TypeVar("H", TermHit, MeasureHit)


def _claim(doc: Doc, key: str, hits: list[H]) -> list[H]:
    """Mark the hits' characters as taken, and keep them as spans of the doc."""
    for h in hits:
        doc._.claims.add(h.start, h.end)
    _add_spans(doc, key, [(h.start, h.end) for h in hits])
    return hits


@Language.component("stemwire_layout")
def layout_component(doc: Doc) -> Doc:
    doc._.layout = analyse_layout(doc._.text)
    doc._.claims = Claims()
    doc._.facts = {}
    return doc


@Language.component("stemwire_references")
def references_component(doc: Doc) -> Doc:
    refs = find_references(doc._.original, doc._.text, doc._.layout, doc._.claims)
    doc._.facts["references"] = refs
    _add_spans(doc, "references", [(r.start, r.end) for r in refs])
    return doc


@Language.component("stemwire_trials")
def trials_component(doc: Doc) -> Doc:
    hits = find_trial_ids(doc._.text, doc._.layout, doc._.claims)
    doc._.facts["trial_mentions"] = hits
    doc._.facts["trials"] = trials_from(doc._.original, doc._.text, doc._.layout, hits)
    _add_spans(doc, "trials", [(h.start, h.end) for h in hits])
    return doc


@Language.component("stemwire_dates")
def dates_component(doc: Doc) -> Doc:
    dates, dateline = find_dates(doc._.original, doc._.text, doc._.layout, doc._.claims, doc._.published)
    doc._.facts["dates"] = dates
    doc._.facts["dateline"] = dateline
    _add_spans(doc, "dates", [(d.start, d.end) for d in dates])
    return doc


@Language.component("stemwire_cell_types")
def cell_types_component(doc: Doc) -> Doc:
    hits = _claim(doc, "cell_types", find_cell_mentions(doc._.text, doc._.layout))
    doc._.facts["cell_mentions"] = hits
    doc._.facts["cell_types"] = cell_types_from(doc._.original, hits)
    return doc


@Language.component("stemwire_measures")
def measures_component(doc: Doc) -> Doc:
    doc._.facts["measures"] = _claim(doc, "measures", find_measures(doc._.text, doc._.layout, doc._.claims))
    return doc


@Language.component("stemwire_conditions")
def conditions_component(doc: Doc) -> Doc:
    hits = _claim(doc, "conditions", find_condition_mentions(doc._.text, doc._.layout, doc._.claims))
    doc._.facts["condition_mentions"] = hits
    doc._.facts["conditions"] = conditions_from(doc._.original, hits)
    return doc


@Language.component("stemwire_metrics")
def metrics_component(doc: Doc) -> Doc:
    metrics = find_metrics(doc._.original, doc._.text, doc._.layout, doc._.claims, doc._.facts["measures"])
    doc._.facts["metrics"] = metrics
    _add_spans(doc, "metrics", [(m.start, m.end) for m in metrics])
    return doc


@Language.component("stemwire_durations")
def durations_component(doc: Doc) -> Doc:
    durations = find_durations(doc._.original, doc._.text, doc._.layout, doc._.claims)
    doc._.facts["durations"] = durations
    _add_spans(doc, "durations", [(d.start, d.end) for d in durations])
    return doc


# One token per character (runs of spaces or of line breaks stay whole): the vocabulary of token
# strings is then bounded by the character set, where words and numbers would add new strings to
# spaCy's StringStore with every article for as long as a scheduled process lives.
_TOKEN = re.compile(r"[^\S\n]+|\n+|\S")


class CharTokenizer:
    """One token per character, built with one regular expression instead of spaCy's per-character
    alignment loop, which cost more than most of our extractors."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for word in _TOKEN.findall(text):
            if word == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(word)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """spaCy's blank Chinese pipeline (no model download) with a character tokenizer, plus our components."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def run_pipeline(analysis: AnalysisText, published: dt.date | None = None) -> dict[str, Any]:
    nlp = build_pipeline()
    doc = nlp.make_doc(analysis.text)
    doc._.original = analysis.original
    doc._.text = analysis.text
    doc._.published = published
    doc = nlp(doc)  # spaCy accepts a prepared Doc and runs every component on it
    facts: dict[str, Any] = doc._.facts
    facts["layout"] = doc._.layout
    return facts
