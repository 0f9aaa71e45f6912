import csv

import pytest

from stemwire.extractors.cells import cell_entries
from stemwire.extractors.script import to_analysis_text
from tests.helpers import CL_TERMS, both_scripts, facts_of


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("神经干细胞移植与间充质干细胞比较。", ["neural stem cell", "mesenchymal stem cell"]),
        (
            "骨髓间充质干细胞(BM-MSC)与脐带MSC。",
            ["mesenchymal stem cell of the bone marrow", "mesenchymal stem cell of umbilical cord"],
        ),
        ("诱导多能干细胞(iPSC)分化为多巴胺能神经元。", ["induced pluripotent stem cell", "dopaminergic neuron"]),
        (
            "UC-MSC输注后CD4+ T细胞下降。",
            ["mesenchymal stem cell of umbilical cord", "CD4-positive, alpha-beta T cell"],
        ),
        ("干细胞与细胞产品的前景。", []),  # generic words are not cell types
        # Taiwan spellings come from regional variants of the gazetteer's names
        ("寡树突胶质前驱细胞与寡树突胶质细胞。", ["oligodendrocyte precursor cell", "oligodendrocyte"]),
        ("自然杀手细胞与骨髓间质干细胞。", ["natural killer cell", "mesenchymal stem cell of the bone marrow"]),
        # a product is a mention of the cell type it is made of
        ("NurOwn是一种细胞产品。", ["MSC-NTF cell"]),
        ("Kymriah与CAR-T细胞。", ["T cell"]),
    ],
)
def test_cell_types_in_both_scripts(body: str, expected: list[str]) -> None:
    for text in both_scripts(body):
        assert [c.name for c in facts_of("标题\n" + text)["cell_types"]] == expected


def test_gazetteer_is_large_and_written_in_simplified() -> None:
    entries = cell_entries()
    assert len([e for e in entries.values() if not e.generic]) >= 80
    for e in entries.values():
        for name in e.zh_hans:
            assert to_analysis_text(name).text == name, f"{e.key}: {name} is not in Simplified script"


@pytest.mark.skipif(not CL_TERMS.exists(), reason="../shared/ontology/cl-terms.tsv is absent")
def test_cell_ontology_ids_exist_with_their_labels() -> None:
    with CL_TERMS.open(encoding="utf-8") as fh:
        labels = {row["id"]: row["label"] for row in csv.DictReader(fh, delimiter="\t")}
    for e in cell_entries().values():
        if e.cl_id:
            assert e.cl_id in labels, f"{e.key}: {e.cl_id} is not a Cell Ontology class"
            assert labels[e.cl_id] == e.label, f"{e.key}: CL says {labels[e.cl_id]!r}, gazetteer {e.label!r}"


def test_references_and_citation_markers() -> None:
    text = (
        "标题\n研究发表于期刊[1],另见〔2〕。\n参考文献\n"
        "[1] A B. Title. J. 2025. doi: 10.1002/advs.202504154. PMID: 40407281; PMCID: PMC12362810.\n"
        "[2] https://doi.org/10.1038/s41467-025-64240-1\n"
    )
    refs = facts_of(text)["references"]
    assert [(r.number, r.doi, r.pmid, r.pmcid) for r in refs] == [
        (1, "10.1002/advs.202504154", "40407281", "PMC12362810"),
        (2, "10.1038/s41467-025-64240-1", None, None),
    ]
    assert len(refs[0].cited_at) == 1 and len(refs[1].cited_at) == 1


def test_products_are_listed_on_their_cell_type() -> None:
    cells = facts_of("标题\nRyoncil（remestemcel-L）获批。")["cell_types"]
    assert [(c.name, c.products) for c in cells] == [
        ("mesenchymal stem cell of the bone marrow", ["Ryoncil", "remestemcel-L"])
    ]


def test_no_surface_form_names_two_measures() -> None:
    from collections import defaultdict

    from stemwire.extractors.resources import load_tsv, split_list

    owners = defaultdict(set)
    for row in load_tsv("measures.tsv"):
        for form in split_list(row["zh_hans"]) + split_list(row["abbreviations"]):
            owners[form].add(row["key"])
    assert {form: keys for form, keys in owners.items() if len(keys) > 1} == {}
