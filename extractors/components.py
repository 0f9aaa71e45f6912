"""The spaCy components, one registered factory per step, each declaring what it requires and assigns.

Every family's results travel in `doc.spans[<family>]`, the one channel the record is built from: the
group's spans are its mentions, and its `attrs` hold the family's facts ("facts"), the exact character
ranges and keys of its mentions ("mentions"), and where later components need them, the raw hits
("hits"). The contract names `doc._.<family>` are read-only views of those groups (see pipeline.py), so
spaCy's pipeline analysis can check that each component runs after what it reads. Components run in
data-flow order and share `doc._.claims`, so that a character read as part of one fact (a registry id,
a date, a URL) is not read again as another; study grouping and trial linking come last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from stemwire.extractors import cells, conditions
from stemwire.extractors.claims import Claims
from stemwire.extractors.dates import find_dates
from stemwire.extractors.durations import find_durations
from stemwire.extractors.layout import analyse_layout
from stemwire.extractors.measures import find_measures
from stemwire.extractors.metrics import find_metrics
from stemwire.extractors.references import find_references
from stemwire.extractors.studies import find_studies
from stemwire.extractors.trial_aliases import share_registrations
from stemwire.extractors.trial_links import link_trials
from stemwire.extractors.trials import find_trial_ids, trials_from

TITLE_CHARS = 200
Mention = tuple[int, int, str]  # start, end, key


def put(doc: Doc, name: str, facts: Sequence[Any], mentions: Iterable[Mention], hits: Sequence[Any] = ()) -> None:
    """Publish a family's facts and mentions as the span group `name`."""
    mentions = list(mentions)
    label = doc.vocab.strings.add(name)  # once, not once per span
    spans = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, _ in mentions]
    attrs = {"facts": list(facts), "mentions": mentions, "hits": list(hits)}
    doc.spans[name] = SpanGroup(doc, name=name, attrs=attrs, spans=[s for s in spans if s is not None])


def facts(doc: Doc, name: str) -> list[Any]:
    found: list[Any] = doc.spans[name].attrs["facts"]
    return found


def hits(doc: Doc, name: str) -> list[Any]:
    found: list[Any] = doc.spans[name].attrs["hits"]
    return found


def mentions(doc: Doc, name: str) -> list[Mention]:
    found: list[Mention] = doc.spans[name].attrs["mentions"]
    return found


def _by_position(name: str, items: Sequence[Any]) -> list[Mention]:
    return [(f.start, f.end, f"{name}/{i}") for i, f in enumerate(items)]


def _claim(doc: Doc, found: Sequence[Any]) -> None:
    claims = doc._.claims  # each doc._ builds an accessor object: once, not once per fact
    for h in found:
        claims.add(h.start, h.end)


_LAYOUT = "doc._.layout"
_CLAIMS = "doc._.claims"


@Language.factory("stemwire_layout", assigns=[_LAYOUT, _CLAIMS, "doc._.title"])
def make_layout(nlp: Language, name: str) -> Any:
    def layout(doc: Doc) -> Doc:
        ext = doc._  # each doc._ builds an accessor object: one per step
        ext.layout = analyse_layout(ext.text)
        ext.claims = Claims()
        line = next((line for line in ext.layout.lines if line.kind == "title"), None)
        title = ext.original[line.start : line.end].strip()[:TITLE_CHARS] if line else ""
        ext.title = title or None
        return doc

    return layout


@Language.factory("stemwire_references", requires=[_LAYOUT, _CLAIMS], assigns=["doc._.references"])
def make_references(nlp: Language, name: str) -> Any:
    def references(doc: Doc) -> Doc:
        ext = doc._
        put(doc, "references", find_references(ext.original, ext.text, ext.layout, ext.claims), [])
        return doc

    return references


@Language.factory("stemwire_trials", requires=[_LAYOUT, _CLAIMS, "doc._.references"], assigns=["doc._.trials"])
def make_trials(nlp: Language, name: str) -> Any:
    def trials(doc: Doc) -> Doc:
        ext = doc._
        found = find_trial_ids(ext.text, ext.layout, ext.claims)
        trials = trials_from(ext.original, ext.text, ext.layout, found)
        share_registrations(ext.text, ext.layout, found, trials)
        put(doc, "trials", trials, [(h.start, h.end, h.registry_id) for h in found], found)
        return doc

    return trials


@Language.factory(
    "stemwire_dates",
    requires=[_LAYOUT, _CLAIMS, "doc._.references", "doc._.trials"],
    assigns=["doc._.dates", "doc._.unresolved_dates", "doc._.dateline"],
)
def make_dates(nlp: Language, name: str) -> Any:
    def dates(doc: Doc) -> Doc:
        ext = doc._
        found, dateline = find_dates(ext.original, ext.text, ext.layout, ext.claims, ext.published)
        resolved = [d for d in found if d.value is not None]
        unresolved = [d for d in found if d.value is None]
        put(doc, "dates", resolved, _by_position("dates", resolved))
        put(doc, "unresolved_dates", unresolved, _by_position("unresolved_dates", unresolved))
        ext.dateline = dateline
        return doc

    return dates


class CellTypes:
    """Cell types from the gazetteer (data/cell_types.tsv, products, name variants): this component
    holds the compiled matcher."""

    def __init__(self) -> None:
        self.matcher = cells.cell_matcher()
        self.generic = {key for key, entry in cells.cell_entries().items() if entry.generic}

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        found = cells.find_cell_mentions(ext.text, ext.layout, self.matcher)
        _claim(doc, found)
        # Generic words (细胞, 干细胞) only shadow shorter names; they are not mentions.
        named = [(h.start, h.end, h.key) for h in found if h.key not in self.generic]
        put(doc, "cell_types", cells.cell_types_from(ext.original, found), named, found)
        return doc


@Language.factory("stemwire_cell_types", requires=[_LAYOUT, _CLAIMS], assigns=["doc._.cell_types"])
def make_cell_types(nlp: Language, name: str) -> CellTypes:
    return CellTypes()


@Language.factory("stemwire_measures", requires=[_LAYOUT, _CLAIMS, "doc._.cell_types"], assigns=["doc._.measures"])
def make_measures(nlp: Language, name: str) -> Any:
    def measures(doc: Doc) -> Doc:
        ext = doc._
        found = find_measures(ext.text, ext.layout, ext.claims)
        _claim(doc, found)
        put(doc, "measures", [], [(h.start, h.end, h.entry.key) for h in found], found)
        return doc

    return measures


class Conditions:
    """Conditions from the vocabulary (data/conditions.tsv): this component holds the compiled matcher."""

    def __init__(self) -> None:
        self.matcher = conditions.condition_matcher()

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._
        found = conditions.find_condition_mentions(ext.text, ext.layout, ext.claims, self.matcher)
        _claim(doc, found)
        keyed = [(h.start, h.end, h.key) for h in found]
        put(doc, "conditions", conditions.conditions_from(ext.original, found), keyed, found)
        return doc


@Language.factory("stemwire_conditions", requires=[_LAYOUT, _CLAIMS, "doc._.measures"], assigns=["doc._.conditions"])
def make_conditions(nlp: Language, name: str) -> Conditions:
    return Conditions()


@Language.factory(
    "stemwire_metrics", requires=[_LAYOUT, _CLAIMS, "doc._.measures", "doc._.conditions"], assigns=["doc._.metrics"]
)
def make_metrics(nlp: Language, name: str) -> Any:
    def metrics(doc: Doc) -> Doc:
        ext = doc._
        found = find_metrics(ext.original, ext.text, ext.layout, ext.claims, hits(doc, "measures"))
        put(doc, "metrics", found, _by_position("metrics", found))
        return doc

    return metrics


@Language.factory(
    "stemwire_durations", requires=[_LAYOUT, _CLAIMS, "doc._.dates", "doc._.metrics"], assigns=["doc._.durations"]
)
def make_durations(nlp: Language, name: str) -> Any:
    def durations(doc: Doc) -> Doc:
        ext = doc._
        found = find_durations(ext.original, ext.text, ext.layout, ext.claims)
        put(doc, "durations", found, _by_position("durations", found))
        return doc

    return durations


@Language.factory(
    "stemwire_studies",
    requires=[_LAYOUT, "doc._.title", "doc._.trials", "doc._.references", "doc._.metrics", "doc._.durations"],
    assigns=["doc._.studies"],
)
def make_studies(nlp: Language, name: str) -> Any:
    def studies(doc: Doc) -> Doc:
        ext = doc._
        """Group the article into studies and tie each trial, metric and duration to its study."""
        layout, trial_hits = ext.layout, hits(doc, "trials")
        results = facts(doc, "metrics") + facts(doc, "durations")
        study_map = find_studies(
            ext.original,
            ext.text,
            layout,
            trial_hits,
            facts(doc, "references"),
            [f.start for f in results],
            ext.title,
        )
        by_trial = {s.trial_ids[0]: s.id for s in study_map.studies if s.trial_ids}
        for trial in facts(doc, "trials"):
            trial.study = by_trial.get(trial.registry_id)
        for fact in results:
            fact.study = study_map.study_for(fact.start, layout, trial_hits)
        put(doc, "studies", study_map.studies, [])
        return doc

    return studies


@Language.factory(
    "stemwire_trial_links",
    requires=[_LAYOUT, "doc._.trials", "doc._.studies", "doc._.conditions", "doc._.cell_types", "doc._.durations"],
    assigns=["doc._.trials_linked"],
)
def make_trial_links(nlp: Language, name: str) -> Any:
    def trial_links(doc: Doc) -> Doc:
        ext = doc._
        """Each trial's conditions, interventions and follow-up, from the facts around its mentions."""
        link_trials(
            ext.text,
            ext.layout,
            facts(doc, "trials"),
            hits(doc, "trials"),
            hits(doc, "conditions"),
            hits(doc, "cell_types"),
            facts(doc, "durations"),
        )
        ext.trials_linked = True
        return doc

    return trial_links
