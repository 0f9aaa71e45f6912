import pytest

from stemwire.extractors.article import build_record
from stemwire.extractors.conditions import condition_entries
from stemwire.extractors.decode import decode_article
from tests.helpers import FIXTURES, both_scripts, facts_of


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("1型糖尿病患者与2型糖尿病患者。", [("type 1 diabetes", "E10"), ("type 2 diabetes", "E11")]),
        ("失代偿期肝硬化常见于乙肝患者。", [("liver cirrhosis", "K74"), ("chronic hepatitis B", "B18.1")]),
        ("帕金森病与渐冻症(ALS)。", [("Parkinson's disease", "G20"), ("amyotrophic lateral sclerosis", "G12.2")]),
        ("急性GVHD与脊髓损伤。", [("graft-versus-host disease", "T86.0"), ("spinal cord injury", None)]),
        # a condition word inside a scale's name is part of the scale, and UC in UC-MSC is a cell source
        ("NIH卒中量表评分改善,UC-MSC输注安全。", []),
    ],
)
def test_conditions_in_both_scripts(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert [(c.name, c.icd10) for c in facts_of("标题\n" + text)["conditions"]] == expected


def test_condition_vocabulary_is_broad_and_coded_where_a_code_fits() -> None:
    entries = condition_entries().values()
    assert len(entries) >= 50
    assert sum(e.icd10 is not None for e in entries) >= 40


def record_of(name: str):
    return build_record(decode_article(FIXTURES / "articles" / name))


def test_trial_links_condition_intervention_and_follow_up() -> None:
    trial = record_of("sci-opc-hant-tw.txt").trials[0]
    assert trial.conditions == ["spinal_cord_injury"]
    assert "oligodendrocyte_precursor" in trial.interventions
    assert (trial.follow_up, trial.follow_up_text) == ("P1Y", "一年")


def test_intervention_falls_back_to_the_headline() -> None:
    trials = {t.registry_id: t for t in record_of("liver-ucmsc-hk.txt").trials}
    assert trials["ChiCTR1900028765"].interventions == ["uc_msc"]
    assert trials["ChiCTR1900028765"].follow_up == "P48W"


def test_results_paragraph_continues_the_trial_named_before_it() -> None:
    record = record_of("islet-t1d-hans.txt")
    by_text = {m.text: m.study for m in record.metrics}
    assert by_text["1.7个百分点"] == "trial-ChiCTR2300071234"
    assert record.trials[0].follow_up == "P12M"


def test_sentences_ahead_of_a_new_trial_keep_the_previous_study() -> None:
    record = record_of("cart-lupus-badconv.txt")
    assert {m.text: m.study for m in record.metrics}["10人"] == "trial-DRKS00034567"


def test_animal_work_before_any_trial_is_a_preclinical_study() -> None:
    record = record_of("pd-monkey-hans.txt")
    kinds = {s.id: s.kind for s in record.studies}
    assert kinds == {"lead": "preclinical", "trial-NCT05887466": "registered_trial"}
    assert {m.study for m in record.metrics} == {"lead"}


def test_generic_headings_do_not_start_a_new_study() -> None:
    record = record_of("ms-hsct-hant.txt")
    assert [s.id for s in record.studies if not s.trial_ids] == []
    assert {m.study for m in record.metrics} == {"trial-ISRCTN12345678"}


def test_case_headings_start_their_own_study() -> None:
    record = record_of("retina-rpe-mixed.txt")
    assert [(s.kind, s.label) for s in record.studies if not s.trial_ids] == [("preclinical", "案例2：動物實驗")]
