"""Cell types from a curated gazetteer (extractors/data/cell_types.tsv) with Cell Ontology ids."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stemwire.extractors.layout import Layout
from stemwire.extractors.resources import load_json, load_tsv, split_list
from stemwire.extractors.script import to_analysis_text
from stemwire.extractors.terms import Term, TermHit, TermMatcher
from stemwire.schemas.models import CellType


@dataclass(frozen=True)
class CellEntry:
    key: str
    cl_id: str | None
    label: str
    zh_hans: tuple[str, ...]
    zh_hant: tuple[str, ...]
    abbreviations: tuple[str, ...]
    english: tuple[str, ...]
    generic: bool
    engineered: bool = False  # CAR-T, CAR-NK: our own label, cl_id the CL class they belong to


@lru_cache(maxsize=1)
def cell_entries() -> dict[str, CellEntry]:
    entries = {}
    for row in load_tsv("cell_types.tsv"):
        entries[row["key"]] = CellEntry(
            key=row["key"],
            cl_id=row["cl_id"] or None,
            label=row["label"],
            zh_hans=tuple(split_list(row["zh_hans"])),
            zh_hant=tuple(split_list(row["zh_hant"])),
            abbreviations=tuple(split_list(row["abbreviations"])),
            english=tuple(split_list(row["english"])),
            generic=row["generic"].strip().lower() == "yes",
            engineered=(row.get("engineered") or "").strip().lower() == "yes",
        )
    return entries


def _with_variants(forms: set[str]) -> set[str]:
    variants = {k: v for k, v in load_json("cell_name_variants.json").items() if not k.startswith("_")}
    out = set(forms)
    for _ in range(2):  # two rounds: a name may carry two regional morphemes (寡树突胶质 + 前驱细胞)
        out |= {f.replace(m, s) for f in out for m, spellings in variants.items() if m in f for s in spellings}
    return out


def chinese_forms(e: CellEntry) -> set[str]:
    """Every Chinese surface form of a cell type, as it reads in the (Simplified) analysis text."""
    return _with_variants(set(e.zh_hans) | {to_analysis_text(f).text for f in e.zh_hant})


@lru_cache(maxsize=1)
def product_names() -> dict[str, str]:
    """Product name (folded to lower case) -> key of the cell type the product is made of."""
    return {
        name.lower(): row["cell_type"] for row in load_tsv("cell_products.tsv") for name in split_list(row["names"])
    }


@lru_cache(maxsize=1)
def cell_matcher() -> TermMatcher:
    terms: list[Term] = [Term(name, key, ignore_case=True) for name, key in product_names().items()]
    for e in cell_entries().values():
        terms += [Term(s, e.key) for s in sorted(chinese_forms(e)) + list(e.abbreviations)]
        terms += [Term(s, e.key, ignore_case=True) for s in e.english]
    return TermMatcher(terms)


@lru_cache(maxsize=1)
def _protein_heads() -> tuple[str, ...]:
    return tuple(sorted(load_json("cell_words.json")["protein_heads"], key=len, reverse=True))


def find_cell_mentions(text: str, layout: Layout, matcher: TermMatcher | None = None) -> list[TermHit]:
    """Every gazetteer hit in the article's content lines (not references, footers or datelines), but
    not a cell word inside a protein's name (肝细胞生长因子, B细胞成熟抗原)."""
    heads = _protein_heads()
    return [
        h
        for h in (matcher or cell_matcher()).finditer(text)
        if layout.is_content(h.start) and not text.startswith(heads, h.end)
    ]


def cell_types_from(original: str, hits: list[TermHit]) -> list[CellType]:
    """One fact per distinct cell type, in order of first mention; generic words are not facts.
    A product name (NurOwn, Kymriah) is a mention of the cell type it is made of."""
    facts: dict[tuple[str, str | None], CellType] = {}
    entries = cell_entries()
    products = product_names()
    for hit in hits:
        e = entries[hit.key]
        if e.generic:
            continue
        ident = (e.label, e.cl_id)
        surface = original[hit.start : hit.end]
        if ident in facts:
            facts[ident].mention_count += 1
            if surface.lower() in products and surface not in facts[ident].products:
                facts[ident].products.append(surface)
            continue
        facts[ident] = CellType(
            key=e.key,
            name=e.label,
            cl_id=e.cl_id,
            name_zh_hans=e.zh_hans[0] if e.zh_hans else e.label,
            name_zh_hant=e.zh_hant[0] if e.zh_hant else (e.zh_hans[0] if e.zh_hans else e.label),
            abbreviations=list(e.abbreviations),
            products=[surface] if surface.lower() in products else [],
            mention_count=1,
        )
    return list(facts.values())
