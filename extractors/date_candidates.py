"""Where dates can be in a text: the date grammar (data/date_patterns.json, words in
data/date_words.json) compiled once, matched only where a match can begin, and its candidates sifted
for the ones that read as dates at all. Resolving them to ISO 8601 values is dates.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stemwire.extractors.claims import Claims
from stemwire.extractors.grammar import expand
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import words as lexicon_words
from stemwire.extractors.numerals import NUMERAL_CHARS, parse_chinese_numeral, parse_number
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import (
    digit_run_starts,
    digits_led_rest,
    matches_at,
    merged,
    number_starts,
    single_first,
    starts_of,
    with_leading_space,
)


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    groups: dict[str, Any]
    spans: dict[str, tuple[int, int]]


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    return load_json("date_words.json")


@lru_cache(maxsize=1)
def _grammar() -> dict[str, Any]:
    return load_json("date_patterns.json")


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(expand(source, _grammar()["fragments"], words()))


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(kind, compiled pattern), in the data file's order."""
    return [(kind, _compile(spec["regex"])) for kind, spec in _grammar()["patterns"].items()]


def _opens_at(kind: str) -> str:
    return str(_grammar()["patterns"][kind]["opens_at"])


@lru_cache(maxsize=1)
def continuations() -> dict[str, re.Pattern[str]]:
    return {name: _compile(source) for name, source in _grammar()["continuations"].items()}


_NUMERAL_RUN = re.compile(single_first(rf"[\d{NUMERAL_CHARS}]+"))


@lru_cache(maxsize=1)
def _opening_scans() -> dict[str, re.Pattern[str]]:
    """Cheap scans for where the era-led, word-led and month-name-led grammars can begin."""
    w = words()
    initials = {c for name in w["month_names"] for c in (name[0].lower(), name[0].upper())}
    return {
        "era": re.compile(w["roc_era"]),
        "month_initial": re.compile(f"[{''.join(sorted(initials))}]"),
    }


@lru_cache(maxsize=32)  # one entry per opening kind of the article being read
def _starts(opens_at: str, text: str) -> tuple[int, ...] | None:
    """Where matches of a pattern can begin; None: anywhere (the pattern opens with a literal)."""
    if opens_at == "digits":
        return digit_run_starts(text)
    if opens_at == "digits_space":
        return tuple(with_leading_space(text, digit_run_starts(text)))
    if opens_at == "numerals":
        return tuple(starts_of(_NUMERAL_RUN, text))
    if opens_at == "numerals_space":
        return tuple(with_leading_space(text, starts_of(_NUMERAL_RUN, text)))
    if opens_at == "era":
        return tuple(starts_of(_opening_scans()["era"], text))
    if opens_at == "month_initial":
        return tuple(starts_of(_opening_scans()["month_initial"], text))
    name, space, _ = opens_at.partition("+space")
    if name in _scans():
        found = _scan_starts(name, text)
        return tuple(with_leading_space(text, found) if space else found)
    return None


# A scan opening with a run of digits and Chinese numerals ([\d〇零…]+…): re tests such a class slowly,
# at every character (0.07-0.15 ms per article for each scan).
_DIGITS_AND = re.compile(r"\[\\d(?P<chars>[^\]\\]+)\]\+")


@lru_cache(maxsize=1)
def _scan_runs() -> dict[str, re.Pattern[str]]:
    """For each scan opening with such a run, a scan of the runs of its other characters."""
    found = {}
    for name, source in _grammar()["scans"].items():
        m = _DIGITS_AND.match(expand(source, _grammar()["fragments"], words()))
        if not name.startswith("_") and m is not None:
            found[name] = re.compile(single_first(f"[{m.group('chars')}]+"))
    return found


def _scan_starts(name: str, text: str) -> list[int]:
    """Where a scan's matches begin. One that opens with a run of digits and numerals begins where
    such a run does (what follows the run never begins with one of its characters, so an attempt
    inside a run fails as the one at its start did): it is tried at digit runs and numeral runs only."""
    run = _scan_runs().get(name)
    if run is None:
        return starts_of(_scans()[name], text)
    starts = merged(digit_run_starts(text), starts_of(run, text))
    return [m.start() for m in matches_at(_scans()[name], text, starts)]


@lru_cache(maxsize=1)
def _scans() -> dict[str, re.Pattern[str]]:
    scans = _grammar()["scans"]
    return {
        name: re.compile(single_first(expand(source, _grammar()["fragments"], words())))
        for name, source in scans.items()
        if not name.startswith("_")
    }


def matches(kind: str, rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    opens_at = _opens_at(kind)
    if opens_at == "digits" and (rest := digits_led_rest(rx.pattern)) is not None:
        return matches_at(rx, text, number_starts(text, rest))  # 5日: only numbers followed by what can follow
    starts = _starts(opens_at, text)
    return rx.finditer(text) if starts is None else matches_at(rx, text, starts)


def num(value: str | None) -> int | None:
    """A month, day or year number written in digits or Chinese numerals."""
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return parse_chinese_numeral(value)


# Minguo dates that carry no era word: read only where the article's context makes the era certain.
ROC_ONLY = ("roc_3digit", "roc_numeric")


def candidates(text: str, layout: Layout, claims: Claims, roc: bool = False) -> list[Candidate]:
    """Date candidates, longest first at each position; `roc`: the article is in an ROC context, so
    103年4月30日 and 103/04/30 are Minguo dates (elsewhere they are not tried)."""
    found: list[Candidate] = []
    for kind, rx in patterns():
        if kind in ROC_ONLY and not roc:
            continue
        for m in matches(kind, rx, text):
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            if start == m.end() or layout.kind_at(start) in ("boilerplate", "blank"):
                continue
            if not _plausible(kind, m, text, start):
                continue
            spans = {k: m.span(k) for k, v in m.groupdict().items() if v is not None}
            found.append(Candidate(start, m.end(), kind, m.groupdict(), spans))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Candidate] = []
    last_end = -1
    for c in found:
        if c.start >= last_end and not claims.overlaps(c.start, c.end):
            kept.append(c)
            last_end = c.end
    return kept


def _clause_start(text: str, start: int, openers: str = "\n，。；：！？,;:!?　 ") -> bool:
    """Nothing but a subject word (他, 我们) stands between the clause's start (after one of
    `openers`, or the text's start) and `start`."""
    at = start
    for subject in sorted(words()["offset_subjects"], key=len, reverse=True):
        if text.endswith(subject, 0, start):
            at = start - len(subject)
            break
    return at == 0 or text[at - 1] in openers


def _plausible(kind: str, m: re.Match[str], text: str, start: int) -> bool:
    """Whether a match reads as a date at all (else it stays free for other families)."""
    w = words()
    g = m.groupdict()
    if kind == "month_day" and not (g["d"] or g["db"] or g["part"]):
        after = text[m.end() : m.end() + 1]
        return _month_anchor(text, start) and not any(after.startswith(a) for a in w["not_after_month_range"])
    if kind in ("roc", *ROC_ONLY):
        return num(g["ry"]) is not None
    if kind == "cn_ymd":
        year = parse_chinese_numeral(g["cy"])
        if year is None or not 1900 <= year <= 2100:
            return False
        if any(u in g["cy"] for u in "十百千") and not g["m"]:  # 两千年前 is 2000 years ago
            return not re.match(r"[前后来间多余内里]", text[m.end() : m.end() + 1])
        return True
    if kind == "short_year":
        return True
    if kind == "day_only":
        before, after = text[max(0, start - 2) : start], text[m.end() : m.end() + 3]
        if any(before.endswith(b) for b in w["not_before_day"]) or not 1 <= int(g["d"]) <= 31:
            return False
        anchored = any(before.endswith(b) for b in w["day_anchors_before"]) or _clause_start(text, start)
        return anchored or any(after.startswith(a) for a in w["day_wire_after"])
    if kind == "month_range":
        after = text[m.end() : m.end() + 2]
        lead = text[max(0, start - 4) : start]
        if any(after.startswith(a) for a in w["not_after_month_range"]):
            return False
        return not any(lead.endswith(f) for f in lexicon_words("follow_up_words"))
    if kind == "relative_offset":
        n = num(g["n"]) if g["n"].isdigit() else parse_number(g["n"])
        if n is None or not 0 < n < 200 or n != int(n):
            return False
        if words()["offset_directions"][g["dir"]] > 0:
            # 48周后 inside a sentence counts from its event, and in this news 12周后 / 6个月后 opening a
            # sentence count from the treatment (a time point, not a date): only N天后 there is a date.
            return words()["offset_units"][g["ou"]] == "day" and _clause_start(text, start, "\n。！？!?")
        return _clause_start(text, start)
    if kind in ("nth_month", "nth_month_relative"):
        return (num(g["nth"]) or 0) in range(1, 13)
    return True


def _month_anchor(text: str, start: int) -> bool:
    """A bare 'M月' is a date only where a preposition makes it one (于8月, 在3月, 自5月)."""
    return start > 0 and text[start - 1] in "于在自从至到及和、与"
