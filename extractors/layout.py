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
from stemwire.extractors.scan import CueSearch, starts_of

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
    reason: str = ""  # why a non-content line is not article: chrome, navigation, metadata, related, duplicate, ...


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

    # The lookups below run a thousand times per article: each is one bisect, with no call in between.
    def line_at(self, pos: int) -> Line:
        return self.lines[bisect.bisect_right(self._line_starts, pos) - 1]

    def line_index(self, pos: int) -> int:
        """`lines.index(line_at(pos))` without comparing lines (no two lines are equal: their spans differ)."""
        return bisect.bisect_right(self._line_starts, pos) - 1

    def kind_at(self, pos: int) -> LineKind:
        return self.lines[bisect.bisect_right(self._line_starts, pos) - 1].kind

    def section_at(self, pos: int) -> Section:
        return self.sections[self.lines[bisect.bisect_right(self._line_starts, pos) - 1].section]

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        starts = self.sentence_starts
        i = bisect.bisect_right(starts, pos)
        return starts[i - 1 if i else 0], (starts[i] if i < len(starts) else len(self.text))

    def clause_bounds(self, pos: int) -> tuple[int, int]:
        starts = self.clause_starts
        i = bisect.bisect_right(starts, pos)
        return starts[i - 1 if i else 0], (starts[i] if i < len(starts) else len(self.text))

    def paragraph_bounds(self, pos: int) -> tuple[int, int]:
        line = self.lines[bisect.bisect_right(self._line_starts, pos) - 1]
        return line.start, line.end

    def is_content(self, pos: int) -> bool:
        return self.lines[bisect.bisect_right(self._line_starts, pos) - 1].kind in _CONTENT


_CONTENT = frozenset(("title", "heading", "body"))


@dataclass(frozen=True)
class _Patterns:
    reference_heading: re.Pattern[str]
    boilerplate: CueSearch
    dateline_hint: re.Pattern[str]
    heading_prefix: re.Pattern[str]
    numbered_prefix: re.Pattern[str]
    date_like: re.Pattern[str]
    chrome: CueSearch
    nav_separators: re.Pattern[str]
    metadata_cue: re.Pattern[str]
    metadata_line: re.Pattern[str]
    modification_cue: re.Pattern[str]
    modification_lead: re.Pattern[str]
    publication_cue: re.Pattern[str]
    related_heading: re.Pattern[str]
    teaser: re.Pattern[str]
    citation: re.Pattern[str]
    glued_date: re.Pattern[str]
    roc_year_heading: re.Pattern[str]


_FULL_DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    data = load_json("layout.json")
    return _Patterns(
        reference_heading=re.compile(data["reference_heading"], re.I),
        boilerplate=CueSearch(data["boilerplate"], re.I),
        dateline_hint=re.compile(data["dateline_hint"]),
        heading_prefix=re.compile(data["heading_prefix"], re.I),
        numbered_prefix=re.compile(data["numbered_prefix"]),
        # A Gregorian year with a month, a Minguo year, a wire-service "M月D日电" without a year, or an
        # English date (17 April 2014, April 17, 2014).
        date_like=re.compile(
            r"(?:19|20)\d{2}\s*(?:[-/.年])\s*\d{1,2}|民国\s*\d{2,3}\s*年|\d{1,2}月\d{1,2}日电"
            r"|(?<![\d/.-])1[0-4]\d([-/.])\d{1,2}\1\d{1,2}(?![\d/.-])"  # a Minguo date (103-05-02)
            r"|\b(?:19|20)\d{2}\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b|\b\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+(?:19|20)\d{2}|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}"
        ),
        chrome=CueSearch(data["chrome"], re.I),
        roc_year_heading=re.compile(data["roc_year_heading"]),
        nav_separators=re.compile(data["nav_separators"]),
        metadata_cue=re.compile(data["metadata_cue"], re.I),
        metadata_line=re.compile(data["metadata_line"], re.I),
        modification_cue=re.compile(data["modification_cue"], re.I),
        modification_lead=re.compile(data["modification_lead"], re.I),
        publication_cue=re.compile(data["publication_cue"], re.I),
        related_heading=re.compile(data["related_heading"], re.I),
        teaser=re.compile(data["teaser"]),
        citation=re.compile(data["citation"], re.I),
        # A headline with its date glued before or after it ("2026-01-09 标题", "标题 date 2026-01-09").
        glued_date=re.compile(
            rf"^\s*(?P<lead>(?:date\s*)?{_FULL_DATE})(?=\s+\S)|(?<=\S\s)\s*(?P<tail>(?:date\s*)?{_FULL_DATE})\s*$",
            re.I,
        ),
    )


# Why a line is page furniture rather than article (Line.reason).
Furniture = Literal["", "chrome", "navigation", "metadata", "related", "duplicate", "citation", "date", "roc_year"]
_NAV_ITEM_CHARS = 8
_DATELINE_REACH = 4  # non-blank lines under the title where the page's dateline can stand
_SENTENCE_MARK = re.compile(r",(?!\s*\d)|[。；;]")  # a comma of prose, not of "April 17, 2014"
_DUPLICATE_MIN_CHARS = 20
_SENTENCE_END_MARK = re.compile(f"[{re.escape(SENTENCE_END)}]")
_CLAUSE_END_MARK = re.compile(f"[{re.escape(CLAUSE_END)}]")
_CUE_LINE_CHARS = 120


_CLAUSE_OR_STOP = re.compile(f"[{re.escape(CLAUSE_END)}。]")  # one search, not a test per character


def _is_navigation(stripped: str) -> bool:
    """Three or more short items joined by separators, no sentence: a navigation bar or breadcrumb."""
    if _CLAUSE_OR_STOP.search(stripped):
        return False
    items = [item for item in _patterns().nav_separators.split(stripped) if item]
    # Items are words (首页 / 新闻 / 正文): a date or a ratio written with slashes (2010/01/29) is not a bar.
    worded = sum(bool(re.search(r"[^\W\d_]", item)) for item in items)
    return worded >= 3 and all(len(item) <= _NAV_ITEM_CHARS for item in items)


def _cue_line(cue: CueSearch, stripped: str) -> bool:
    """A cue anywhere in a short line, or opening a long one (a paragraph that quotes 版权 is prose):
    a long line is only matched at its start, never searched."""
    return cue.search(stripped) if len(stripped) <= _CUE_LINE_CHARS else cue.match(stripped)


def _furniture(stripped: str) -> Furniture:
    """What kind of page furniture a line is, by cue phrases (data/layout.json); "" for none."""
    p = _patterns()
    if p.related_heading.match(stripped) and len(stripped) <= 60:
        return "related"
    # Only a short line can be a dated one (metadata, a bare date): a body paragraph is not searched.
    dated = len(stripped) <= 80 and p.date_like.search(stripped) is not None
    if dated and not _SENTENCE_MARK.search(stripped) and p.metadata_cue.search(stripped):
        return "metadata"
    if p.citation.match(stripped):
        return "citation"
    if p.roc_year_heading.match(stripped):
        return "roc_year"
    if p.metadata_line.match(stripped) and len(stripped) <= 60:
        return "metadata"
    if _cue_line(p.chrome, stripped):
        return "chrome"
    if _is_navigation(stripped):
        return "navigation"
    if dated and len(stripped) <= 40 and not any(ch in SENTENCE_END + "," for ch in stripped):
        return "date"
    return ""


def _classify(text: str, in_references: bool) -> LineKind:
    p = _patterns()
    stripped = text.strip()
    if not stripped:
        return "blank"
    if _cue_line(p.boilerplate, stripped):
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


def _old_dateline(stripped: str) -> bool:
    """A dateline by the first rule: a date with a dateline word, or a short line with a date."""
    p = _patterns()
    return bool(
        "。" not in stripped
        and p.date_like.search(stripped)
        and (
            p.dateline_hint.search(stripped) or (len(stripped) <= 40 and not any(ch in SENTENCE_END for ch in stripped))
        )
    )


def _publication_line(stripped: str) -> bool:
    """A metadata line that can carry the publication date: not one that only gives an update."""
    p = _patterns()
    # 发布单位：… 更新日期：103-05-02: a date the update cue leads is no publication date
    leads = [stripped[max(0, m.start() - 12) : m.start()] for m in p.date_like.finditer(stripped)]
    if leads and all(p.modification_lead.search(lead) for lead in leads):
        return False
    return not p.modification_cue.search(stripped) or bool(p.publication_cue.search(stripped))


def _headline_with_date(stripped: str) -> bool:
    """A headline with its date glued on ("标题 date 2026-01-09"), not a metadata line."""
    p = _patterns()
    m = p.glued_date.search(stripped)
    if m is None:
        return False
    rest = (stripped[: m.start()] + stripped[m.end() :]).strip()
    return len(rest) >= 6 and not _furniture(rest) and not p.metadata_cue.search(rest)


def _split_glued_date(text: str, start: int, end: int) -> list[tuple[int, int, LineKind]]:
    """A title line with its date glued on: the headline as the title, the date as a dateline."""
    m = _patterns().glued_date.search(text, start, end)
    if m is None:
        return [(start, end, "title")]
    # The split falls at the date's own edge, never inside the whitespace beside it: a headline whose
    # inserted readings were taken out (extractors/repair.py) has its padding there.
    if m.group("lead"):
        return [(start, m.end("lead"), "dateline"), (m.end("lead"), end, "title")]
    return [(start, m.start("tail"), "title"), (m.start("tail"), end, "dateline")]


def _teasers(stripped_lines: list[str]) -> set[int]:
    """Lines of a related block without a heading: two or more lines in a row (blank lines aside),
    each a short headline with its own date at its end (造血干细胞移植新进展 2019-01-02)."""
    rx, found, run = _patterns().teaser, set(), []
    for i, line in enumerate([*stripped_lines, "-"]):
        if not line:
            continue
        if rx.match(line) and re.search(r"[\u4e00-\u9fff]{4}", line):
            run.append(i)
            continue
        if len(run) >= 2:
            found.update(run)
        run = []
    return found


def _mark_ends(mark: re.Pattern[str], text: str) -> list[int]:
    """Where each end mark (one character, never a line break) ends: the lines cover every other
    character, so one scan of the text finds what a scan of each line would."""
    return [start + 1 for start in starts_of(mark, text)]  # one character each: starts_of reads a table


def analyse_layout(text: str) -> Layout:
    p = _patterns()
    raw_lines: list[tuple[int, int]] = []
    pos = 0
    for chunk in text.split("\n"):
        raw_lines.append((pos, pos + len(chunk)))
        pos += len(chunk) + 1
    stripped_lines = [text[s:e].strip() for s, e in raw_lines]
    furniture = [_furniture(line) if line else "" for line in stripped_lines]
    teasers = _teasers(stripped_lines)
    # The title: the first line that is not page furniture (skip links, navigation, metadata).
    title_index = next(
        (
            i
            for i, line in enumerate(stripped_lines)
            if line and (not furniture[i] or (furniture[i] in ("metadata", "date") and _headline_with_date(line)))
        ),
        None,
    )
    if title_index is None:  # a page of furniture only: nothing is its title
        title_index = len(raw_lines)

    lines: list[Line] = []
    sections = [Section(0, 0, 0, "")]
    in_references = False
    in_related = False
    dateline_seen = False
    body_started = False
    # How many non-blank lines stand between the title and each line (HTML and Markdown text puts a
    # blank line between blocks, so raw line numbers would count half as far).
    after_title = 0
    seen_paragraphs: set[str] = set()
    for i, (start, end) in enumerate(raw_lines):
        if i > title_index and stripped_lines[i]:
            after_title += 1
        chunk, stripped, reason = text[start:end], stripped_lines[i], furniture[i]
        if in_references and reason != "related":
            reason = ""  # a reference list's lines (bare URLs, dated entries) are references
        kind: LineKind
        if not stripped:
            kind = "blank"
        elif p.reference_heading.match(chunk):
            in_references, in_related = True, False
            kind = "heading"
        elif in_related or (reason == "related" and i > title_index):
            in_related = True
            kind, reason = "boilerplate", "related"
        elif body_started and i in teasers:
            kind, reason = "boilerplate", "related"
        elif i == title_index:
            for s, e, k in _split_glued_date(text, start, end):
                dateline_seen = dateline_seen or k == "dateline"
                lines.append(Line(s, e, k, len(sections) - 1, "date" if k == "dateline" else ""))
            continue
        elif (
            not dateline_seen
            and not body_started
            and after_title <= _DATELINE_REACH
            and (
                (reason in ("metadata", "date") and p.date_like.search(stripped))
                or (not reason and _old_dateline(stripped))
            )
            and _publication_line(stripped)
        ):
            kind = "dateline"
        elif reason == "citation" and not body_started:
            kind = "reference"
        elif reason == "roc_year":
            kind = "heading"  # content: the dates it heads take their year from it
        elif reason in ("chrome", "navigation", "metadata", "related", "date") and (
            i < title_index or reason != "date"
        ):
            kind = "boilerplate"
        else:
            kind = _classify(chunk, in_references)
            reason = "" if reason == "citation" else reason
            if kind in ("body", "heading") and len(stripped) >= _DUPLICATE_MIN_CHARS:
                if stripped in seen_paragraphs:
                    kind, reason = "boilerplate", "duplicate"
                seen_paragraphs.add(stripped)
            if kind == "body" and len(stripped) > _MAX_HEADING_CHARS:
                body_started = True
        dateline_seen = dateline_seen or kind == "dateline"
        if kind == "heading":
            sections.append(Section(len(sections), start, end, chunk.strip()))
        lines.append(
            Line(
                start,
                end,
                kind,
                len(sections) - 1,
                reason if kind in ("boilerplate", "reference", "dateline") or reason == "roc_year" else "",
            )
        )
    sections = [
        Section(s.index, s.start, sections[s.index + 1].start if s.index + 1 < len(sections) else len(text), s.heading)
        for s in sections
    ]

    # Every line starts a sentence and a clause; each end mark inside a line starts the next one.
    line_starts = [0, *(line.start for line in lines)]
    sentence_starts = line_starts + _mark_ends(_SENTENCE_END_MARK, text)
    clause_starts = line_starts + _mark_ends(_CLAUSE_END_MARK, text)
    return Layout(
        text=text,
        lines=lines,
        sections=sections,
        sentence_starts=sorted(set(sentence_starts)),
        clause_starts=sorted(set(clause_starts)),
        _line_starts=[line.start for line in lines],
    )
