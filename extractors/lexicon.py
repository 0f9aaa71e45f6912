"""Words several fact families read (range and list separators, participant nouns, follow-up and
delivery words), kept once in data/lexicon.json so that no extractor imports another for its words."""

from __future__ import annotations

import re
from functools import cache

from stemwire.extractors.resources import load_json


@cache
def words(key: str) -> tuple[str, ...]:
    """The lexicon's list under `key` (a KeyError names a key the data file lacks)."""
    return tuple(load_json("lexicon.json")[key])


def alternation(*keys: str, extra: tuple[str, ...] = ()) -> str:
    """A regular-expression alternation of the words under `keys` (and `extra`), longest first, escaped."""
    items = {w for key in keys for w in words(key)} | set(extra)
    return "|".join(re.escape(w) for w in sorted(items, key=lambda w: (-len(w), w)))


def range_separator_chars() -> str:
    """The one-character range separators, as a string (for strip and membership tests)."""
    return "".join(w for w in words("range_separators") if len(w) == 1)
