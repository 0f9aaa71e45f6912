"""Longest-match lookup of gazetteer terms in analysis text.

Chinese terms match exactly (spaces inside a term match any spacing); terms that begin or end
with a Latin letter or digit only match at word boundaries, so "MSC" is not found inside "UC-MSC"
or "MSCs" inside a longer word. At any position the longest term wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    surface: str
    key: str
    ignore_case: bool = False


@dataclass(frozen=True)
class TermHit:
    start: int
    end: int
    key: str


def _term_pattern(term: Term) -> str:
    body = r"\s*".join(re.escape(part) for part in term.surface.split())
    if term.ignore_case:
        body = f"(?i:{body})"
    if term.surface[0].isascii() and term.surface[0].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if term.surface[-1].isascii() and term.surface[-1].isalnum():
        body += r"(?![A-Za-z0-9])"
    return body


class TermMatcher:
    def __init__(self, terms: list[Term]) -> None:
        unique = {(t.surface, t.ignore_case): t for t in terms if t.surface}
        ordered = sorted(unique.values(), key=lambda t: len(t.surface), reverse=True)
        self._keys = [t.key for t in ordered]
        self._pattern = re.compile("|".join(f"({_term_pattern(t)})" for t in ordered))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[TermHit]:
        for m in self._pattern.finditer(text, start, len(text) if end is None else end):
            assert m.lastindex is not None
            yield TermHit(m.start(), m.end(), self._keys[m.lastindex - 1])
