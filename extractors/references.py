"""References: DOI, PMID, PMCID and URL of each entry, and the body's citation markers ([1], 〔2〕)."""

from __future__ import annotations

import re

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout, Line
from stemwire.schemas.models import Reference

_URL = re.compile(r"https?://[^\s<>\"'，。；、）)\]】]+")
# The lookbehinds stand after the literal they guard ("10.", "PMC"): the same matches, and re can
# skip ahead to the literal instead of trying every position (~0.08 ms per pattern and article).
_DOI = re.compile(r"10\.(?<![\w.]10\.)\d{4,9}/[^\s<>\"'，。；、]+")
# PMID in any case, or a PubMed address: both open with a p, taken first so that re skips ahead to it.
_PMID = re.compile(r"[Pp](?:(?i:MID)\s*[:：]?\s*(\d{1,9})(?!\d)|(?<=p)ubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9}))")
_PMCID = re.compile(r"PMC(?<![A-Za-z]PMC)\d{4,9}(?!\d)")
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|[(\[〔【](\d{1,3})[)\]〕】]|(\d{1,3})[.、](?!\d))")
_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,，\-–]\s*\d{1,3})*)\]|〔(\d{1,3})〕|【(\d{1,3})】")


def _trim(value: str) -> str:
    value = value.rstrip(".,;:")
    while value.endswith(")") and value.count("(") < value.count(")"):
        value = value[:-1]
    return value


def _entry(text: str, start: int, end: int) -> Reference | None:
    line = text[start:end]
    urls = [_trim(m.group()) for m in _URL.finditer(line)]
    doi_match = _DOI.search(line)
    pmid_match = _PMID.search(line)
    pmcid_match = _PMCID.search(line)
    if not (urls or doi_match or pmid_match or pmcid_match) and not _ENTRY_NUMBER.match(line):
        return None
    number = _ENTRY_NUMBER.match(line)
    return Reference(
        number=int(next(g for g in number.groups() if g)) if number else None,
        start=start,
        end=end,
        text=line,
        doi=_trim(doi_match.group()) if doi_match else None,
        pmid=next(g for g in pmid_match.groups() if g) if pmid_match else None,
        pmcid=pmcid_match.group() if pmcid_match else None,
        url=urls[0] if urls else None,
    )


# Lines outside the reference list whose DOI, PMID or PMCID is a reference identifier: the body, the
# title block and bylines, metadata lines. Not a related block's teasers nor chrome: not the article's.
_ID_LINE_KINDS = ("body", "title", "dateline", "heading")
_ID_LINE_REASONS = ("metadata", "citation", "date")


def _carries_identifier(text: str, line: Line) -> bool:
    if line.kind not in _ID_LINE_KINDS and not (line.kind == "boilerplate" and line.reason in _ID_LINE_REASONS):
        return False
    return any(rx.search(text, line.start, line.end) for rx in (_DOI, _PMID, _PMCID))


def find_references(original: str, text: str, layout: Layout, claims: Claims) -> list[Reference]:
    """One reference per line of the reference list, plus any other line of the article (body, title
    block, metadata) that carries a DOI, PMID or PMCID."""
    refs: list[Reference] = []
    for line in layout.lines:
        if line.kind == "reference" or _carries_identifier(text, line):
            start = line.start + len(text[line.start : line.end]) - len(text[line.start : line.end].lstrip())
            ref = _entry(original, start, line.end)
            if ref is None:
                continue
            refs.append(ref if line.kind == "reference" else ref.model_copy(update={"number": None}))
    # Identifiers and URLs are claimed, so their digits are not read again as dates or numbers;
    # the rest of an entry stays readable (Epub 2025 May 23 is a date).
    for rx in (_URL, _DOI, _PMID, _PMCID):
        for m in rx.finditer(text):
            if not claims.overlaps(m.start(), m.end()):
                claims.add(m.start(), m.end())
    by_number = {r.number: r for r in refs if r.number is not None}
    for m in _CITATION.finditer(text):
        if layout.kind_at(m.start()) not in ("body", "heading", "title"):
            continue
        for n in _citation_numbers(next(g for g in m.groups() if g)):
            if n in by_number:
                by_number[n].cited_at.append(m.start())
        claims.add(m.start(), m.end())
    return refs


def _citation_numbers(group: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,，]\s*", group):
        ends = [int(x) for x in re.split(r"\s*[\-–]\s*", part) if x.isdigit()]
        if len(ends) == 2:  # a range, [3-5]
            lo, hi = ends
            numbers += list(range(lo, hi + 1)) if 0 < hi - lo < 50 else [lo, hi]
        else:  # one number, or a chain such as [1-2-3]: each number it names
            numbers += ends
    return numbers
