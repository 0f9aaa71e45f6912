"""Same-length repairs of conversion and copy-paste damage in the analysis text.

The analysis text keeps the original's length (every offset into it is the same offset into the
original), so damage is neutralised by rewriting, never by deleting:

- An inserted reading (細(xì)胞: a converter whose font lacked 細 wrote its pinyin after it) is taken
  out and the CJK characters that follow it move left to close the gap, so that matchers see 细胞;
  the freed positions become spaces at the end of that run of CJK characters (before the next digit,
  Latin letter, punctuation or line end). Numbers, ids and punctuation therefore keep their own
  positions and quote exactly; a CJK word that followed the reading in the same run is quoted from
  the original a few characters early (its start and end stay inside the run). Lines, sentences and
  clauses keep their boundaries.
- A '?' standing for a lost character between a Latin letter or digit and a CJK character
  (CD133?阳性) becomes a space, so it no longer ends a sentence.
- A Markdown image remnant in a text paste (![](…)) becomes spaces: its address holds no facts.
- 、 between two phase numerals before 期 (Ⅰ、Ⅱ期) becomes '/', the combined phase it means.
- A Taiwan government heading with its ROC year (103年卫生福利部新闻, 103 = 2014) gets the Gregorian
  year (2014年生福利部新闻): the four digits take the place of the first character after 年, a choice
  that costs one character of the heading's organisation name in the analysis text (the original
  keeps it) and lets the dates under the heading (4月30日) take their year from it.
- An English day-month-year date (Published: 17 April 2014) is written year first (2014 April 17):
  the same characters, the same span, in the order the date grammar reads.

Each rule is a regular expression in data/repairs.json; `Repair` records what was changed where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import (
    digit_run_starts,
    digits_led_rest,
    line_starts,
    matches_at,
    number_starts,
    starts_of,
)


@dataclass(frozen=True)
class Repair:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _Rules:
    pinyin: re.Pattern[str]
    toned: frozenset[str]
    cjk: re.Pattern[str]
    lost_character: re.Pattern[str]
    markdown_image: re.Pattern[str]
    phase_list: re.Pattern[str]
    day_month_year: re.Pattern[str]
    roc_year_heading: re.Pattern[str]
    # Where a rule's matches can begin (opens_at in the data file); "digits": at a run of digits.
    openings: dict[str, re.Pattern[str] | str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_json("repairs.json")
    return _Rules(
        pinyin=re.compile(data["pinyin"]),
        toned=frozenset(data["toned"]),
        cjk=re.compile(data["cjk"]),
        lost_character=re.compile(data["lost_character"]),
        markdown_image=re.compile(data["markdown_image"]),
        phase_list=re.compile(data["phase_list"]),
        day_month_year=re.compile(data["day_month_year"]),
        roc_year_heading=re.compile(data["roc_year_heading"]),
        openings={k: v if v == "digits" else re.compile(v) for k, v in data["opens_at"].items()},
    )


def rule_matches(kind: str, rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`rx.finditer(text)`, tried only where the rule's matches can begin when the data says where."""
    opening = _rules().openings.get(kind)
    if opening is None:
        return list(rx.finditer(text))
    if isinstance(opening, str):  # digits: only at numbers followed by what can follow, where that is known
        rest = digits_led_rest(rx.pattern)
        starts = digit_run_starts(text) if rest is None else number_starts(text, rest)
    else:
        starts = starts_of(opening, text)
    return list(matches_at(rx, text, starts))


def _readings(text: str) -> list[re.Match[str]]:
    r = _rules()
    return [
        m
        for m in r.pinyin.finditer(text)
        if m.start() > 0 and r.cjk.match(text, m.start() - 1) and any(ch in r.toned for ch in m.group())
    ]


def _close_readings(text: str, readings: list[re.Match[str]]) -> str:
    cjk = _rules().cjk
    out: list[str] = []
    pending = 0
    pos = 0

    def copy(segment: str) -> None:
        nonlocal pending
        if pending:
            j = next((k for k, ch in enumerate(segment) if not cjk.match(ch)), None)
            if j is None:
                out.append(segment)
                return
            out.append(segment[:j] + " " * pending + segment[j:])
            pending = 0
        else:
            out.append(segment)

    for m in readings:
        copy(text[pos : m.start()])
        pending += m.end() - m.start()
        pos = m.end()
    copy(text[pos:])
    out.append(" " * pending)
    return "".join(out)


def _roc_headings(text: str, repairs: list[Repair]) -> str:
    def gregorian(m: re.Match[str]) -> str:
        year = int(m.group("year")) + 1911
        if not 1912 <= year <= 2100:
            return m.group()
        repairs.append(Repair("roc_year_heading", m.start("year"), m.end("spare")))
        replacement = f"{year}年"
        width = m.end("spare") - m.start("year")
        return m.group("lead") + replacement.rjust(width)

    # re.sub, with the matches found only at line starts (the rule opens with ^ under (?m))
    out, last = [], 0
    for m in matches_at(_rules().roc_year_heading, text, line_starts(text)):
        out += [text[last : m.start()], gregorian(m)]
        last = m.end()
    return "".join([*out, text[last:]]) if out else text


def repair_analysis_text(text: str) -> tuple[str, list[Repair]]:
    """The analysis text with damage neutralised (same length), and what was repaired."""
    r = _rules()
    repairs: list[Repair] = []
    if "(" in text:
        readings = _readings(text)
        if readings:
            text = _close_readings(text, readings)
            repairs += [Repair("pinyin", m.start(), m.end()) for m in readings]
    for kind, rx, fill in (
        ("lost_character", r.lost_character, " "),
        ("markdown_image", r.markdown_image, " "),
        ("phase_list", r.phase_list, "/"),
    ):
        found = rule_matches(kind, rx, text)
        if not found:
            continue
        chars = list(text)
        for m in found:
            chars[m.start() : m.end()] = fill * (m.end() - m.start()) if fill == " " else fill
            repairs.append(Repair(kind, m.start(), m.end()))
        text = "".join(chars)
    if "年" in text:
        text = _roc_headings(text, repairs)
    english = rule_matches("day_month_year", r.day_month_year, text)
    if english:
        chars = list(text)
        for m in english:
            chars[m.start() : m.end()] = f"{m.group('y')} {m.group('mon')} {m.group('d')}"
            repairs.append(Repair("day_month_year", m.start(), m.end()))
        text = "".join(chars)
    return text, repairs
