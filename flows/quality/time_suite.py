"""Scoring of an external time-expression suite (`../shared/external/*/cases.jsonl`) through the public API.

Each case's input is fed to `stemwire.extract_text` as an article published on the case's reference
date. A mention is detected when a fact of a kind its gold lists overlaps its span; its value is right
when one of its readings is fully met by the facts overlapping the span (durations compare by length).
A numeral is read through a duration: `随访<numeral>个月` must give that many months. The rules are
the suite's README's (`../shared/external/README.md`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc
from rich.table import Table

from stemwire import extract_text
from stemwire.extractors.errors import ArticleError
from stemwire.schemas.models import Record

# 1Y = 12M, 1M = 30D, 1W = 7D, 1D = 24H: a length in seconds, for comparing durations by length.
_DATE_SECONDS = {"Y": 360 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400}
_TIME_SECONDS = {"H": 3600, "M": 60, "S": 1}
NUMERAL_FRAME = ("随访", "个月")


def duration_seconds(value: str) -> float | None:
    """Length of an ISO 8601 duration (P1Y2M, PT5H, P8DT20H) in the suite's units, or None."""
    if not value.startswith("P"):
        return None
    date_part, _, time_part = value[1:].partition("T")
    total = 0.0
    for part, units in ((date_part, _DATE_SECONDS), (time_part, _TIME_SECONDS)):
        number = ""
        for ch in part:
            if ch.isdigit() or ch == ".":
                number += ch
            elif ch in units and number:
                total += float(number) * units[ch]
                number = ""
            else:
                return None
        if number:
            return None
    return total


@dataclass
class Tally:
    mentions: int = 0
    detected: int = 0
    valued: int = 0  # mentions whose gold gives a value
    right: int = 0

    def add(self, detected: bool, valued: bool, right: bool) -> None:
        self.mentions += 1
        self.detected += detected
        self.valued += valued
        self.right += valued and right

    def figures(self) -> dict[str, float | int]:
        return {
            "mentions": self.mentions,
            "detected": round(self.detected / self.mentions, 4) if self.mentions else 0.0,
            "values": round(self.right / self.valued, 4) if self.valued else 0.0,
            "valued": self.valued,
        }


@dataclass
class SuiteScore:
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, dict[str, dict[str, float | int]]]:
        return {
            "types": {k: v.figures() for k, v in sorted(self.by_type.items())},
            "categories": {k: v.figures() for k, v in sorted(self.by_category.items())},
        }


def read_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _record(text: str, reference: str | None) -> Record | None:
    try:
        return extract_text(text, published=reference)
    except ArticleError:
        return None


def _overlapping(record: Record | None, start: int, end: int) -> dict[str, list[Any]]:
    if record is None:
        return {"date": [], "duration": []}

    def over(facts: Iterable[Any]) -> list[Any]:
        return [f for f in facts if f.start < end and start < f.end]

    return {"date": over(record.dates) + over(record.unresolved_dates), "duration": over(record.durations)}


def _reading_met(reading: dict[str, Any], facts: dict[str, list[Any]]) -> bool:
    dates = {f.value for f in facts["date"] if f.value}
    lengths = [duration_seconds(f.value) for f in facts["duration"]]
    for accepted in reading.get("dates", []):
        if not dates & set(accepted):
            return False
    for accepted in reading.get("durations", []):
        wanted = {duration_seconds(v) for v in accepted}
        if not any(n is not None and any(w is not None and abs(n - w) < 1e-6 for w in wanted) for n in lengths):
            return False
    return True


def _value_right(gold: dict[str, Any], facts: dict[str, list[Any]]) -> bool:
    readings = gold.get("readings") or []
    if not readings:  # the suite gives no valid value (2019年2月29日): right only if we give none
        return not any(f.value for fs in facts.values() for f in fs)
    return any(_reading_met(r, facts) for r in readings)


def _numeral_right(text: str, number: float, convert: Callable[[str], str]) -> bool:
    framed = convert(NUMERAL_FRAME[0]) + text + convert(NUMERAL_FRAME[1])
    record = _record(framed, None)
    facts = _overlapping(record, len(NUMERAL_FRAME[0]), len(NUMERAL_FRAME[0]) + len(text))["duration"]
    want = number * _DATE_SECONDS["M"]
    return any((n := duration_seconds(f.value)) is not None and abs(n - want) <= 1e-6 * max(1.0, want) for f in facts)


def score_suite(path: Path, script: str = "hans") -> SuiteScore:
    """Per-type and per-category figures for the in-scope mentions of a suite file; `script` "hant"
    feeds every input converted to Traditional script by OpenCC (s2t), offsets unchanged."""
    to_hant = opencc.OpenCC("s2t").convert if script == "hant" else None

    def convert(text: str) -> str:
        if to_hant is None:
            return text
        out = to_hant(text)
        return out if len(out) == len(text) else text  # offsets must keep their meaning

    score = SuiteScore()
    for case in read_cases(path):
        mentions = [m for m in case["mentions"] if m["gold"]["scope"] == "in"]
        if not mentions:
            continue
        record = _record(convert(case["input"]), case.get("reference")) if case["kind"] == "datetime" else None
        for m in mentions:
            gold = m["gold"]
            if gold["type"] == "numeral":
                right = _numeral_right(convert(m["text"]), float(gold["number"]), convert)
                detected, valued = right, True
            else:
                facts = _overlapping(record, m["start"], m["end"])
                detected = any(facts[k] for k in gold.get("detect", []) if k in facts)
                valued = not gold.get("detection_only") and case.get("reference") is not None
                right = valued and _value_right(gold, facts)
            score.by_type[gold["type"]].add(detected, valued, right)
            score.by_category[gold["category"]].add(detected, valued, right)
            if valued and not right:
                score.misses.append({"id": case["id"], "text": m["text"], "category": gold["category"]})
    return score


def suite_report(suite: Path) -> tuple[Table, list[str]]:
    """The suite's figures per type and category in both scripts, as a table, and its misses."""
    scores = {script: score_suite(suite, script) for script in ("hans", "hant")}
    figures = {script: score.figures() for script, score in scores.items()}
    table = Table(title=f"time expressions: {suite}")
    for column in ("type / category", "mentions", "detected", "values right (Simplified)", "(Traditional)"):
        table.add_column(column, justify="left" if column.startswith("type") else "right")
    for group in ("types", "categories"):
        for name, tally in figures["hans"][group].items():
            hant = figures["hant"][group][name]["values"]
            label = name if group == "types" else f"  {name}"
            table.add_row(
                label, str(tally["mentions"]), f"{tally['detected']:.2f}", f"{tally['values']:.2f}", f"{hant:.2f}"
            )
    misses = [f"wrong or no value: {m['category']} {m['text']} ({m['id']})" for m in scores["hans"].misses]
    return table, misses
