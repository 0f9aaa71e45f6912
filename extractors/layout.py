"""Article layout: lines classed as title, dateline, heading, body, reference or boilerplate,
sections between headings, and sentence and clause boundaries.

Extractors use the layout to skip footers and QR-code lines, to read reference lists apart,
and to keep a fact's context (its sentence, clause, section) from leaking into the next one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from stemwire.extractors.resources import load_json

LineKind = Literal["title", "dateline", "heading", "body", "reference", "boilerplate", "blank"]

SENTENCE_END = "。！？!?；;"
CLAUSE_END = SENTENCE_END + ",，"
_MAX_HEADING_CHARS = 48


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    kind: LineKind
    section: int


@dataclass(frozen=True)
class Section:
    index: int
    start: int
    end: int
    heading: str


@dataclass
class Layout:
    text: str
    lines: list[Line]
    sections: list[Section]
    sentence_starts: list[int] = field(default_factory=list)
    clause_starts: list[int] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)

    def line_at(self, pos: int) -> Line:
        return self.lines[bisect.bisect_right(self._line_starts, pos) - 1]

    def kind_at(self, pos: int) -> LineKind:
        return self.line_at(pos).kind

    def section_at(self, pos: int) -> Section:
        return self.sections[self.line_at(pos).section]

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        return _bounds(self.sentence_starts, pos, len(self.text))

    def clause_bounds(self, pos: int) -> tuple[int, int]:
        return _bounds(self.clause_starts, pos, len(self.text))

    def paragraph_bounds(self, pos: int) -> tuple[int, int]:
        line = self.line_at(pos)
        return line.start, line.end

    def is_content(self, pos: int) -> bool:
        return self.kind_at(pos) in ("title", "heading", "body")


def _bounds(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos) - 1
    end = starts[i + 1] if i + 1 < len(starts) else length
    return starts[max(i, 0)], end


@dataclass(frozen=True)
class _Patterns:
    reference_heading: re.Pattern[str]
    boilerplate: re.Pattern[str]
    dateline_hint: re.Pattern[str]
    heading_prefix: re.Pattern[str]
    numbered_prefix: re.Pattern[str]
    date_like: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    data = load_json("layout.json")
    return _Patterns(
        reference_heading=re.compile(data["reference_heading"], re.I),
        boilerplate=re.compile(data["boilerplate"], re.I),
        dateline_hint=re.compile(data["dateline_hint"]),
        heading_prefix=re.compile(data["heading_prefix"], re.I),
        numbered_prefix=re.compile(data["numbered_prefix"]),
        # A Gregorian year with a month, a Minguo year, or a wire-service "M月D日电" without a year.
        date_like=re.compile(r"(?:19|20)\d{2}\s*(?:[-/.年])\s*\d{1,2}|民国\s*\d{2,3}\s*年|\d{1,2}月\d{1,2}日电"),
    )


def _classify(text: str, index: int, first_content: int, in_references: bool, dateline_seen: bool) -> LineKind:
    p = _patterns()
    stripped = text.strip()
    if not stripped:
        return "blank"
    if index == first_content:
        return "title"
    if (
        not dateline_seen
        and index <= first_content + 3
        and "。" not in stripped
        and p.date_like.search(stripped)
        and (
            p.dateline_hint.search(stripped) or (len(stripped) <= 40 and not any(ch in SENTENCE_END for ch in stripped))
        )
    ):
        return "dateline"
    if p.boilerplate.search(stripped) and (len(stripped) <= 120 or p.boilerplate.match(stripped)):
        return "boilerplate"
    if in_references:
        return "reference"
    if len(stripped) > _MAX_HEADING_CHARS or stripped.startswith(("-", "•", "·", "・")):
        return "body"
    # Strong prefixes (一、 问3 案例2 ■ 【) make a heading; a numbered line is a heading only
    # when it reads as a title rather than a sentence of a numbered list.
    if p.heading_prefix.match(stripped) or stripped[-1] not in SENTENCE_END + ",，:：、":
        return "heading"
    return "body"


def analyse_layout(text: str) -> Layout:
    p = _patterns()
    raw_lines: list[tuple[int, int]] = []
    pos = 0
    for chunk in text.split("\n"):
        raw_lines.append((pos, pos + len(chunk)))
        pos += len(chunk) + 1
    first_content = next((i for i, (s, e) in enumerate(raw_lines) if text[s:e].strip()), 0)

    lines: list[Line] = []
    sections = [Section(0, 0, 0, "")]
    in_references = False
    dateline_seen = False
    for i, (start, end) in enumerate(raw_lines):
        chunk = text[start:end]
        if p.reference_heading.match(chunk):
            in_references = True
            kind: LineKind = "heading"
        else:
            kind = _classify(chunk, i, first_content, in_references, dateline_seen)
        dateline_seen = dateline_seen or kind == "dateline"
        if kind == "heading":
            sections.append(Section(len(sections), start, end, chunk.strip()))
        lines.append(Line(start, end, kind, len(sections) - 1))
    sections = [
        Section(s.index, s.start, sections[s.index + 1].start if s.index + 1 < len(sections) else len(text), s.heading)
        for s in sections
    ]

    sentence_starts, clause_starts = [0], [0]
    for line in lines:
        for starts in (sentence_starts, clause_starts):
            if starts[-1] != line.start:
                starts.append(line.start)
        for j in range(line.start, line.end):
            ch = text[j]
            if ch in CLAUSE_END:
                clause_starts.append(j + 1)
                if ch in SENTENCE_END:
                    sentence_starts.append(j + 1)
    return Layout(
        text=text,
        lines=lines,
        sections=sections,
        sentence_starts=sorted(set(sentence_starts)),
        clause_starts=sorted(set(clause_starts)),
        _line_starts=[line.start for line in lines],
    )
