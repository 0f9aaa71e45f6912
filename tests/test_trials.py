import pytest

from stemwire import extract_text
from tests.helpers import both_scripts, facts_of


def trials(text: str) -> list[tuple]:
    return [(t.registry_id, t.phase, t.enrollment) for t in facts_of("标题\n" + text)["trials"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("一项1/2a期研究(NCT04631406)纳入了18名患者。", [("NCT04631406", "1/2a", 18)]),
        ("这项Ⅱ期随机、双盲、安慰剂对照试验(NCT04288102)共招募101名患者。", [("NCT04288102", "2", 101)]),
        ("III期试验登记号NCT03280056,共筛查263人,其中196人按1:1随机分组。", [("NCT03280056", "3", 196)]),
        ("其第3期试验(NCT01041001)共收案103人。", [("NCT01041001", "3", 103)]),
        ("ChiCTR2000030138:某医院的Ⅱ期研究,试验组和对照组各30例。", [("ChiCTR2000030138", "2", 60)]),
        ("试验登记号为ChiCTR-IOR-17013102,n=40。", [("ChiCTR-IOR-17013102", None, 40)]),
        ("该研究(ISRCTN88667898)为IIa期研究。", [("ISRCTN88667898", "2a", None)]),
        ("日本的jRCT2090220384试验,第三期研究共纳入十二名患者。", [("jRCT2090220384", "3", 12)]),
        ("澳洲登记ACTRN12620000123456,Phase 1/2研究。", [("ACTRN12620000123456", "1/2", None)]),
        (
            "印度CTRI/2020/05/025000与德国DRKS00012345。",
            [("CTRI/2020/05/025000", None, None), ("DRKS00012345", None, None)],
        ),
        ("UMIN000036539与KCT0003456两项登记。", [("UMIN000036539", None, None), ("KCT0003456", None, None)]),
        ("EudraCT 2011-005493-37号试验。", [("2011-005493-37", None, None)]),
    ],
)
def test_trials_in_both_scripts(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert trials(text) == expected


def test_phase_of_another_study_is_not_taken() -> None:
    body = "完成I期的受试者已转入长期随访研究(NCT05897957),将观察5年;另一III期试验计划明年启动。"
    assert trials(body) == [("NCT05897957", None, None)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # phase before the id in the same sentence, across a clause
        ("团队进行第二期试验,登录于韩国注册平台,编号KCT0005678。", [("KCT0005678", "2", None)]),
        # the study was introduced in the previous paragraph; its count comes before the id
        (
            "团队以干细胞进行第2期随机对照研究。\n研究招募了二百名患者,并在注册中心登记(ChiCTR1900028765)。",
            [("ChiCTR1900028765", "2", 200)],
        ),
        # a planned trial's phase is never a registered trial's
        (
            "团队计划明年启动III期试验。\n另一支团队曾以编号ChiCTR-IIR-17013456登记研究。",
            [("ChiCTR-IIR-17013456", None, None)],
        ),
        # a phase that another trial's sentence holds stays with that trial
        (
            "登记于DRKS00034567,为1期试验。\n另一项同类试验(NCT06123456)正在招募中。",
            [("DRKS00034567", "1", None), ("NCT06123456", None, None)],
        ),
        ("该试验(NCT01234567)N=48。", [("NCT01234567", None, 48)]),
        # China's drug-trial registry (NMPA CDE)
        ("该Ⅰ期研究(CTR20240123)计划入组24例患者。", [("CTR20240123", "1", 24)]),
        # one trial in the article: its size may stand paragraphs away from its id
        ("研究共招募565名慢性心衰病人。\n其他内容。\n试验编号:NCT02032004。", [("NCT02032004", None, 565)]),
        # ... but not the size of another study or another phase
        ("此前的II期试验纳入48人。\nIII期试验(NCT03280056)正在进行。", [("NCT03280056", "3", None)]),
        # the id in a heading, the phase in the paragraph below it
        ("一、某产品(NCT05066646)\n这是一项Ib/II期研究,共入组103例患者。", [("NCT05066646", "1b/2", 103)]),
    ],
)
def test_phase_and_enrollment_beyond_the_ids_clause(body: str, expected: list[tuple]) -> None:
    for text in both_scripts(body):
        assert trials(text) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a phase sequence, a phase in the sentence that names the id, registry fields
        ("一项Ⅰ、Ⅱ期临床试验（NCT01234568）正在进行。", ("1/2", None, None)),
        ("这项Ⅰ期研究由某医院开展，编号为NCT01234567。", ("1", None, None)),
        ("登记信息：\n注册号：ChiCTR2000012345\n研究分期：Ⅱ期\n样本量：60例", ("2", 60, None)),
        ("登记信息：\n注册号：ChiCTR2000012346\n研究分期：I/II期\n受试者例数：120", ("1/2", 120, None)),
        # planned and actual sizes, as registries distinguish them
        ("I/II期试验NCT01234569计划纳入554名患者。", ("1/2", 554, "anticipated")),
        ("该研究（NCT01234570）共入组了198名受试者，为Ⅱ期试验。", ("2", 198, "actual")),
    ],
)
def test_phase_and_enrollment_in_both_scripts(body: str, expected: tuple) -> None:
    for text in both_scripts(body):
        trial = extract_text("标题\n" + text, published="2025-03-01").trials[0]
        assert (trial.phase, trial.enrollment, trial.enrollment_type) == expected, text
