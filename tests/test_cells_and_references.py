import csv

import pytest

from stemwire.extractors.cells import cell_entries
from stemwire.extractors.resources import load_tsv, split_list
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
        ("Kymriah与CAR-T细胞。", ["CAR-T cell"]),
        # engineered cells are their own entries; generated progenitor names; lay organ-cell names
        ("CAR-T细胞、CAR-NK细胞与NK细胞。", ["CAR-T cell", "CAR-NK cell", "natural killer cell"]),
        (
            "心肌前体细胞、神经前驱细胞与肝祖细胞。",
            ["cardiac muscle myoblast", "neural progenitor cell", "hepatoblast"],
        ),
        ("心脏细胞与肝脏细胞受损。", ["cardiac muscle cell", "hepatocyte"]),
        ("骨髓单个核细胞(BM-MNC)移植。", ["mononuclear cell of bone marrow"]),
        # a cell word inside a protein, factor, antigen or receptor name is no mention
        ("肝细胞生长因子(HGF)、B细胞成熟抗原(BCMA)与血小板衍生生长因子。", []),
        ("靶向B细胞成熟抗原的CAR-T细胞清除了B细胞。", ["CAR-T cell", "B cell"]),
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
            if e.engineered:  # its own label; the id is the CL class it belongs to
                assert labels[e.cl_id] != e.label, f"{e.key}: an engineered cell keeps a label of its own"
            else:
                assert labels[e.cl_id] == e.label, f"{e.key}: CL says {labels[e.cl_id]!r}, gazetteer {e.label!r}"
    engineered = {e.key: e.cl_id for e in cell_entries().values() if e.engineered}
    assert engineered == {"car_t_cell": "CL:0000084", "car_nk_cell": "CL:0000623"}


@pytest.mark.skipif(not CL_TERMS.exists(), reason="../shared/ontology/cl-terms.tsv is absent")
def test_ontology_supplement_agrees_with_cl_and_names_existing_parents() -> None:
    with CL_TERMS.open(encoding="utf-8") as fh:
        labels = {row["id"]: row["label"] for row in csv.DictReader(fh, delimiter="\t")}
    rows = load_tsv("cl_supplement.tsv")
    assert {r["id"] for r in rows} >= {"CL:0010004"}
    for r in rows:
        assert labels.get(r["id"]) == r["label"], r["id"]
        assert r["parents"] and all(p in labels for p in split_list(r["parents"])), r["id"]
    assert next(e for e in cell_entries().values() if e.key == "bm_mononuclear").cl_id == "CL:0010004"


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
