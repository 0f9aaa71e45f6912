"""Grammars kept as data: named fragments that refer to each other, compiled once.

A data file (data/date_patterns.json) holds `fragments` and `patterns` written as regular
expressions in which `{name}` stands for the fragment `name`, `{w:key}` for the alternation of the
words under `key` in the family's word file, and `{lex:key}` for the same from the shared lexicon.
Counted repetitions such as `{1,2}` are left alone (a reference begins with a letter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stemwire.extractors.lexicon import alternation

_REFERENCE = re.compile(r"\{(?:(?P<src>w|lex):)?(?P<name>[a-z_][a-z0-9_]*)\}")


def words_alternation(value: Any) -> str:
    """A regular-expression alternation of a word list or of a mapping's keys, longest first, escaped."""
    items = list(value) if isinstance(value, list | dict) else [str(value)]
    return "|".join(re.escape(w) for w in sorted(items, key=lambda w: (-len(w), w)))


def expand(source: str, fragments: Mapping[str, str], words: Mapping[str, Any], _depth: int = 0) -> str:
    """`source` with every reference replaced, recursively (a KeyError names a missing key)."""
    if _depth > 20:
        raise ValueError(f"fragment references nest too deep (a cycle?): {source[:60]}")

    def replace(m: re.Match[str]) -> str:
        name = m.group("name")
        if m.group("src") == "w":
            return words_alternation(words[name])
        if m.group("src") == "lex":
            return alternation(name)
        return "(?:" + expand(fragments[name], fragments, words, _depth + 1) + ")"

    return _REFERENCE.sub(replace, source)


def references(source: str) -> list[tuple[str | None, str]]:
    """The (source, name) pairs a pattern refers to, for integrity tests."""
    return [(m.group("src"), m.group("name")) for m in _REFERENCE.finditer(source)]
