"""Grammars run only where a match can begin (extractors/scan.py) must find exactly what a scan of
every position finds: compared on our fixture articles, synthetic articles, the dev corpus when it
is beside us, and strings written to sit on the edges (signs, spaces, numbers glued to letters)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from functools import lru_cache, partial

import pytest

from stemwire.extractors import date_candidates, durations, metrics, trials
from stemwire.extractors.scan import matches_at
from stemwire.extractors.script import to_analysis_text
from stemwire.flows.quality.synthetic import article_text
from tests.helpers import DEV_CORPUS, FIXTURES, both_scripts

EDGES = [
    "收缩压下降-12.5分, 评分 −3分; a12分; 3.5.6分; x−4% 与 -7%至-9%; 12 %; 八倍与 十 倍; 20倍数",
    "OR=0.18, xHR 0.4, RR:2, 风险比为0.62; 比值比 1.7; ABHR=3",
    "于 8月, 2025年 3 月5日, 2025 年底; 民国 112年3月; 112年 5月; 1999-12-31; 2020/3; 2021 Mar 5",
    "published March 5, 2021; xmar 5, 2020; Dec. 12, 2019; summary 5, 2020",
    "NCT 04631406, xNCT04631406, 2019-001234-56, 12019-001234-56, jRCT2031190120, CTR20190001",
    "n=18, N = 24, an=5, 30例患者完成, 1.5个月, 第 7天, 十二个月, 半年, 两 年, 3至6个月, 1、3、6个月",
    "   12个月  ",
    "-5",
    "",
]


@lru_cache(maxsize=1)
def _texts() -> list[str]:
    texts = [t for s in EDGES for t in both_scripts(s)]
    rng = random.Random(3)
    texts += [article_text(rng) for _ in range(6)]
    for folder in (FIXTURES / "articles", DEV_CORPUS):
        if folder.is_dir():
            texts += [p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.glob("*.txt"))]
    return [to_analysis_text(t).text for t in texts]


def _anchored() -> Iterator[tuple[str, re.Pattern[str], Callable[[str], Iterator[re.Match[str]]]]]:
    for name in metrics._patterns():
        yield f"metrics.{name}", metrics._patterns()[name], partial(metrics._matches, name)
    for kind, rx in date_candidates.patterns():
        yield f"dates.{kind}", rx, partial(date_candidates.matches, kind, rx)
    for i, rx in enumerate(trials._enrollment_patterns()):
        yield f"enrollment.{i}", rx, partial(trials._enrollment_matches, i, rx)
    for reg in trials.registries():
        yield f"registry.{reg.key}", reg.pattern, partial(trials._registry_matches, reg)
    yield "durations", durations._pattern(), _duration_matches


def _duration_matches(text: str) -> Iterator[re.Match[str]]:
    return matches_at(durations._pattern(), text, durations._openings(text))


@pytest.mark.parametrize("name,pattern,anchored", list(_anchored()), ids=lambda v: v if isinstance(v, str) else "")
def test_anchored_grammar_finds_what_a_full_scan_finds(name, pattern, anchored):
    for text in _texts():
        expected = [(m.span(), m.group()) for m in pattern.finditer(text)]
        assert [(m.span(), m.group()) for m in anchored(text)] == expected, (name, text[:80])


def test_matches_at_respects_the_window_and_skips_starts_inside_a_match():
    rx = re.compile(r"(?<!\d)\d+分")
    text = "12分 345分 6分"
    starts = [0, 1, 4, 5, 6, 9]
    assert [m.group() for m in matches_at(rx, text, starts)] == ["12分", "345分", "6分"]
    assert [m.group() for m in matches_at(rx, text, starts, lo=3, hi=9)] == ["345分"]
