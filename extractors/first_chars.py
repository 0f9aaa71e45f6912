"""The characters a match of a pattern can begin with, read from the pattern's parse tree.

A grammar that opens with a number (`(?<!…)-?12.5` then a unit) can only match where the character
after the number is one its unit can begin with: a test of that one character rules out most of the
numbers of an article before re is asked (each attempt costs ~0.5 us, most numbers match no grammar).

The answer may hold more characters than can really begin a match (assertions and anchors are read
as if they were not there), never fewer; None where it is not known (any character, a negated class,
a category other than whitespace, case-blind parts, references to groups).
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from functools import lru_cache
from typing import Any

_RANGE_MAX = 512  # characters: a wider class is read as unknown rather than listed


@lru_cache(maxsize=1)
def whitespace() -> frozenset[str]:
    """What re's \\s matches in a str pattern (all of it in the Basic Multilingual Plane)."""
    return frozenset(chr(c) for c in range(0x10000) if chr(c).isspace())


def first_chars(source: str) -> frozenset[str] | None:
    """Every character a match of `source` can begin with; None when unknown or when the pattern can
    match the empty string (then a match needs no character at all)."""
    parsed = sre_parse.parse(source)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _sequence(list(parsed))
    if found is None or found[1]:
        return None
    return frozenset(found[0])


def _sequence(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """(first characters, can match empty) of items matched one after another."""
    chars: set[str] = set()
    for op, av in items:
        found = _item(op, av)
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def _item(op: Any, av: Any) -> tuple[set[str], bool] | None:
    if op is sre.LITERAL:
        return {chr(av)}, False
    if op is sre.IN:
        chars = _class(av)
        return None if chars is None else (chars, False)
    if op is sre.BRANCH:
        chars, empty = set(), False
        for branch in av[1]:
            found = _sequence(list(branch))
            if found is None:
                return None
            chars |= found[0]
            empty = empty or found[1]
        return chars, empty
    if op is sre.SUBPATTERN:
        _, add_flags, _, pattern = av
        return None if add_flags & re.IGNORECASE else _sequence(list(pattern))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, pattern = av
        if high == 0:
            return set(), True
        found = _sequence(list(pattern))
        return None if found is None else (found[0], found[1] or low == 0)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero-width: read as absent, which only adds characters
    return None  # any character, a negated literal, group references, conditionals


def _class(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _RANGE_MAX:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            chars |= whitespace()
        else:
            return None  # a negated class, a wide range, another category
    return chars
