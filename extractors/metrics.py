"""Outcome figures: value, unit, measure, direction and qualifier.

Grammars for scores (提升12.1分), percentages (下降了37%, 约六成), folds (5倍以上), cell doses
(1×10^6个细胞/公斤, 2000万个细胞, 1亿个), ratios (OR=0.18), times that report an outcome
(缩短到4秒, 中位数为54天), quantities with units (27米, 7.2 mmol/L) and responder counts; whether a
time or a count of people is an outcome at all is read by outcome_context.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stemwire.extractors import lexicon
from stemwire.extractors.attribution import attribute_metrics
from stemwire.extractors.claims import Claims
from stemwire.extractors.endpoints import mark_endpoints
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.measures import MeasureHit, measure_for
from stemwire.extractors.metric_measure import measure_of
from stemwire.extractors.numerals import clean_number, parse_exponent, parse_number
from stemwire.extractors.outcome_context import ResponderCounts, TimeOutcomes
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import digit_run_starts, letter_run_starts, matches_at, merged, number_starts, starts_of
from stemwire.extractors.table_columns import attribute_table_figures
from stemwire.schemas.models import Direction, Metric, Qualifier

_NUM = r"(?<![\d.A-Za-z])(?P<sign>[-−])?(?P<num>\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*[×xX*]\s*10\s*(?:\^|\*\*)?\s*(?P<exp>[-−]?\d{1,2}|[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\s*(?P<mult>千万|百万|万|亿))"
_SCALED = r"\d+(?:\.\d+)?(?:\s*[×xX*]\s*10\s*(?:\^|\*\*)?\s*(?:[-−]?\d{1,2}|[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\s*(?:千万|百万|万|亿))?"
_RANGE = alternation("range_separators")
_LIST_SEP = rf"\s*(?:{alternation('list_separators', 'range_separators')})\s*"
_RANGE_SEP = re.compile(rf"^\s*(?:{_RANGE})\s*$")
_MULTIPLIERS = {"万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_CN_TENTHS = "一二三四五六七八九十"
# Where the fold and ratio grammars can begin besides a number (see extractors/scan.py)
_CN_FOLD = re.compile(rf"[{_CN_TENTHS}]\s*倍")
_RATIO_WORDS = "比值比|风险比|优势比|相对危险度"
_RATIO_WORD = re.compile(_RATIO_WORDS)
_SCALE_MARK = re.compile(r"[×xX*万亿]")  # what a scaled number (_SCALE: an exponent or a multiplier) holds


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("metric_words.json")


@dataclass
class _Value:
    start: int
    end: int
    value: float
    unit: str | None
    range_part: str | None = None
    cell_dose: bool = False
    claims_span: bool = True


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _number_rests() -> dict[str, str]:
    """The grammars that open with a number (_NUM): what follows it."""
    w = _words()
    return {
        "percent": rf"\s*(?:%\s*)?(?:(?:{_RANGE})\s*(?P<num2>\d+(?:\.\d+)?)\s*)?(?P<unit>%|个百分点|百分点)",
        "points": r"\s*分(?P<rate>/月|/年|/周)?(?![钟组为成配布析子泌化别期数之])",
        "time": rf"\s*(?P<unit>{_alternation(list(w['time_units']))})",
        "quantity": rf"\s*(?P<unit>{_alternation(list(w['quantity_units']))})(?![A-Za-z])",
        "count": r"\s*(?:人|名|例|位)",
        # 每月发作次数由14次降至3次: occurrences, counted only where the clause names a count measure
        "events": r"\s*次(?![数])",
    }


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "scaled_list": re.compile(rf"(?<![\d.A-Za-z]){_SCALED}(?:{_LIST_SEP}{_SCALED})*"),
        "scaled_item": re.compile(rf"(?P<num>\d+(?:\.\d+)?){_SCALE}?"),
        # the next item of a list of counts (12名和3名患者): matched where a count ends
        "count_list_item": re.compile(rf"{_LIST_SEP}\d+(?:\.\d+)?{_number_rests()['count']}"),
        **{name: re.compile(_NUM + rest) for name, rest in _number_rests().items()},
        "tenths": re.compile(
            rf"(?P<cn>[{_CN_TENTHS}])(?:\s*(?:{_RANGE})\s*(?P<cn2>[{_CN_TENTHS}]))?\s*成(?![为功立熟本果员分年绩不人长效])"
        ),
        "fold": re.compile(rf"(?:{_NUM}|(?P<cn>[{_CN_TENTHS}]))\s*倍(?!数)"),
        "ratio": re.compile(
            rf"(?:(?<![A-Za-z])(?:OR|HR|RR)(?:\s*(?:=|:|为)|\s)|(?:{_RATIO_WORDS})\s*(?:[(（]\s*(?:OR|HR|RR)\s*[)）])?\s*(?:为|是|=|:)?)\s*{_NUM}"
        ),
        # 百分之八十, 百分之七十五点五: a percentage written out in words
        "cn_percent": re.compile(r"百分之(?P<cn>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"),
        # 翻了一番 = 2 fold, 翻两番 = 4 fold
        "doublings": re.compile(r"翻了?(?P<cn>[一两二三])番"),
    }


def _matches(name: str, text: str) -> Iterator[re.Match[str]]:
    """One grammar's matches, tried only where a match can begin (extractors/scan.py)."""
    rx = _patterns()[name]
    if name in _number_rests():
        return matches_at(rx, text, number_starts(text, _number_rests()[name]))
    if name == "scaled_list":
        return matches_at(rx, text, digit_run_starts(text))
    if name == "fold":
        cn_folds = starts_of(_CN_FOLD, text) if "倍" in text else []  # `in` finds no 倍 faster than re
        return matches_at(rx, text, merged(digit_run_starts(text), cn_folds))
    if name == "ratio":
        words = starts_of(_RATIO_WORD, text) if any(w in text for w in _RATIO_WORDS.split("|")) else []
        return matches_at(rx, text, merged(letter_run_starts(text), words))
    return rx.finditer(text)


def _scaled_value(m: re.Match[str]) -> tuple[float, bool]:
    value = float(m.group("num"))
    if m.group("exp"):
        exp = m.group("exp").replace("−", "-").replace("⁻", "-")
        sign = -1 if exp.startswith("-") else 1
        return value * 10 ** (sign * parse_exponent(exp.lstrip("-"))), True
    if m.group("mult"):
        return value * _MULTIPLIERS[m.group("mult")], True
    return value, False


def _cell_doses(text: str, layout: Layout, claims: Claims) -> list[_Value]:
    w = _words()
    found: list[_Value] = []
    for lm in _matches("scaled_list", text):
        if _SCALE_MARK.search(text, lm.start(), lm.end()) is None:
            continue  # a list of plain numbers (most are): no item can be scaled
        if not layout.is_content(lm.start()) or claims.overlaps(lm.start(), lm.end()):
            continue
        items = list(_patterns()["scaled_item"].finditer(text, lm.start(), lm.end()))
        values = [_scaled_value(m) for m in items]
        if not any(scaled for _, scaled in values):
            continue
        c_lo, c_hi = layout.clause_bounds(lm.start())
        after = text[lm.end() : min(c_hi, lm.end() + 14)]
        before = text[max(c_lo, lm.start() - 8) : lm.start()]
        has_piece = after.lstrip().startswith(("个", "颗"))
        cell_near = any(cw in after or cw in before for cw in w["cell_words"])
        s_lo, _ = layout.sentence_bounds(lm.start())
        dose_before = any(v.cell_dose and v.start >= s_lo for v in found)
        if not (cell_near or (has_piece and dose_before)):
            continue
        per_kg = any(k in after for k in w["per_kg"]) or any(k in before for k in w["per_kg_before"])
        unit = "cells/kg" if per_kg else "cells"
        # A range "2.1~2.6×10^6" writes the multiplier once, on its last end.
        for i, (m, (value, scaled)) in enumerate(zip(items, values, strict=True)):
            range_part = None
            if i + 1 < len(items) and _RANGE_SEP.match(text[m.end() : items[i + 1].start()]):
                range_part = "start"
                if not scaled:
                    upper = float(items[i + 1].group("num"))
                    if upper == 0:  # "2~0×10^6" is no range: no value rather than a guess
                        continue
                    value *= values[i + 1][0] / upper
            elif i > 0 and _RANGE_SEP.match(text[items[i - 1].end() : m.start()]):
                range_part = "end"
            found.append(_Value(m.start(), m.end(), value, unit, range_part=range_part, cell_dose=True))
    return found


def _simple_values(text: str, layout: Layout, claims: Claims, measures: list[MeasureHit]) -> list[_Value]:
    w, p = _words(), _patterns()
    found: list[_Value] = []

    def usable(start: int, end: int) -> bool:
        return layout.is_content(start) and not claims.overlaps(start, end)

    for m in _matches("percent", text):
        if not usable(m.start("num"), m.end()):
            continue
        if text[m.end() : m.end() + 6].lstrip().startswith(tuple(w["ci_after"])):
            continue  # the 95% of "95%置信区间" is a confidence level, not a result
        unit = "percent" if m.group("unit") == "%" else "percentage_point"
        sign = -1 if m.group("sign") else 1
        if m.group("num2"):
            found.append(_Value(m.start("num"), m.end(), sign * float(m.group("num")), unit, "start"))
            found.append(_Value(m.start("num"), m.end(), float(m.group("num2")), unit, "end"))
        else:
            found.append(_Value(m.start("num"), m.end(), sign * float(m.group("num")), unit))
    for m in p["tenths"].finditer(text):
        if not usable(m.start(), m.end()):
            continue
        first = (parse_number(m.group("cn")) or 0) * 10
        if m.group("cn2"):
            found.append(_Value(m.start(), m.end(), first, "percent", "start"))
            found.append(_Value(m.start(), m.end(), (parse_number(m.group("cn2")) or 0) * 10, "percent", "end"))
        else:
            found.append(_Value(m.start(), m.end(), first, "percent"))
    for m in p["cn_percent"].finditer(text):
        value = _spelled_decimal(m.group("cn"))
        if value is not None and usable(m.start(), m.end()):
            found.append(_Value(m.start(), m.end(), value, "percent"))
    for m in p["doublings"].finditer(text):
        times = parse_number(m.group("cn"))
        if times and usable(m.start("cn"), m.end()):  # the span leaves 翻了 as the verb before it
            found.append(_Value(m.start("cn"), m.end(), float(2 ** int(times)), "fold"))
    for m in _matches("points", text):
        if usable(m.start("num"), m.end()):
            unit = (
                "points" + m.group("rate").replace("/月", "/month").replace("/年", "/year").replace("/周", "/week")
                if m.group("rate")
                else "point"
            )
            value = float(m.group("num")) * (-1 if m.group("sign") else 1)
            found.append(_Value(m.start(), m.end(), value, unit))
    for m in _matches("fold", text):
        start = m.start("num") if m.group("num") else m.start("cn")
        if usable(start, m.end()):
            value = float(m.group("num")) if m.group("num") else parse_number(m.group("cn")) or 0.0
            found.append(_Value(start, m.end(), value, "fold"))
    for m in _matches("quantity", text):
        if usable(m.start("num"), m.end()) and text[m.start("num") - 1 : m.start("num")] != "/":
            found.append(_Value(m.start("num"), m.end(), float(m.group("num")), w["quantity_units"][m.group("unit")]))
    for m in _matches("ratio", text):
        if usable(m.start("num"), m.end("num")):
            found.append(_Value(m.start("num"), m.end("num"), float(m.group("num")), None))
    outcomes = TimeOutcomes(text, layout, measures)
    for m in _matches("time", text):
        start = m.start("num")
        if not layout.is_content(start) or claims.overlaps(start, m.end("num")):
            continue
        c_lo, _ = layout.clause_bounds(start)
        lead = text[max(c_lo, start - 6) : start]
        if lead.endswith(("第", "后")):
            continue  # 降至术后第12个月的3次: the time of the value, not the value
        changed = _last_verb(lead) in ("increase", "decrease")
        # A follow-up length (中位随访时间为18.6个月) is a duration of the study, not an outcome.
        follow_up = any(w in text[c_lo:start] for w in lexicon.words("follow_up_words"))
        if (changed or outcomes.reported(start, c_lo, lead)) and not follow_up:
            outcomes.taken(start)
            # Also a duration: the span stays free for the duration grammar.
            found.append(
                _Value(start, m.end(), float(m.group("num")), w["time_units"][m.group("unit")], claims_span=False)
            )
    counted = {h.start for h in measures if h.entry.key in w["event_count_measures"]}
    for m in _matches("events", text) if counted else ():
        c_lo = layout.clause_bounds(m.start())[0]
        s_lo = layout.sentence_bounds(m.start())[0]
        if usable(m.start("num"), m.end()) and any(s_lo <= h < m.start() for h in counted):
            found.append(_Value(m.start("num"), m.end(), float(m.group("num")), "count"))
    responders = ResponderCounts(text, layout, _patterns()["count_list_item"])
    for m in _matches("count", text):
        if usable(m.start("num"), m.end()) and responders.reached(m.start("num"), m.end()):
            responders.taken(m.start("num"))
            found.append(_Value(m.start("num"), m.end(), float(m.group("num")), "count"))
    return found


def _spelled_decimal(words: str) -> float | None:
    """七十五点五 = 75.5: a Chinese numeral with digits after 点."""
    whole, _, fraction = words.partition("点")
    value = parse_number(whole)
    if value is None:
        return None
    digits = "".join(str(int(parse_number(ch) or 0)) for ch in fraction)  # 零 and 〇 read as 0
    return value + (float("0." + digits) if digits else 0.0)


_DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease", "improvement")


@lru_cache(maxsize=1)
def _verbs_by_first() -> dict[str, list[tuple[int, str, Direction]]]:
    """The change verbs in the order _last_verb reads them, listed under their first character."""
    w = _words()
    ordered = [(direction, verb) for direction in _DIRECTIONS for verb in w[direction]]
    found: dict[str, list[tuple[int, str, Direction]]] = {}
    for k, (direction, verb) in enumerate(ordered):
        found.setdefault(verb[:1], []).append((k, verb, direction))
    return found


def _last_verb(lead: str) -> Direction | None:
    """The direction of the change verb that ends last in the lead (the first read wins a tie). Only
    verbs whose first character is in the lead can be in it: those are read, in the same order."""
    by_first = _verbs_by_first()
    candidates = sorted(v for ch in {*lead, ""} for v in by_first.get(ch, ()))  # "": an empty word
    best: tuple[int, Direction] | None = None
    for _, verb, direction in candidates:
        i = lead.rfind(verb)
        if i >= 0 and (best is None or i + len(verb) > best[0]):
            best = (i + len(verb), direction)
    return best[1] if best else None


_MORE_THAN = re.compile(r"(?:超过|高于|多于|大于)[^\d]{1,8}$")
_LESS_THAN = re.compile(r"(?:低于|少于|小于)[^\d]{1,8}$")


def _comparison(lead: str) -> Direction | None:
    """ "超过对照组5倍": a comparison with something named in between reads as a change."""
    if _MORE_THAN.search(lead):
        return "increase"
    if _LESS_THAN.search(lead):
        return "decrease"
    return None


@lru_cache(maxsize=1)
def _qualifier_words() -> dict[str, tuple[str, ...]]:
    """The qualifier words as tuples, fillers longest first: built once, not for every figure."""
    w = _words()
    keys = ("at_least_before", "at_least_after", "at_most_before", "at_most_after", "approx_before", "approx_after")
    return {"fillers": tuple(sorted(w["fillers"], key=len, reverse=True))} | {k: tuple(w[k]) for k in keys}


def _qualifier(text: str, start: int, end: int, clause_lo: int) -> Qualifier | None:
    q = _qualifier_words()
    lead = text[max(clause_lo, start - 6) : start]
    fillers = q["fillers"]
    stripped = lead
    changed = stripped.endswith(fillers)  # no filler ends the lead: nothing to strip
    while changed:
        changed = False
        for f in fillers:
            if stripped.endswith(f):
                stripped, changed = stripped[: -len(f)], True
    tail = text[end : end + 4].lstrip()
    if stripped.endswith(q["at_least_before"]) or tail.startswith(q["at_least_after"]):
        return ">="
    if stripped.endswith(q["at_most_before"]) or tail.startswith(q["at_most_after"]):
        return "<="
    if stripped.endswith(q["approx_before"]) or tail.startswith(q["approx_after"]):
        return "~"
    return None


def find_metrics(original: str, text: str, layout: Layout, claims: Claims, measures: list[MeasureHit]) -> list[Metric]:
    values = _cell_doses(text, layout, claims)
    for v in values:
        claims.add(v.start, v.end)
    values += _simple_values(text, layout, claims, measures)
    values.sort(key=lambda v: (v.start, v.range_part or ""))
    metrics: list[Metric] = []
    population = tuple(_words()["population_words"])
    for v in values:
        c_lo, _ = layout.clause_bounds(v.start)
        if v.cell_dose:
            direction = None
            measure_hit = None
        else:
            lead = text[max(c_lo, v.start - 10) : v.start]
            # A ratio (HR=0.42) states its own size; a verb before it belongs to the figure it qualifies.
            direction = None if v.unit is None else "decrease" if v.value < 0 else _last_verb(lead) or _comparison(lead)
            measure_hit = measure_for(measures, layout, v.start, v.end, v.unit)
        if v.unit == "percent" and measure_hit is None and any(w in text[c_lo : v.start] for w in population):
            continue  # 男性占78%: who was enrolled, not what the therapy did
        prev = metrics[-1] if metrics else None
        measure, measure_text, measure_hit = measure_of(original, text, layout, v, measure_hit, prev)
        metrics.append(
            Metric(
                start=v.start,
                end=v.end,
                text=original[v.start : v.end],
                value=clean_number(v.value),
                unit=v.unit,
                measure=measure,
                measure_key="cell_dose" if v.cell_dose else (measure_hit.entry.key if measure_hit else None),
                measure_text=measure_text,
                direction=direction,
                qualifier=_qualifier(text, v.start, v.end, c_lo),
                range_part=v.range_part,  # type: ignore[arg-type]
            )
        )
        if v.claims_span:
            claims.add(v.start, v.end)
    attribute_metrics(metrics, original, text, layout, claims, measures)
    attribute_table_figures(metrics, original, text)
    mark_endpoints(metrics, original, text, layout)
    return metrics
