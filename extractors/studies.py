"""Group facts into the studies an article reports: one per registered trial, and one per section
that reports results of its own (a case heading, a cited paper) without a registry id."""

from __future__ import annotations

import re
from typing import Literal

from extractors.layout import Layout
from extractors.trials import TrialHit
from schemas.models import Reference, Study

StudyKind = Literal["registered_trial", "clinical", "preclinical", "other"]
_PRECLINICAL = re.compile(r"小鼠|大鼠|动物|猪|猴|犬|兔|斑马鱼|体外|细胞实验|模型")
_CLINICAL = re.compile(r"患者|病人|受试者|病童|病患|临床试验|临床研究|入组|纳入")


def find_studies(
    text: str, layout: Layout, trial_hits: list[TrialHit], references: list[Reference], has_facts: set[int]
) -> list[Study]:
    """`has_facts` holds the indexes of sections that carry at least one metric or duration."""
    studies: list[Study] = []
    seen: set[str] = set()
    for hit in trial_hits:
        if hit.registry_id in seen or layout.kind_at(hit.start) not in ("body", "heading", "title"):
            continue
        seen.add(hit.registry_id)
        section = layout.section_at(hit.start)
        studies.append(
            Study(
                id=f"trial-{hit.registry_id}",
                kind="registered_trial",
                label=hit.registry_id,
                trial_ids=[hit.registry_id],
                start=section.start,
                end=section.end,
            )
        )
    trial_sections = {layout.section_at(h.start).index for h in trial_hits}
    cited = {pos: r.number for r in references if r.number is not None for pos in r.cited_at}
    for section in layout.sections:
        if section.index in trial_sections or section.index not in has_facts or not section.heading:
            continue
        body = text[section.start : section.end]
        numbers = sorted({n for pos, n in cited.items() if section.start <= pos < section.end})
        kind: StudyKind = (
            "preclinical" if _PRECLINICAL.search(body) else "clinical" if _CLINICAL.search(body) else "other"
        )
        studies.append(
            Study(
                id=f"section-{section.index}",
                kind=kind,
                label=section.heading[:80],
                reference_numbers=numbers,
                start=section.start,
                end=section.end,
            )
        )
    return studies


def study_for(pos: int, layout: Layout, studies: list[Study], trial_hits: list[TrialHit]) -> str | None:
    """The study a fact at `pos` belongs to: a trial named in its sentence, else the study of its section."""
    s_lo, s_hi = layout.sentence_bounds(pos)
    in_sentence = [h for h in trial_hits if s_lo <= h.start < s_hi]
    ids = {s.id for s in studies}
    if in_sentence and f"trial-{in_sentence[0].registry_id}" in ids:
        return f"trial-{in_sentence[0].registry_id}"
    containing = [s for s in studies if s.start <= pos < s.end]
    return containing[0].id if len(containing) == 1 else None
