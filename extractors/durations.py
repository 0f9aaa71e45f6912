"""Durations and time points (12個月, 6至60个月, 第7天, 半年, 两年), normalised to ISO 8601."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.numerals import MIXED_NUMBER, NUMERAL_CHARS, parse_number, plain_decimal
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import digit_run_starts, matches_at, merged, single_first, starts_of, with_leading_space
from stemwire.schemas.models import DurationFact, Qualifier

# 或 joins two ends too where a length is given as "3或6个月".
_RANGE = alternation("range_separators", extra=("或",))
_NUM = rf"(?:{MIXED_NUMBER}|半)"
# One unit of each designator in seconds (1Y = 12M, 1M = 30D): a later part of a compound length
# must be shorter than one unit of the part before it (一年三个月, 8天20小时; not 6个月12周).
_SECONDS = {"Y": 360 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400, "TH": 3600, "TM": 60, "TS": 1}
_ORDER = tuple(_SECONDS)


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("duration_units.json")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    units = "|".join(sorted(_words()["units"], key=len, reverse=True))
    return re.compile(
        rf"(?P<ordinal>第)?\s*(?P<a>{_NUM})\s*(?:(?P<unit_a>{units})\s*)?"
        rf"(?:(?:{_RANGE})\s*(?P<b>{_NUM})\s*)?(?P<more>多|余)?\s*(?P<unit>{units})(?P<half>半)?"
    )


# 第, digits and numerals are disjoint classes: three scans that re can skip ahead in find the starts
# one alternation of them finds, where the alternation tried every position (~0.15 ms per article).
_ORDINAL = re.compile("第")
_NUMERAL_RUN = re.compile(single_first(rf"[{NUMERAL_CHARS}半]+"))


def _openings(text: str) -> list[int]:
    """Where the duration grammar can begin: 第, a run of digits or numerals, or the spaces before
    one (the grammar's number has no lookbehind, but a match never starts inside a run that failed
    from its first character, since the rest of the grammar sees the same text after it)."""
    runs = merged(starts_of(_ORDINAL, text), digit_run_starts(text), starts_of(_NUMERAL_RUN, text))
    return with_leading_space(text, runs)  # digit_run_starts adds a sign before a run: one more place to try


def iso_duration(value: float, designator: str, is_time: bool) -> str:
    if designator == "Y" and not is_time and not float(value).is_integer() and float(value * 12).is_integer():
        value, designator = value * 12, "M"  # 半年 = P6M, 1.5年 = P18M
    number = plain_decimal(value)
    return f"PT{number}{designator}" if is_time else f"P{number}{designator}"


def iso_compound(parts: dict[str, float]) -> str:
    """One ISO 8601 duration for the parts of a compound length (keys as in _SECONDS). Years and
    months alone add up to months (两年零三个月 = P27M), as a single 1.5年 gives P18M."""
    if set(parts) == {"Y", "M"}:
        return iso_duration(parts["Y"] * 12 + parts["M"], "M", False)
    date = "".join(f"{plain_decimal(parts[k])}{k}" for k in _ORDER if k in parts and not k.startswith("T"))
    time = "".join(f"{plain_decimal(parts[k])}{k[1]}" for k in _ORDER if k in parts and k.startswith("T"))
    return "P" + date + ("T" + time if time else "")


@lru_cache(maxsize=1)
def _compound_part() -> re.Pattern[str]:
    w = _words()
    units = "|".join(sorted([*w["units"], *w["compound_only_units"]], key=len, reverse=True))
    joiners = "|".join(w["compound_joiners"])
    return re.compile(
        rf"\s*(?P<join>{joiners})?\s*(?P<n>{MIXED_NUMBER})\s*(?P<more>多|余)?\s*(?P<unit>{units})(?P<half>半)?"
    )


def _key(designator: str, is_time: bool) -> str:
    return "T" + designator if is_time else designator


def _extend_compound(
    text: str, m: re.Match[str], first: float, designator: str, is_time: bool
) -> tuple[int, str] | None:
    """A compound length that begins with the match (两年零三个月, 8天20小时, 一年又一个月21天): its
    end and ISO value, or None when no further part follows."""
    w = _words()
    parts = {_key(designator, is_time): first}
    previous = _key(designator, is_time)
    end = m.end()
    while (part := _compound_part().match(text, end)) is not None:
        unit = part.group("unit")
        if unit in w["compound_only_units"]:
            d, t, after = w["compound_only_units"][unit]
            if previous != after:
                break
        else:
            d, t = w["units"][unit]
        key = _key(d, t)
        value = parse_number(part.group("n"))
        if value is None or value <= 0 or key in parts:
            break
        if part.group("half") or unit.endswith("半月"):
            value += 0.5
        reordered = _ORDER.index(key) < _ORDER.index(previous)
        if reordered and part.group("join") not in w["compound_reorder_joiners"]:
            break
        if not reordered and value * _SECONDS[key] >= _SECONDS[previous]:
            break
        after_text = text[part.end() : part.end() + 2]
        if any(after_text.startswith(x) for x in w["not_after"]):
            break
        parts[key] = value
        previous, end = key, part.end()
    return None if len(parts) == 1 else (end, iso_compound(parts))


def _qualifier(text: str, start: int, end: int, more: bool) -> Qualifier | None:
    w = _words()
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    if more or any(after.startswith(a) for a in w["approx_after"]):
        return "~"
    if any(after.startswith(a) for a in w["at_least_after"]) or any(before.endswith(b) for b in w["at_least_before"]):
        return ">="
    return None


def _is_length(text: str, m: re.Match[str], value: float, designator: str) -> bool:
    w = _words()
    unit = m.group("unit")
    after = text[m.end() : m.end() + 2]
    if any(after.startswith(x) for x in w["not_after"]):
        return False
    if designator == "Y" and (value >= 1000 or after.startswith("月")):
        return False  # a calendar year (2025年) or a Minguo date (108年1月)
    if unit == "日" and not (
        m.group("ordinal")
        or any(after.startswith(x) for x in w["day_anchor_after"])
        or any(text[max(0, m.start() - 2) : m.start()].endswith(x) for x in w["day_anchor_before"])
    ):
        return False
    return value > 0 or m.group("ordinal") is not None


def find_durations(original: str, text: str, layout: Layout, claims: Claims) -> list[DurationFact]:
    facts: list[DurationFact] = []
    units = _words()["units"]
    for m in matches_at(_pattern(), text, _openings(text)):
        start = m.start("ordinal") if m.group("ordinal") else m.start("a")
        if not layout.is_content(start) or claims.overlaps(start, m.end()):
            continue
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in "." + NUMERAL_CHARS + "点"):
            continue  # a match never begins inside a number (十五点七个月 is 15.7 months or nothing)
        if m.group("a") == "半" and start > 0 and text[start - 1] in "上下":
            continue  # 上半年 / 下半年 name a half of the calendar year, not a length
        designator, is_time = units[m.group("unit")]
        ends = [m.group("a")] + ([m.group("b")] if m.group("b") else [])
        values = [parse_number(v) for v in ends]
        if any(v is None for v in values):
            continue
        if m.group("half") and len(values) == 1 and designator == "Y" and values[0] is not None:
            values, designator = [values[0] * 12 + 6], "M"  # 一年半 = P18M
        elif m.group("unit").endswith("半月"):
            values = [v + 0.5 for v in values if v is not None]
        if m.group("unit_a") and m.group("b") and units[m.group("unit_a")][0] != designator:
            continue
        if not all(v is not None and _is_length(text, m, v, designator) for v in values):
            continue
        qualifier = _qualifier(text, start, m.end(), bool(m.group("more")))
        kind: Literal["length", "time_point"] = "time_point" if m.group("ordinal") else "length"
        compound = None
        if len(values) == 1 and not m.group("ordinal") and values[0] is not None:
            compound = _extend_compound(text, m, values[0], designator, is_time)
        if compound is not None:
            end, value = compound
            more = bool(m.group("more")) or any(ch in text[m.end() : end] for ch in "多余")
            facts.append(
                DurationFact(
                    start=start,
                    end=end,
                    text=original[start:end],
                    value=value,
                    kind=kind,
                    qualifier="~" if more else _qualifier(text, start, end, False),
                )
            )
            claims.add(start, end)
            continue
        for i, v in enumerate(values):
            assert v is not None
            facts.append(
                DurationFact(
                    start=start,
                    end=m.end(),
                    text=original[start : m.end()],
                    value=iso_duration(v, designator, is_time),
                    kind=kind,
                    qualifier=qualifier,
                    range_part=None if len(values) == 1 else ("start" if i == 0 else "end"),
                )
            )
        claims.add(start, m.end())
        if len(values) == 1 and not m.group("ordinal"):
            facts += _list_items(original, text, start, claims, designator, is_time, kind)
    return sorted(facts, key=lambda d: (d.start, d.range_part == "end"))


_LIST_BEFORE = re.compile(r"(?:(?<![\d.])\d+(?:\.\d+)?\s*[、和及]\s*)+$")
_LIST_LOOKBEHIND = 24
_NOT_BEFORE_LIST = set("表图例组式号") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _list_items(
    original: str,
    text: str,
    start: int,
    claims: Claims,
    designator: str,
    is_time: bool,
    kind: Literal["length", "time_point"],
) -> list[DurationFact]:
    """'1、3、6个月' writes the unit once: the earlier numbers are lengths in the same unit."""
    lo = max(0, start - _LIST_LOOKBEHIND)
    if not text[lo:start].rstrip().endswith(("、", "和", "及")):
        return []  # the list pattern ends with one of these and spaces: it cannot match
    listed = _LIST_BEFORE.search(text, lo, start)
    if listed is None or (listed.start() > 0 and text[listed.start() - 1] in _NOT_BEFORE_LIST):
        return []
    if listed.start() > 0 and text[listed.start() - 1] == "第":
        kind = "time_point"
    items = []
    for n in re.finditer(r"\d+(?:\.\d+)?", text[listed.start() : start]):
        a, b = listed.start() + n.start(), listed.start() + n.end()
        value = float(n.group())
        if value <= 0 or claims.overlaps(a, b):
            continue
        items.append(
            DurationFact(
                start=a,
                end=b,
                text=original[a:b],
                value=iso_duration(value, designator, is_time),
                kind=kind,
            )
        )
        claims.add(a, b)
    return items
