"""The data files the extractors read: every key the code reads exists, cross-references resolve,
every pattern compiles, and every Chinese word is written in the analysis (Simplified) script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pytest

from stemwire.extractors import lexicon
from stemwire.extractors.resources import DATA_DIR, load_json, load_tsv, split_list

ROOT = Path(__file__).resolve().parent.parent
_T2S = opencc.OpenCC("t2s")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Files whose words keep both scripts on purpose (regional names, variants), or that are not words.
_BOTH_SCRIPTS = {"cell_types.tsv", "cell_products.tsv", "cell_name_variants.json", "registries.json"}


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() if k != "_comment" for s in [k, *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_every_lexicon_key_the_code_reads_exists() -> None:
    data = load_json("lexicon.json")
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "extractors").glob("*.py"))
    read = set(re.findall(r"""(?<![\w])(?:lexicon\.)?words\(\s*["']([a-z_]+)["']""", code))
    for call in re.findall(r"""(?<![\w])alternation\(([^)]*)\)""", code):
        read |= set(re.findall(r"""["']([a-z_]+)["']""", call.split("extra=")[0]))
    assert read, "the extractors read the lexicon"
    assert read <= set(data), sorted(read - set(data))


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_json_data_parses_and_its_words_are_simplified(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if path.name in _BOTH_SCRIPTS:
        return
    traditional = [w for s in _strings(data) for w in _HAN.findall(s) if _T2S.convert(w) != w]
    assert not traditional, f"{path.name}: not in the analysis script: {traditional[:10]}"


def test_lexicon_alternations_compile_and_match_their_words() -> None:
    for key in load_json("lexicon.json"):
        if key.startswith("_"):
            continue
        rx = re.compile(f"(?:{lexicon.alternation(key)})")
        assert all(rx.fullmatch(w) for w in lexicon.words(key)), key


def test_cross_references_between_data_files_resolve() -> None:
    cells = {row["key"] for row in load_tsv("cell_types.tsv")}
    products = [row["cell_type"] for row in load_tsv("cell_products.tsv")]
    assert set(products) <= cells, sorted(set(products) - cells)
    for name in ("conditions.tsv", "measures.tsv"):
        rows = load_tsv(name)
        keys = [row["key"] for row in rows]
        assert len(keys) == len(set(keys)), f"{name}: duplicate keys"
        assert all(split_list(row["zh_hans"]) or split_list(row["english"]) for row in rows), name


def test_registry_patterns_compile() -> None:
    registries = load_json("registries.json")
    items = registries if isinstance(registries, list) else registries.get("registries", [])
    patterns = [v for item in items for k, v in item.items() if "pattern" in k and isinstance(v, str)]
    assert patterns
    for pattern in patterns:
        re.compile(pattern)


@pytest.mark.parametrize("module", sorted((ROOT / "extractors").glob("*.py")), ids=lambda p: p.name)
def test_every_word_list_key_a_module_reads_exists(module: Path) -> None:
    """A module that loads JSON word lists reads them as w["key"], _words()["key"] or
    trial_words()["key"]: each such key is in one of the files that module loads."""
    code = module.read_text(encoding="utf-8")
    files = re.findall(r"""load_json\(\s*["']([\w.]+\.json)["']""", code)
    if not files or files == ["lexicon.json"]:
        return
    known = set().union(*(load_json(name) for name in files))
    read = set(re.findall(r"""(?:\bw|_words\(\)|trial_words\(\))\[\s*["']([a-z_]+)["']\s*\]""", code))
    assert read <= known, f"{module.name} reads {sorted(read - known)}, not in {files}"
