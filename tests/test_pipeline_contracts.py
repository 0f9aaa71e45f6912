"""spaCy components as contracts: each declares what it requires and assigns, and spaCy's own
pipeline analysis finds nothing missing in ours, and does find a missing step."""

from __future__ import annotations

import spacy

from stemwire.extractors.pipeline import build_pipeline, component_names, span_groups
from stemwire.extractors.script import to_analysis_text
from stemwire.schemas.families import families


def test_every_requirement_is_assigned_by_an_earlier_component() -> None:
    analysis = build_pipeline().analyze_pipes(pretty=False)
    assert set(analysis["problems"]) == set(component_names())
    assert all(not missing for missing in analysis["problems"].values()), analysis["problems"]


def test_analysis_reports_a_component_whose_input_is_missing() -> None:
    nlp = spacy.blank("zh")
    for name in ("stemwire_layout", "stemwire_references", "stemwire_trials", "stemwire_metrics"):
        nlp.add_pipe(name)
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert problems["stemwire_metrics"] == ["doc._.measures", "doc._.conditions"]


def test_each_family_is_assigned_and_linking_runs_last() -> None:
    nlp = build_pipeline()
    assigned = {attr for name in nlp.pipe_names for attr in nlp.get_pipe_meta(name).assigns}
    assert {f"doc._.{f.name}" for f in families()} <= assigned
    assert nlp.pipe_names[-2:] == ["stemwire_studies", "stemwire_trial_links"]


def test_the_record_is_built_from_span_groups() -> None:
    from stemwire.extractors.pipeline import run_pipeline

    doc = run_pipeline(to_analysis_text("标题\n2025年2月17日，NCT04631406试验为18名患者输注神经干细胞。"))
    assert set(span_groups()) <= set(doc.spans)
    assert [s.text for s in doc.spans["trials"]] == ["NCT04631406"]
    assert doc._.trials is doc.spans["trials"]  # the contract name is a view of the group
