"""Group facts into the studies an article reports.

A registered trial is a study; so is a headed section that reports results of its own (a case, a
cited paper). In running text, a paragraph belongs to the trial it names, and a paragraph that names
none continues the study of the paragraph before it. Paragraphs ahead of the first trial report the
article's own lead study: a preclinical one when they speak of animals, else the first trial's results
told before its id, else an unregistered study. A later paragraph about animals and not patients
starts a preclinical study of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from stemwire.extractors.layout import Layout, Line
from stemwire.extractors.resources import load_json
from stemwire.extractors.trials import TrialHit
from stemwire.schemas.models import Reference, Study

StudyKind = Literal["registered_trial", "clinical", "preclinical", "other"]
_CASE_HEADING = re.compile(r"案例|病例|个案|实验|研究[一二三四五六七八九十\d]")


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern[str]]:
    data = load_json("study_words.json")
    return {k: re.compile("|".join(map(re.escape, v))) for k, v in data.items() if not k.startswith("_")}


def _runs_on(heading: str) -> bool:
    """结果, 安全性, 研究怎么做: the heading structures the story of the study before it."""
    return bool(_words()["running_headings"].search(heading)) and not _CASE_HEADING.search(heading)


@dataclass
class StudyMap:
    studies: list[Study]
    by_line: dict[int, str] = field(default_factory=dict)  # paragraph start -> study id
    # paragraph start -> (start of the sentence naming its first trial, study of the text before it)
    splits: dict[int, tuple[int, str]] = field(default_factory=dict)

    def study_for(self, pos: int, layout: Layout, trial_hits: list[TrialHit]) -> str | None:
        """A trial named in the fact's sentence, else the study of its paragraph."""
        s_lo, s_hi = layout.sentence_bounds(pos)
        named = [h for h in trial_hits if s_lo <= h.start < s_hi and f"trial-{h.registry_id}" in self._ids()]
        if named:
            return f"trial-{named[0].registry_id}"
        line = layout.line_at(pos).start
        split = self.splits.get(line)
        if split is not None and pos < split[0]:
            return split[1]
        return self.by_line.get(line)

    def _ids(self) -> set[str]:
        return {s.id for s in self.studies}


def _about_animals(text: str) -> bool:
    w = _words()
    return bool(w["animals"].search(text)) and not w["patients"].search(text)


def _kind(text: str) -> StudyKind:
    """A whole section or lead: any talk of animals makes it preclinical."""
    w = _words()
    return "preclinical" if w["animals"].search(text) else "clinical" if w["patients"].search(text) else "other"


class _Builder:
    def __init__(self, text: str, layout: Layout) -> None:
        self.text, self.layout = text, layout
        self.studies: dict[str, Study] = {}
        self.by_line: dict[int, str] = {}
        self.splits: dict[int, tuple[int, str]] = {}

    def assign(self, line: Line, study_id: str, kind: StudyKind, label: str, **extra: object) -> None:
        study = self.studies.get(study_id)
        if study is None:
            study = Study(id=study_id, kind=kind, label=label[:80], start=line.start, end=line.end, **extra)  # type: ignore[arg-type]
            self.studies[study_id] = study
        study.start, study.end = min(study.start, line.start), max(study.end, line.end)
        self.by_line[line.start] = study_id


def find_studies(
    original: str,
    text: str,
    layout: Layout,
    trial_hits: list[TrialHit],
    references: list[Reference],
    fact_positions: list[int],
    title: str | None,
) -> StudyMap:
    b = _Builder(text, layout)
    content_hits = [h for h in trial_hits if layout.is_content(h.start)]
    fact_lines = {layout.line_at(p).start for p in fact_positions}
    cited = {pos: r.number for r in references if r.number is not None for pos in r.cited_at}
    trial_sections = {layout.section_at(h.start).index for h in content_hits}

    # Headed sections without a trial that report facts of their own.
    for section in layout.sections:
        if section.index in trial_sections or not section.heading or _runs_on(section.heading):
            continue
        lines = [ln for ln in layout.lines if ln.section == section.index and ln.kind in ("body", "heading")]
        if not any(ln.start in fact_lines for ln in lines):
            continue
        body = text[section.start : section.end]
        numbers = sorted({n for pos, n in cited.items() if section.start <= pos < section.end})
        for ln in lines:
            heading = original[section.start : layout.line_at(section.start).end].strip()
            b.assign(ln, f"section-{section.index}", _kind(body), heading, reference_numbers=numbers)

    # Running text: paragraphs follow the trial they name, or the paragraph before them.
    current: str | None = None
    lead: list[Line] = []
    for ln in layout.lines:
        if ln.kind not in ("body", "heading", "title") or ln.start in b.by_line:
            continue
        para = text[ln.start : ln.end]
        named = [h for h in content_hits if ln.start <= h.start < ln.end]
        if named:
            rid = named[0].registry_id
            if current is not None:  # sentences ahead of the trial's still report the previous study
                b.splits[ln.start] = (layout.sentence_bounds(named[0].start)[0], current)
            current = f"trial-{rid}"
            b.assign(ln, current, "registered_trial", rid, trial_ids=[rid])
            for h in named[1:]:  # every trial named gets its study, even in a shared paragraph
                if f"trial-{h.registry_id}" not in b.studies:
                    b.assign(ln, f"trial-{h.registry_id}", "registered_trial", h.registry_id, trial_ids=[h.registry_id])
                    b.by_line[ln.start] = current
        elif current is None:
            lead.append(ln)
        elif _about_animals(para) and ln.start in fact_lines:
            current = f"paragraph-{layout.lines.index(ln)}"
            b.assign(ln, current, "preclinical", original[ln.start : ln.end].strip())
        else:
            b.assign(ln, current, b.studies[current].kind, b.studies[current].label)

    lead_facts = [ln for ln in lead if ln.start in fact_lines]
    if lead_facts:
        first_trial = next((f"trial-{h.registry_id}" for h in content_hits), None)
        paragraphs = [text[ln.start : ln.end] for ln in lead]
        kind = "preclinical" if any(map(_about_animals, paragraphs)) else _kind("".join(paragraphs))
        for ln in lead:
            if kind != "preclinical" and first_trial is not None:
                b.by_line[ln.start] = first_trial
            else:
                b.assign(ln, "lead", kind, title or original[ln.start : ln.end].strip())
    order = {s.id: s.start for s in b.studies.values()}
    return StudyMap(sorted(b.studies.values(), key=lambda s: (order[s.id], s.id)), b.by_line, b.splits)
