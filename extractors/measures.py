"""Outcome measures and scales (extractors/data/measures.tsv), and which one a number reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.resources import load_tsv
from stemwire.extractors.terms import TermMatcher, matcher_from_tsv

# How far back a number may look for its measure beyond its own sentence (same paragraph).
PARAGRAPH_LOOKBACK = 300


@dataclass(frozen=True)
class MeasureEntry:
    key: str
    label: str
    kind: str
    specific: bool


@dataclass(frozen=True)
class MeasureHit:
    start: int
    end: int
    entry: MeasureEntry


@lru_cache(maxsize=1)
def measure_entries() -> dict[str, MeasureEntry]:
    return {
        row["key"]: MeasureEntry(row["key"], row["label"], row["kind"], row["specific"].strip() != "no")
        for row in load_tsv("measures.tsv")
    }


@lru_cache(maxsize=1)
def _matcher() -> TermMatcher:
    return matcher_from_tsv("measures.tsv")


def find_measures(text: str, layout: Layout, claims: Claims) -> list[MeasureHit]:
    """Measure names in content lines that cross no earlier fact's edge: 细胞数 inside 软骨细胞数 stays
    the cell's, while 感光细胞层厚度 may hold the cell name 感光细胞."""
    entries = measure_entries()
    return [
        MeasureHit(h.start, h.end, entries[h.key])
        for h in _matcher().finditer(text)
        # 高剂量组, 安慰剂组: a measure word naming a group is the group's label, not a measure
        if layout.is_content(h.start) and not claims.straddles(h.start, h.end) and not text.startswith("组", h.end)
    ]


def measures_in(label: str) -> list[MeasureHit]:
    """Measure names in a short label read on its own (a table header), offsets into the label."""
    entries = measure_entries()
    return [MeasureHit(h.start, h.end, entries[h.key]) for h in _matcher().finditer(label)]


def _hits_in(hits: list[MeasureHit], lo: int, hi: int) -> list[MeasureHit]:
    return [h for h in hits if h.start >= lo and h.end <= hi]


def _nearest(cands: list[MeasureHit], pos: int, before_only: bool) -> MeasureHit | None:
    pool = [h for h in cands if h.end <= pos] if before_only else cands
    if not pool:
        return None
    return min(pool, key=lambda h: pos - h.end if h.end <= pos else (h.start - pos) + 2)


def measure_for(hits: list[MeasureHit], layout: Layout, start: int, end: int, unit: str | None) -> MeasureHit | None:
    """The measure a number at [start, end) reports.

    Precise names beat vague ones; nearer beats farther; the number's own clause comes first,
    then what precedes it in its sentence, then its paragraph; a vague word ("评分", "反应") only
    when nothing precise stands near, or when the precise name further back is of another kind. Scores in points prefer scales; ratios take ratio measures.
    """
    c_lo, c_hi = layout.clause_bounds(start)
    s_lo, _ = layout.sentence_bounds(start)
    p_lo, _ = layout.paragraph_bounds(start)
    p_lo = max(p_lo, start - PARAGRAPH_LOOKBACK)

    def fits(h: MeasureHit) -> bool:
        # Ratios (OR=0.18) carry no unit and nothing else is a ratio; points are scored on scales.
        if (h.entry.kind == "ratio") != (unit is None):
            return False
        return unit != "point" or h.entry.kind in ("scale", "state") or not h.entry.specific

    def specific(h: MeasureHit) -> bool:
        return h.entry.specific and fits(h)

    def vague(h: MeasureHit) -> bool:
        return not h.entry.specific and fits(h)

    clause = _hits_in(hits, c_lo, c_hi)
    sentence_before = _hits_in(hits, s_lo, start)
    paragraph_before = _hits_in(hits, p_lo, start)
    found = _nearest([h for h in clause if specific(h)], start, False) or _nearest(
        [h for h in sentence_before if specific(h)], start, True
    )
    if found is not None:
        return found
    # A vague word of the same kind refers back to the precise name ("ALSFRS-R …，评分下降"); one of
    # another kind ("出现反应" after "GVHD") names the number's own measure.
    vague_here = _nearest([h for h in clause if vague(h)], start, False)
    earlier = _nearest([h for h in paragraph_before if specific(h)], start, True)
    if vague_here is not None and (earlier is None or earlier.entry.kind != vague_here.entry.kind):
        return vague_here
    return earlier or _nearest([h for h in sentence_before if vague(h)], start, True)


_PHRASE_STOPS = set("的了在和与及其组将被使较从到为是有让把对时仍")
_PHRASE_MAX = 6


def vague_phrase_start(text: str, layout: Layout, hit: MeasureHit) -> int:
    """Where the modifiers of a vague measure word begin: 统一|评分, 上肢运动|分数.

    An unknown scale is better named by its own words than by "score"; the phrase stops at the
    clause start, at a function word (的, 较, 和, ...) or after a few characters.
    """
    if hit.entry.specific:
        return hit.start
    lo = max(layout.clause_bounds(hit.start)[0], hit.start - _PHRASE_MAX)
    start = hit.start
    while start > lo and "\u4e00" <= text[start - 1] <= "\u9fff" and text[start - 1] not in _PHRASE_STOPS:
        start -= 1
    return start


_PHRASE_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-+/]")
_PHRASE_RUN = re.compile(_PHRASE_CHAR.pattern + "*")  # one match instead of a test per character
_PARTICIPANTS = re.compile(rf"\s*(?:[(（][^)）]*[)）])?\s*的\s*(?:{alternation('participant_nouns')})")
_PHRASE_LONGEST = 14
# 达到这一标准的比例: a phrase pointing back names no measure of its own
_ANAPHORA = r"这一|这个|这些|该|此|上述|前述"
_LEADING_TIME = re.compile(
    r"(?:在|于)?\s*(?:第\s*)?\d+(?:\.\d+)?\s*(?:个月|月|周|天|年|小时)(?:时|后|内)?\s*(?:仍然|仍|依然|均|都)?"
)
_OPENING = re.compile(r"[(（][A-Za-z0-9\-+/]{1,10}$")
_GROUP_OR_TIME = re.compile("(?:组(?!间)|时(?!间))")
_OF = re.compile("的")
_WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_DIGIT = re.compile(r"\d")
_ANAPHORA_RX = re.compile(_ANAPHORA)
_TIME_BEFORE = re.compile(r"(?:年|个月|月|周|天|日)(?:后|时)")
_COMPARED_WITH = re.compile(r"(?:比|较|与|和)[^，,；;。的]{0,12}?组(?:相比|比较)?\s*$")


@dataclass(frozen=True)
class PhraseWords:
    verbs: tuple[str, ...]
    openers: tuple[str, ...]
    heads: tuple[str, ...]
    after_participants: tuple[str, ...]
    groups: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def _trailing(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:(?:{'|'.join(map(re.escape, words))})\s*)+$")


@lru_cache(maxsize=4)
def _stripped(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.rstrip() for w in words)


def _strip_end(s: str, words: tuple[str, ...]) -> str:
    """Words at the end of s, any number of them, removed (words longest first)."""
    if not s.rstrip().endswith(_stripped(words)):
        return s  # no word ends it: the search (which tries every position) would find nothing
    m = _trailing(words).search(s)
    return s[: m.start()].rstrip() if m else s


def _strip_start(s: str, words: tuple[str, ...]) -> tuple[str, int]:
    if not s.startswith(words):
        return s, 0
    cut = 0
    changed = True
    while changed and s:
        changed = False
        for w in words:
            if s.startswith(w):
                s, cut, changed = s[len(w) :], cut + len(w), True
    return s, cut


def own_phrase(text: str, layout: Layout, start: int, end: int, words: PhraseWords) -> tuple[int, int, bool] | None:
    """The measure phrase the text itself uses for the number at [start, end), within its clause:
    the predicate of "N%的患者达到临床缓解", else the subject before the verb (握力提高了15%)."""
    c_lo, c_hi = layout.clause_bounds(start)
    after = _PARTICIPANTS.match(text, end, c_hi)
    if after is not None:
        lo = after.end()
        rest, cut = _strip_start(text[lo:c_hi], words.after_participants)
        lo += cut
        if (when := _LEADING_TIME.match(text, lo, c_hi)) is not None:  # 在第12个月时仍处于缓解: the time is no part
            lo, rest = when.end(), text[when.end() : c_hi]
        run = _PHRASE_RUN.match(text, lo, min(c_hi, lo + _PHRASE_LONGEST))
        hi = run.end() if run else lo
        if hi - lo >= 2 and rest:
            return lo, hi, True
    lead = _strip_end(text[c_lo:start].rstrip(), words.verbs)
    # 空洞面积比载体对照组(缩小了41%): the group compared with is no part of the measure
    lead = _strip_end(_COMPARED_WITH.sub("", lead), words.verbs)
    hi = c_lo + len(lead)
    lo = hi
    while lo > c_lo and hi - lo < _PHRASE_LONGEST:
        if _PHRASE_CHAR.match(text, lo - 1):
            lo -= 1
        elif text[lo - 1] in ")）" and (opening := _OPENING.search(text, max(c_lo, lo - 12), lo - 1)) is not None:
            lo = opening.start()  # 神经丝轻链(NfL)水平: an abbreviation in brackets is part of the phrase
        else:
            break
    phrase, cut = _strip_start(text[lo:hi], words.openers)
    lo += cut
    # 患者的握力 -> 握力, 治疗组握力 -> 握力, 12个月时握力 -> 握力, 一年后摄取量 -> 摄取量
    # a group, a time or a 的 before the measure ends its modifiers (治疗组握力, 12个月时握力, 患者的握力)
    hard = [m.end() - 1 for m in _TIME_BEFORE.finditer(phrase)]
    hard += [m.start() for m in _GROUP_OR_TIME.finditer(phrase)]
    # ...but 住院的比例: a bare head after 的 keeps the words that say what it counts
    soft = [m.start() for m in _OF.finditer(phrase) if phrase[m.start() + 1 :] not in words.heads]
    cut = max([*hard, *soft], default=-1)
    if cut >= 0 and len(phrase) - cut > 2:
        lo += cut + 1
    if hi - lo < 2 or not _WORD_CHAR.search(text, lo, hi) or _DIGIT.match(text, hi - 1):
        return None
    if text[lo:hi].endswith(("组", "的", *words.groups)) or _ANAPHORA_RX.search(text, lo, hi):
        return None  # 安慰剂组为21%: a group, not a measure
    return lo, hi, False


def names_a_measure(text: str, lo: int, hi: int, words: PhraseWords) -> bool:
    """血清IL-6水平, 再入院率: a head noun with words of its own (a bare 发生率 or 比例 refers back)."""
    phrase = text[lo:hi]
    head = next((h for h in words.heads if phrase.endswith(h)), None)
    return head is not None and len(phrase) - len(head) >= 2 and not phrase.startswith(("发生", "总", "其"))
