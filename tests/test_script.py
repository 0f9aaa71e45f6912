from pathlib import Path

import pytest

from stemwire.extractors.article import extract_record
from stemwire.extractors.script import detect_script, to_analysis_text
from tests.helpers import FIXTURES, both_scripts


def test_detects_each_script() -> None:
    assert detect_script("神经干细胞移植为中风的治疗带来了新的希望，研究显示功能明显改善。").script == "simplified"
    assert detect_script("神經幹細胞移植為中風的治療帶來了新的希望，研究顯示功能明顯改善。").script == "traditional"
    mixed = (
        "神經干細胞移植為中風的治療帶來了新的希望。隨后的研究顯示，對于慢性期患者，干細胞可以存活并分化，"
        "移植后功能明顯改善，并且安全性良好，這也為后續研究奠定了基礎。"
    )
    assert detect_script(mixed).script == "mixed"


def test_analysis_text_keeps_length_and_folds_width() -> None:
    original = "２０２５年，神經幹細胞（ＮＣＴ０４６３１４０６）劑量0.4×10⁹個"
    analysis = to_analysis_text(original)
    assert len(analysis.text) == len(original)
    assert analysis.text.startswith("2025年,神经干细胞(NCT04631406)")
    assert "10⁹" in analysis.text  # superscript exponents survive


@pytest.mark.parametrize("name", ["cardio-ipsc-hans.txt", "ms-hsct-hant.txt", "retina-rpe-mixed.txt"])
def test_every_span_points_at_its_original_text(name: str) -> None:
    path = FIXTURES / "articles" / name
    original = path.read_text(encoding="utf-8")
    record = extract_record(path).model_dump()
    spans = [s for key in ("mentions", "dates", "durations", "metrics", "references") for s in record[key]]
    assert len(spans) > 10
    for span in spans:
        assert original[span["start"] : span["end"]] == span["text"]


def test_offsets_hold_in_both_scripts(tmp_path: Path) -> None:
    body = "2025年2月17日，一项1/2a期研究(NCT04631406)纳入了18名患者，神经干细胞移植12个月后评分提升12.1分。"
    for i, text in enumerate(both_scripts(body)):
        path = tmp_path / f"a{i}.txt"
        path.write_text("标题\n" + text, encoding="utf-8")
        record = extract_record(path).model_dump()
        assert record["mentions"]
        for span in record["mentions"]:
            assert ("标题\n" + text)[span["start"] : span["end"]] == span["text"]
