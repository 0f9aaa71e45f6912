"""Shortcuts taken for speed give what the straightforward code gives: each fast helper against the
plain reference it replaces, on the fixtures and on made-up edge cases."""

from __future__ import annotations

import copy
import re
import sys

import pytest

from stemwire.extractors import (
    cells,
    conditions,
    date_candidates,
    endpoints,
    groups,
    layout,
    measures,
    metric_measure,
    metrics,
    references,
    registry_rows,
    repair,
    scan,
    script,
    time_points,
    trials,
)
from stemwire.extractors.first_chars import first_chars
from stemwire.extractors.pipeline import build_pipeline
from stemwire.extractors.repair import rule_matches
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import CueSearch, case_variants, matches_at, top_level_branches
from stemwire.extractors.script import analysis_text
from stemwire.extractors.terms import TermMatcher, _ascii_lower
from stemwire.extractors.time_points import words
from tests.helpers import FIXTURES, both_scripts
from tests.test_char_tokenizer import _reference as _reference_tokens
from tests.test_scan import _texts

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


def test_length_patterns_at_run_starts_equal_finditer() -> None:
    p = time_points.patterns()
    # The shortcut holds because nothing a length's number is followed by begins with a numeral.
    assert not any(re.match(rf"[\d{time_points._CN_DIGITS}半]", u) for u in words()["time_units"])
    samples = [
        *_fixture_texts(),
        "十二个月时1234个月时 三12周后 一年半时 两年半随访数据 五十五天后 半年时 3.5个月的结果",
    ]
    for text in samples:
        starts = time_points._length_starts(text)
        for name in time_points._OPEN_WITH_LENGTH:
            fast = [(m.span(), m.group("n")) for m in matches_at(p[name], text, starts)]
            assert fast == [(m.span(), m.group("n")) for m in p[name].finditer(text)]


@pytest.mark.parametrize("kind", sorted(load_json("repairs.json")["opens_at"]))
def test_repair_rules_at_their_openings_equal_finditer(kind: str) -> None:
    rx = re.compile(load_json("repairs.json")[kind])
    edges = [
        "CD133?阳性 a?b 3?细胞 ?阳",
        "Ⅰ、Ⅱ期 I、II期 IV、Va期 、Ⅱ期",
        "17 April 2014, a17 April 2014, 3 Sept. 1999 ٣ May 2020",
    ]
    for text in [*_texts(), *edges]:
        assert [m.span() for m in rule_matches(kind, rx, text)] == [m.span() for m in rx.finditer(text)]


def test_fold_width_equals_translate() -> None:
    reference = script._WidthFold()  # a fresh table: every character folded from scratch
    every_bmp = _EVERY_CHAR[: 0x10000 - 0x800]
    for text in [every_bmp, *_texts(), "１２３％ 10⁹ ＡＢＣ（注）😀ｘ", "", "a\udcff１"]:
        assert script.fold_width(text) == text.translate(reference)


def test_term_matchers_find_the_same_with_outside_characters_masked() -> None:
    edges = [
        "\x00\x01MSC\x00间充质干细胞\U0001f600CAR T细胞\udcffcar-t",
        "ＭＳＣs uc-msc MSC",
        "帕金森病\x01\x00阿尔茨海默病",
    ]
    edges += [edge * 12 for edge in edges] + ["MSC间充质干细胞，帕金森病" * 8]  # long enough to be masked
    for matcher in (measures._matcher(), cells.cell_matcher(), conditions.condition_matcher()):
        assert matcher._alphabet is not None
        plain = copy.copy(matcher)
        plain._alphabet = None  # the same automaton, over the text as it is
        for text in [*_texts(), *edges]:
            assert list(matcher.finditer(text)) == list(plain.finditer(text))
            assert list(matcher.finditer(text, 3, len(text) // 2)) == list(plain.finditer(text, 3, len(text) // 2))


def test_end_marks_of_the_text_are_those_of_its_lines() -> None:
    for text in _texts():
        lines = layout.analyse_layout(text).lines
        for mark in (layout._SENTENCE_END_MARK, layout._CLAUSE_END_MARK):
            per_line = [m.end() for line in lines for m in mark.finditer(text, line.start, line.end)]
            assert layout._mark_ends(mark, text) == per_line


def _full_sentence_by_scans(text: str, lay: layout.Layout, pos: int) -> tuple[int, int]:
    line = lay.line_at(pos)
    lo = max((text.rfind(ch, line.start, pos) for ch in time_points._FULL_STOP), default=-1)
    ends = [i for i in (text.find(ch, pos, line.end) for ch in time_points._FULL_STOP) if i >= 0]
    return (line.start if lo < 0 else lo + 1), (min(ends) + 1 if ends else line.end)


def test_full_sentence_equals_scans_of_its_line() -> None:
    for text in [*_texts(), "。a！b？\n\n!c?d。", "无句号的一行\n下一行。"]:
        lay = layout.analyse_layout(text)
        for pos in range(0, len(text), 1 if len(text) < 400 else 7):
            assert time_points.full_sentence(text, lay, pos) == _full_sentence_by_scans(text, lay, pos)


def test_split_drops_what_re_whitespace_matches() -> None:
    assert "".join(_EVERY_CHAR.split()) == re.sub(r"\s+", "", _EVERY_CHAR)


def test_strip_shortcuts_equal_the_loops() -> None:
    verbs = metric_measure.phrase_words().verbs
    openers = metric_measure.phrase_words().openers
    samples = ["握力提高了", "握力提高了 ", "评分\n提高\n", "显著改善降低", "提高", "", "了", "患者的握力"]
    samples += [t[i : i + 30] for t in _texts()[:20] for i in range(0, len(t), 97)]
    for s in samples:
        m = measures._trailing(verbs).search(s)
        assert measures._strip_end(s, verbs) == (s[: m.start()].rstrip() if m else s)
        cut, rest, changed = 0, s, True
        while changed and rest:
            changed = False
            for w in openers:
                if rest.startswith(w):
                    rest, cut, changed = rest[len(w) :], cut + len(w), True
        assert measures._strip_start(s, openers) == (rest, cut)


def test_date_scans_tried_at_runs_equal_finditer() -> None:
    assert set(date_candidates._scan_runs()) == {"month_numbers", "year_numbers", "offset_numbers"}
    edges = ["万十月 2十月 十二 月 十2月 ١٢月", "三个月前 5 年后 十2周之后", "两千零五年 二〇二〇年 千百年 12年", ""]
    for text in [*_texts(), *edges]:
        for name, rx in date_candidates._scans().items():
            assert date_candidates._scan_starts(name, text) == [m.start() for m in rx.finditer(text)], name


def test_line_index_is_the_lines_index() -> None:
    for text in _texts():
        lay = layout.analyse_layout(text)
        assert len(set(lay.lines)) == len(lay.lines)  # no two lines are equal, so index() finds each
        for pos in range(0, len(text), 13):
            assert lay.line_index(pos) == lay.lines.index(lay.line_at(pos))


@pytest.mark.parametrize("key", ["chrome", "boilerplate", "metadata_cue", "publication_cue", "related_heading"])
def test_cue_search_equals_the_pattern(key: str) -> None:
    source = load_json("layout.json")[key]
    cue, plain = CueSearch(source, re.I), re.compile(source, re.I)
    pages = sorted((FIXTURES / "pages").iterdir())
    lines = [ln.strip() for t in _texts() for ln in t.split("\n")]
    lines += [ln.strip() for p in pages for ln in p.read_text(encoding="utf-8", errors="replace").split("\n")]
    lines += [
        "Copyright 2020",
        "xICP备12号",
        "版权所有 ©",
        "ALL RIGHTS RESERVED",
        "字号：大",
        "> 正文",
        "ſkip to content",
    ]
    lines += ["QR code", "whatsapp", "Ｑr Code", "SKIP TO MAIN CONTENT", "tagS: a", "url: http://a.b", ""]
    for line in lines:
        assert cue.search(line) == (plain.search(line) is not None), line
        assert cue.match(line) == (plain.match(line) is not None), line


def test_top_level_branches_split_only_the_top_level() -> None:
    assert top_level_branches(r"a|(b|c)|[|]|\||[]|]|[^]|x]|d") == ["a", "(b|c)", "[|]", r"\|", "[]|]", "[^]|x]", "d"]
    assert top_level_branches("(?i)a|b") is None
    assert top_level_branches(r"(a)|\1") is None  # an alternative that needs another's group


def test_teaser_guard_turns_away_only_what_the_pattern_would() -> None:
    guarded = load_json("layout.json")["teaser"]
    guard = "^(?![\\s\\S]*[。！？；;])"
    assert guarded.startswith(guard)
    plain = re.compile("^" + guarded[len(guard) :])
    lines = [ln.strip() for t in _texts() for ln in t.split("\n")]
    lines += ["造血干细胞移植新进展 2019-01-02", "• 新疗法获批（2024年3月5日）", "研究进展。 2019-01-02", "标题\n 3-4"]
    for line in lines:
        assert (re.match(guarded, line) is None) == (plain.match(line) is None), line


def test_registry_probes_are_weaker_than_their_ids() -> None:
    edges = [
        "NL-OMON12345 xNL-OMON12345 NTR1234 aNTR1234 NTR12345",
        "2021-512345-12-34 x2021-512345-12-34 2021-512345-12-345",
    ]
    for reg in trials.registries():
        for text in [*_texts(), *edges]:
            found = [m.span() for m in reg.pattern.finditer(text)]
            assert [m.span() for m in trials._registry_matches(reg, text)] == found, reg.key
            if found:
                probe = reg.probe.search(text)
                assert probe is not None and probe.start() <= found[0][0]


def test_pmid_pattern_equals_the_plain_one() -> None:
    plain = re.compile(r"(?i:PMID)\s*[:：]?\s*(\d{1,9})(?!\d)|pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})")
    edges = ["PMID: 123 pmid：45 PmId 6 Pubmed.ncbi.nlm.nih.gov/1 pubmed.ncbi.nlm.nih.gov/12 PMID1234567890"]
    for text in [*_texts(), *edges]:
        fast = [(m.span(), m.groups()) for m in references._PMID.finditer(text)]
        assert fast == [(m.span(), m.groups()) for m in plain.finditer(text)]


def _last_verb_by_every_verb(lead: str) -> str | None:
    w = metrics._words()
    best: tuple[int, str] | None = None
    for direction in ("increase", "decrease", "improvement"):
        for verb in w[direction]:
            i = lead.rfind(verb)
            if i >= 0 and (best is None or i + len(verb) > best[0]):
                best = (i + len(verb), direction)
    return best[1] if best else None


def _qualifier_by_loops(text: str, start: int, end: int, clause_lo: int) -> str | None:
    w = metrics._words()
    stripped, changed = text[max(clause_lo, start - 6) : start], True
    while changed:
        changed = False
        for f in sorted(w["fillers"], key=len, reverse=True):
            if stripped.endswith(f):
                stripped, changed = stripped[: -len(f)], True
    tail = text[end : end + 4].lstrip()
    for mark, key in ((">=", "at_least"), ("<=", "at_most"), ("~", "approx")):
        if stripped.endswith(tuple(w[f"{key}_before"])) or tail.startswith(tuple(w[f"{key}_after"])):
            return mark
    return None


def test_figure_words_equal_the_loops_over_every_word() -> None:
    for text in _texts():
        for pos in range(0, len(text), 11):
            lead = text[max(0, pos - 10) : pos]
            assert metrics._last_verb(lead) == _last_verb_by_every_verb(lead)
            end = min(len(text), pos + 3)
            assert metrics._qualifier(text, pos, end, max(0, pos - 20)) == _qualifier_by_loops(
                text, pos, end, max(0, pos - 20)
            )


def test_tokens_of_the_fixtures_follow_the_rule() -> None:
    tokenizer = build_pipeline().tokenizer
    for text in _texts():
        doc = tokenizer(text)
        assert ([t.text for t in doc], [bool(t.whitespace_) for t in doc]) == _reference_tokens(text)


def _roc_headings_by_sub(roc: re.Pattern[str], text: str) -> tuple[str, list[repair.Repair]]:
    found: list[repair.Repair] = []

    def gregorian(m: re.Match[str]) -> str:
        year = int(m.group("year")) + 1911
        if not 1912 <= year <= 2100:
            return m.group()
        found.append(repair.Repair("roc_year_heading", m.start("year"), m.end("spare")))
        return m.group("lead") + f"{year}年".rjust(m.end("spare") - m.start("year"))

    return roc.sub(gregorian, text), found


def test_line_start_patterns_equal_finditer_and_sub() -> None:
    rows, _ = registry_rows._row_pattern()
    roc = repair._rules().roc_year_heading
    edges = [
        "103年卫生福利部新闻\n  103年生福利部新闻稿\nx103年卫生福利部新闻",
        "登记号: NCT01234567\n|样本量|:|60|\n\n研究分期：II期",
    ]
    for text in [*_texts(), *edges]:
        assert list(scan.line_starts(text)) == [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
        assert [m.span() for m in matches_at(rows, text, scan.line_starts(text))] == [
            m.span() for m in rows.finditer(text)
        ]
        fast: list[repair.Repair] = []
        assert (repair._roc_headings(text, fast), fast) == _roc_headings_by_sub(roc, text)
        assert [m.span() for m in matches_at(roc, text, scan.line_starts(text))] == [
            m.span() for m in roc.finditer(text)
        ]


def _term_hits_by_find(matcher: TermMatcher, text: str) -> list[tuple[int, int, str]]:
    """Every vocabulary spelling looked for with str.find, every hit checked, leftmost-longest kept."""
    lowered = _ascii_lower(text)
    found = []
    for folded, spelled in matcher._automaton.items():
        i = lowered.find(folded)
        while folded and i >= 0:
            accepted = next((t for s, t, _ in spelled if matcher._accepts(text, i, i + len(folded), s, t)), None)
            if accepted is not None:
                found.append((i, i + len(folded), accepted.key))
            i = lowered.find(folded, i + 1)
    found.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
    kept, taken_to = [], -1
    for s, e, key in found:
        if s >= taken_to:
            kept.append((s, e, key))
            taken_to = e
    return kept


def test_term_matchers_equal_a_search_for_every_spelling() -> None:
    edges = ["MSC msc MSCs UC-MSC CAR T细胞 CAR-T细胞 car t细胞 间充质干细胞", "帕金森病\x01\x00阿尔茨海默病 ALS als"]
    for matcher in (measures._matcher(), cells.cell_matcher(), conditions.condition_matcher()):
        for text in [*_texts()[:40], *edges]:
            assert [(h.start, h.end, h.key) for h in matcher.finditer(text)] == _term_hits_by_find(matcher, text)


_RUN_EDGES = ["", "-5", "−12 a-3 b−", "１２３٣٤ 5 ๓", "x-\ud800 12", "𝟘𝟙 12 -3 ab", "ABC12def", "--7", "a"]


def test_run_starts_by_table_equal_re() -> None:
    """The code point tables find the runs re finds, on both scripts, astral digits, lone surrogates."""
    for text in [*_fixture_texts(), *_texts(), *_RUN_EDGES]:
        assert scan.digit_run_starts.__wrapped__(text) == scan._digit_run_starts(text)
        assert scan.letter_run_starts.__wrapped__(text) == tuple(m.start() for m in re.finditer("[A-Za-z]+", text))
        assert scan.alnum_run_starts.__wrapped__(text) == tuple(m.start() for m in re.finditer("[A-Za-z0-9]+", text))


def test_digit_table_is_what_re_calls_a_digit() -> None:
    table = scan._bmp_digits()
    assert [c for c in range(0x10000) if table[c]] == [
        c for c in range(0x10000) if not 0xD800 <= c < 0xE000 and re.fullmatch(r"\d", chr(c))
    ]


_NUMBER_EDGES = [
    "12.5%",
    "1.2.3分",
    "-3.分 −4 次",
    "7.",
    ".5人",
    "3-4%",
    "12 %",
    "９９%",
    "x𝟗 %12",
    "5\ud800名",
    "-",
    "12",
]


def test_number_starts_keep_every_match() -> None:
    """Grammars opening with a number tried only where its longest number is followed by what the
    grammar's rest can begin with find every match a try at each digit run finds."""
    rests = metrics._number_rests()
    assert all(scan.number_followers(rest) for rest in rests.values())  # each has the shortcut
    for text in [*_fixture_texts(), *_texts(), *_NUMBER_EDGES, *(" ".join(_NUMBER_EDGES),)]:
        for name, rest in rests.items():
            rx = metrics._patterns()[name]
            plain = [m.span() for m in matches_at(rx, text, scan._digit_run_starts(text))]
            assert [m.span() for m in matches_at(rx, text, scan.number_starts(text, rest))] == plain


@pytest.mark.parametrize(
    ("source", "chars"),
    [
        (r"\s*分(?P<rate>/月)?", None),  # \s: all of re's whitespace, checked below
        (r"(?:人|名|例)", "人名例"),
        (r"[a-c]x|y?z", "abcyz"),
        (r"(?=q)w", "w"),
        (r"x?", None),  # can match nothing
        (r"(?i)a", None),
        (r"[^a]", None),
        (r"\d", None),
        (r".", None),
    ],
)
def test_first_chars(source: str, chars: str | None) -> None:
    found = first_chars(source)
    if source.startswith(r"\s"):
        assert found == {"分"} | {ch for ch in _EVERY_CHAR if re.fullmatch(r"\s", ch)}
    else:
        assert found == (None if chars is None else frozenset(chars))
    if found is not None:  # every match begins with one of them
        for text in _fixture_texts()[:4]:
            assert all(m.group()[:1] in found for m in re.finditer(source, text) if m.group())


def test_enrollment_grammars_at_their_starts_equal_finditer() -> None:
    """n=18 tried at letter runs that open with n, the counts at numbers followed by what can follow."""
    edges = ["n=18, N = 24, an=5, 3n=4, xN=2", "30例患者完成, 30.5例患者完成, 12名受试者, -3名患者, 7例", "n=", "12"]
    for text in [*_fixture_texts(), *_texts(), *edges]:
        for i, rx in enumerate(trials._enrollment_patterns()):
            if i in (1, 2, trials._SAME_SENTENCE_ONLY):
                assert [m.span() for m in trials._enrollment_matches(i, rx, text)] == [
                    m.span() for m in rx.finditer(text)
                ]


def test_digit_led_dates_at_followed_numbers_equal_finditer() -> None:
    edges = ["5日, 12.5日, 3 日, 123日, -4日, 05年3月, 1.05年3月, 19年 4 月 8 日, 日, 5", "８日；２０年１月"]
    split = [(kind, rx) for kind, rx in date_candidates.patterns() if scan.digits_led_rest(rx.pattern)]
    assert {kind for kind, _ in split} >= {"short_ymd", "day_only"}
    for text in [*_fixture_texts(), *_texts(), *edges]:
        for kind, rx in split:
            assert [m.span() for m in date_candidates.matches(kind, rx, text)] == [m.span() for m in rx.finditer(text)]


def test_starts_of_by_table_equal_finditer() -> None:
    """A class of plain characters, or a run of one, read from a table finds what re finds."""
    patterns = [
        time_points._CN_RUN,
        date_candidates._NUMERAL_RUN,
        *date_candidates._scan_runs().values(),
        endpoints._endpoint_openings(),
        date_candidates._opening_scans()["month_initial"],
        metrics._CN_FOLD,
        layout._SENTENCE_END_MARK,
        layout._CLAUSE_END_MARK,
        time_points._FULL_STOP_MARK,
        re.compile(r"[\-\]\\x]"),
        re.compile(r"[\d一]"),
        re.compile(r"[\d一][\d一]*"),
        re.compile("[a-c]"),
        re.compile("[ab]", re.I),
    ]
    assert [scan._class_shape(p) is not None for p in patterns[-3:]] == [True, False, False]
    edges = ["一二三 四五, 二〇二五年 12 ١٢, 𝟘一, 十倍。！?;a-b]c\\x", "x\ud800一", "", "一"]
    for text in [*_fixture_texts(), *_texts(), *edges]:
        for pattern in patterns:
            assert scan.starts_of(pattern, text) == [m.start() for m in pattern.finditer(text)]


def test_day_month_year_at_followed_numbers_equal_finditer() -> None:
    rx = repair._rules().day_month_year
    assert scan.number_followers(scan.digits_led_rest(rx.pattern) or "") == {" "}
    edges = ["17 April 2014, 3 Mar 2020, 123 May 2019, x5 Jun 2018, 1.5 Jul 2017, 05  Aug 2016, ٣ Sep 2015"]
    for text in [*_fixture_texts(), *_texts(), *edges, ""]:
        assert [m.span() for m in repair.rule_matches("day_month_year", rx, text)] == [
            m.span() for m in rx.finditer(text)
        ]


def test_bare_length_starts_equal_a_try_at_every_run() -> None:
    edges = ["3个月, 3.5个月, 12.周, 1.2.3天, -4年, 十二个月, 一年半, 半年, 5 天, ５天, 𝟝天, 3"]
    bare = time_points.patterns()["bare"]
    for text in [*_fixture_texts(), *_texts(), *edges]:
        plain = [s for s in time_points._length_starts(text) if bare.match(text, s)]
        assert time_points._bare_starts(text) == plain


def test_ascii_lower_by_table_equals_re() -> None:
    edges = ["", "ABC", "aBc𝟘XY" * 20, "X\ud800Y" * 30, "ÀÉ İK ſ Z@[`{" * 10, "Z" * 70, "MSC间充质干细胞" * 9]
    for text in [*_fixture_texts(), *_texts(), *edges]:
        assert _ascii_lower.__wrapped__(text) == re.sub("[A-Z]+", lambda m: m.group().lower(), text)


def test_denies_control_is_whether_the_alternation_finds_one() -> None:
    for text in [*_fixture_texts(), *_texts(), "本研究没有对照组", "单臂试验", "对照组", ""]:
        assert groups.denies_control(text) == (groups.rx("no_control").search(text) is not None)
