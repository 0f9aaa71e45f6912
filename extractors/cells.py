"""Cell types from a curated gazetteer (extractors/data/cell_types.tsv) with Cell Ontology ids."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.layout import Layout
from extractors.resources import load_tsv, split_list
from extractors.terms import Term, TermHit, TermMatcher
from schemas.models import CellType


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
        )
    return entries


@lru_cache(maxsize=1)
def _matcher() -> TermMatcher:
    terms: list[Term] = []
    for e in cell_entries().values():
        terms += [Term(s, e.key) for s in e.zh_hans + e.abbreviations]
        terms += [Term(s, e.key, ignore_case=True) for s in e.english]
    return TermMatcher(terms)


def find_cell_mentions(text: str, layout: Layout) -> list[TermHit]:
    """Every gazetteer hit in the article's content lines (not references, footers or datelines)."""
    return [h for h in _matcher().finditer(text) if layout.is_content(h.start)]


def cell_types_from(hits: list[TermHit]) -> list[CellType]:
    """One fact per distinct cell type, in order of first mention; generic words are not facts."""
    facts: dict[tuple[str, str | None], CellType] = {}
    entries = cell_entries()
    for hit in hits:
        e = entries[hit.key]
        if e.generic:
            continue
        ident = (e.label, e.cl_id)
        if ident in facts:
            facts[ident].mention_count += 1
            continue
        facts[ident] = CellType(
            key=e.key,
            name=e.label,
            cl_id=e.cl_id,
            name_zh_hans=e.zh_hans[0] if e.zh_hans else e.label,
            name_zh_hant=e.zh_hant[0] if e.zh_hant else (e.zh_hans[0] if e.zh_hans else e.label),
            abbreviations=list(e.abbreviations),
            mention_count=1,
        )
    return list(facts.values())
