"""scan.single_first: a pattern opening with a repeated class, rewritten to open with one character,
finds exactly the same matches (the speed comes from re's skip-ahead; the benchmark measures it)."""

from __future__ import annotations

import random
import re

import pytest

from stemwire.extractors.scan import single_first

SOURCES = [
    r"\d+",
    r"[A-Za-z0-9]+",
    r"[\d〇零一二十]+\s*月",
    r"[]a]+b",
    r"[^\]a]+",
    r"[\]]+x|y",
    r"\s+(?P<n>\d)",
]


@pytest.mark.parametrize("source", SOURCES)
def test_the_rewrite_finds_the_same_matches(source: str) -> None:
    old, new = re.compile(source), re.compile(single_first(source))
    assert new.pattern != old.pattern
    rng = random.Random(source)
    pieces = ["1", "23", "a", "b", "]", "\\", "x", "y", " ", "\n", "一", "十", "月", "中"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert [(m.span(), m.groups()) for m in new.finditer(text)] == [
            (m.span(), m.groups()) for m in old.finditer(text)
        ], text


@pytest.mark.parametrize("source", [r"\d+?", r"[a]++", r"第|\d+", r"\d", r"[a-z]*", r"(?:x)+", r"(?i)[a]+"])
def test_other_openings_are_left_alone(source: str) -> None:
    assert single_first(source) == source
