"""One trial under two registry ids (NCT… and ChiCTR…, jRCT…, EudraCT…) shares its attributes.

Ids of two different registries are read as one study only where their sentence says so: a
same-study word (同时注册, 注册号分别为) with the two ids close together, and no word counting several
studies (两项研究). Two ids of one registry are two trials, unless the sentence says the study was
registered again (原注册号…撤回后重新注册为…). The phase and size stated for either
then hold for both, and each lists the other in `also_registered_as`.
"""

from __future__ import annotations

import itertools

from stemwire.extractors.layout import Layout
from stemwire.extractors.trials import TrialHit, trial_words
from stemwire.schemas.models import Trial

_GAP_MAX = 40  # characters between the two ids: 'NCT…）和中国临床试验注册中心（ChiCTR…'


def _same_study(text: str, layout: Layout, a: TrialHit, b: TrialHit) -> bool:
    if layout.sentence_bounds(a.start) != layout.sentence_bounds(b.start) or b.start - a.end > _GAP_MAX:
        return False
    lo, hi = layout.sentence_bounds(a.start)
    sentence = text[lo:hi]
    w = trial_words()
    if any(x in sentence for x in w["study_count_words"]):
        return False
    if a.registry.name == b.registry.name:  # 原注册号NCT…撤回后重新注册为NCT…: one study registered again
        return any(x in sentence for x in w["reregistration_words"])
    return any(x in sentence for x in w["same_study_words"])


def share_registrations(text: str, layout: Layout, hits: list[TrialHit], trials: list[Trial]) -> None:
    """Link the trials whose ids the text names as one study, and give each what the other states."""
    by_id = {t.registry_id: t for t in trials}
    ordered = sorted(hits, key=lambda h: h.start)
    for a, b in itertools.pairwise(ordered):
        if a.registry_id == b.registry_id or not _same_study(text, layout, a, b):
            continue
        first, second = by_id[a.registry_id], by_id[b.registry_id]
        for one, other in ((first, second), (second, first)):
            if other.registry_id not in one.also_registered_as:
                one.also_registered_as.append(other.registry_id)
        for one, other in ((first, second), (second, first)):
            if one.phase is None and other.phase is not None:
                one.phase, one.phase_text = other.phase, other.phase_text
            if one.enrollment is None and other.enrollment is not None:
                one.enrollment, one.enrollment_text = other.enrollment, other.enrollment_text
                one.enrollment_type = other.enrollment_type
            if one.enrollment_anticipated is None and one.enrollment == other.enrollment:
                one.enrollment_anticipated = other.enrollment_anticipated
