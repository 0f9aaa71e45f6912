"""Longest-match lookup of gazetteer terms in analysis text, with an Aho-Corasick automaton
(pyahocorasick): one pass over the text whatever the size of the vocabulary.

Chinese terms match exactly; a term written with a space ("CAR T细胞") also matches without it.
Terms that begin or end with a Latin letter or digit only match at word boundaries, so "MSC" is not
found inside "UC-MSC" or "MSCs". ASCII terms match case-sensitively unless marked `ignore_case`.
Matches do not overlap: the leftmost wins, and at one position the longest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import numpy as np

from stemwire.extractors.resources import load_tsv, split_list
from stemwire.extractors.scan import bmp_code_points

_BMP = 0x10000
_OUTSIDE, _NEVER = "\x00", "\x01"  # never in a term (else the matcher reads the text as it is)
_MASK_FROM = 64  # characters: a shorter text (a table header) costs more to mask than masking saves
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _spellings(surface: str) -> set[str]:
    words = surface.split()
    return {" ".join(words), "".join(words)}


_ASCII_UPPER_RUN = re.compile(r"[A-Z]+")


@lru_cache(maxsize=2)
def _ascii_lower(text: str) -> str:
    """ASCII letters lowered, nothing else touched (so lengths and offsets hold); cached because
    every vocabulary matcher reads the same article."""
    codes = bmp_code_points(text) if len(text) >= _MASK_FROM else None
    if codes is None:  # short, or a lone surrogate or an astral character in it: by re
        return _ASCII_UPPER_RUN.sub(lambda m: m.group().lower(), text)
    upper = (codes - 65) < 26  # "A".."Z" (unsigned: below "A" wraps round): a sub with a callback cost ~0.1 ms
    if not upper.any():
        return text
    return (codes + upper.astype(np.uint32) * 32).tobytes().decode("utf-32-le")


class TermMatcher:
    def __init__(self, terms: list[Term]) -> None:
        # Folded surface -> the terms spelled that way (case variants of one surface share a slot).
        # Each with whether a hit must be checked: one without ASCII letters or digits matches exactly
        # where the automaton finds it, with no word edge to test.
        table: dict[str, list[tuple[str, Term, bool]]] = {}
        for term in terms:
            for spelling in _spellings(term.surface):
                if spelling:
                    check = any(_is_word_char(ch) for ch in spelling)
                    table.setdefault(spelling.translate(_ASCII_LOWER), []).append((spelling, term, check))
        self._automaton = ahocorasick.Automaton()
        # pyahocorasick finds a node's child by a linear search, so at the root a character that
        # begins no term costs a search of every first character (hundreds). Characters in no term
        # are therefore read as _OUTSIDE, which a word that never matches makes the root's first child.
        alphabet = {ch for folded in table for ch in folded}
        self._alphabet: np.ndarray | None = None
        if table and not alphabet & {_OUTSIDE, _NEVER} and all(ord(ch) < _BMP for ch in alphabet):
            self._automaton.add_word(_OUTSIDE + _NEVER, [])
            self._alphabet = np.zeros(_BMP, dtype=bool)
            self._alphabet[[ord(ch) for ch in alphabet]] = True
        for folded, spelled in table.items():
            self._automaton.add_word(folded, spelled)
        self._empty = not table
        if table:
            self._automaton.make_automaton()

    def _outside_masked(self, folded: str) -> str:
        """The text with every character that is in no term read as _OUTSIDE (same length); the
        terms' occurrences are the same."""
        if self._alphabet is None or len(folded) < _MASK_FROM:
            return folded
        codes = bmp_code_points(folded)  # shared by the vocabularies that read this text
        if codes is not None:  # all of it in the table: no clipping, and take is a third faster than indexing
            return (
                np.where(np.take(self._alphabet, codes), codes, np.uint32(ord(_OUTSIDE))).tobytes().decode("utf-32-le")
            )
        try:
            codes = np.frombuffer(folded.encode("utf-32-le"), np.uint32)
        except UnicodeEncodeError:  # a lone surrogate: read as it is
            return folded
        inside = self._alphabet[np.minimum(codes, _BMP - 1)] & (codes < _BMP)
        return np.where(inside, codes, np.uint32(ord(_OUTSIDE))).tobytes().decode("utf-32-le")

    def _accepts(self, text: str, start: int, end: int, spelling: str, term: Term) -> bool:
        if not term.ignore_case and text[start:end] != spelling:
            return False
        if _is_word_char(spelling[0]) and start > 0 and _is_word_char(text[start - 1]):
            return False
        return not (_is_word_char(spelling[-1]) and end < len(text) and _is_word_char(text[end]))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[TermHit]:
        if self._empty:
            return
        end = len(text) if end is None else end
        folded = self._outside_masked(_ascii_lower(text))  # same length: offsets carry over
        found: list[tuple[int, int, str]] = []
        for last, spelled in self._automaton.iter(folded, start, end):
            for spelling, term, check in spelled:
                s = last + 1 - len(spelling)
                if not check or self._accepts(text, s, last + 1, spelling, term):
                    found.append((s, last + 1, term.key))
                    break
        found.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
        taken_to = -1
        for s, e, key in found:
            if s >= taken_to:
                yield TermHit(s, e, key)
                taken_to = e


def matcher_from_tsv(name: str) -> TermMatcher:
    """A matcher over a vocabulary file with key, zh_hans and abbreviations columns (exact) and an
    english column (any case)."""
    terms: list[Term] = []
    for row in load_tsv(name):
        terms += [Term(s, row["key"]) for s in split_list(row["zh_hans"]) + split_list(row["abbreviations"])]
        terms += [Term(s, row["key"], ignore_case=True) for s in split_list(row["english"])]
    return TermMatcher(terms)
