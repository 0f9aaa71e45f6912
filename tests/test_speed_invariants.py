"""Shortcuts taken for speed give what the straightforward code gives: each fast helper against the
plain reference it replaces, on the fixtures and on made-up edge cases."""

from __future__ import annotations

import re
import sys

import pytest

from stemwire.extractors import endpoints
from stemwire.extractors.scan import case_variants
from stemwire.extractors.script import analysis_text
from stemwire.extractors.time_points import words
from tests.helpers import FIXTURES, both_scripts

_EVERY_CHAR = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)


def _fixture_texts() -> list[str]:
    paths = sorted((FIXTURES / "articles").glob("*.txt")) + sorted((FIXTURES / "pages").glob("*.txt"))
    return [analysis_text(t) for p in paths for t in both_scripts(p.read_text(encoding="utf-8")) if t.strip()]


@pytest.mark.parametrize("chars", ["主首次ps", "abcikqsxyz", "AIKS", "0-9_"])
def test_case_variants_are_what_ignorecase_equates(chars: str) -> None:
    reference = "".join(m.group() for m in re.finditer(f"[{re.escape(chars)}]", _EVERY_CHAR, re.I))
    assert case_variants(chars) == "".join(sorted(reference))


def test_endpoint_word_openings_cover_ignorecase() -> None:
    w = words()
    firsts = {x[0] for x in (*w["primary_endpoint_words"], *w["secondary_endpoint_words"])}
    reference = {m.group() for m in re.finditer(f"[{re.escape(''.join(firsts))}]", _EVERY_CHAR, re.I)}
    assert {m.group() for m in endpoints._endpoint_openings().finditer(_EVERY_CHAR)} == reference


def test_endpoint_matches_equal_finditer() -> None:
    samples = [*_fixture_texts(), "Primary Endpoint: 主要终点是28天死亡率；ſecondary outcome次要终点 PRIMARY OUTCOME"]
    for text in samples:
        starts = [m.start() for m in endpoints._endpoint_openings().finditer(text)]
        for lo, hi in [(0, len(text)), (len(text) // 3, len(text) // 2), (5, 5)]:
            fast = [(m.span(), m.lastgroup) for m in endpoints._endpoint_matches(text, starts, lo, hi)]
            plain = [(m.span(), m.lastgroup) for m in endpoints._endpoint_words().finditer(text, lo, hi)]
            assert fast == plain
