"""Registered trials: registry ids (data/registries.json), their phase and their enrollment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from stemwire.extractors.claims import Claims
from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.numerals import CN_NUMERAL_CHARS, parse_number
from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import alnum_run_starts, letter_run_starts, matches_at, number_starts, top_level_branches
from stemwire.schemas.models import Trial

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "Ⅰ": "1", "Ⅱ": "2", "Ⅲ": "3", "Ⅳ": "4"}
_CN_PHASE = {"一": "1", "二": "2", "三": "3", "四": "4"}
_PHASE_NUM = r"(?:IV|I{1,3}|[ⅠⅡⅢⅣ]|[1-4]|[一二三四])[ab]?"
_PHASE_SEQ = rf"{_PHASE_NUM}(?:\s*[/、／]\s*{_PHASE_NUM})*"
_PHASE_CN = re.compile(rf"(?<![A-Za-z0-9])(?P<ord>第)?(?P<p>{_PHASE_SEQ})\s*期")
# a registry row's value read by registry_rows.py: "研究分期 | I/II |" -> "第I/II  ,"
_PHASE_ROW = re.compile(rf"第(?P<p>{_PHASE_SEQ})(?=[ \t]{{2,}}(?:,|$))", re.M)
_PHASE_EN = re.compile(rf"(?i:phase)\s*(?P<p>{_PHASE_SEQ})(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Registry:
    key: str
    name: str
    pattern: re.Pattern[str]
    url: str
    strip_spaces: bool
    probe: re.Pattern[str]  # the id alone, without the edges: a quick test that the text can hold one


@dataclass
class TrialHit:
    start: int
    end: int
    registry_id: str
    registry: Registry


@lru_cache(maxsize=1)
def registries() -> list[Registry]:
    return [
        Registry(
            r["key"],
            r["name"],
            re.compile(rf"(?<![A-Za-z0-9])(?:{r['pattern']})(?![0-9])"),
            r["url"],
            bool(r.get("strip_spaces")),
            re.compile(_probe(r["pattern"])),
        )
        for r in load_json("registries.json")["registries"]
    ]


def _probe(pattern: str) -> str:
    """The id pattern without a word boundary opening an alternative: a weaker test (it matches wherever
    the id does), which re can skip ahead in; `\\b` first made it try every position (~65 us per article)."""
    branches = top_level_branches(pattern)
    if branches is None:
        return pattern
    return "|".join(b.removeprefix(r"\b") for b in branches)


@lru_cache(maxsize=1)
def trial_words() -> dict[str, Any]:
    return load_json("trial_words.json")


def normalise_phase(raw: str) -> str:
    """'I/II' -> '1/2', 'Ⅱ' -> '2', '1/2a' -> '1/2a', 'IIa' -> '2a', '三' -> '3'."""
    parts = []
    for part in re.split(r"\s*[/、／]\s*", raw.strip()):
        suffix = part[-1] if part[-1] in "ab" else ""
        core = part[:-1] if suffix else part
        parts.append(_ROMAN.get(core.upper() if core.isascii() else core, _CN_PHASE.get(core, core)) + suffix)
    return "/".join(parts)


def _registry_matches(reg: Registry, text: str) -> Iterator[re.Match[str]]:
    """Ids begin a run of ASCII letters and digits; most registries' ids are absent from a given
    article, which their probe finds out in one fast scan (extractors/scan.py)."""
    first = reg.probe.search(text)
    if first is None:
        return iter(())
    return matches_at(reg.pattern, text, alnum_run_starts(text), lo=first.start())


def find_trial_ids(text: str, layout: Layout, claims: Claims) -> list[TrialHit]:
    hits = []
    for reg in registries():
        for m in _registry_matches(reg, text):
            if layout.kind_at(m.start()) == "boilerplate" or claims.overlaps(m.start(), m.end()):
                continue
            rid = re.sub(r"\s+", "", m.group()) if reg.strip_spaces else m.group()
            hits.append(TrialHit(m.start(), m.end(), rid, reg))
    hits.sort(key=lambda h: h.start)
    for h in hits:
        claims.add(h.start, h.end)
    return hits


@dataclass(frozen=True)
class _Phase:
    start: int
    end: int
    value: str
    text: str


def _phases_in(text: str, lo: int, hi: int, loose: bool = False) -> list[_Phase]:
    """Phase expressions that describe a study: 第N期, 'Phase N', or N期 followed by a study noun
    (any N期 when `loose`, as in a section heading such as "京都大学 (I/II期)")."""
    w = trial_words()
    nouns = tuple(w["study_nouns"])
    design = sorted(w["design_words"], key=len, reverse=True)
    found = []
    for m in _phase_field().finditer(text, lo, hi):  # a registry field: 研究分期：Ⅱ期
        found.append(
            _Phase(m.start("p"), m.end(), normalise_phase(m.group("p")), m.group()[m.start("p") - m.start() :])
        )
    for m in [*_PHASE_EN.finditer(text, lo, hi), *_PHASE_ROW.finditer(text, lo, hi)]:
        if any(f.start <= m.start() < f.end for f in found):
            continue
        at = m.start("p") if m.re is _PHASE_ROW else m.start()  # the 第 is the rewrite's, not the text's
        found.append(_Phase(at, m.end(), normalise_phase(m.group("p")), m.group()))
    for m in _PHASE_CN.finditer(text, lo, hi):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        if not m.group("ord") and not loose:
            rest = m.end()
            while True:  # skip design words: Ⅱ期随机、双盲、安慰剂对照试验
                word = next((d for d in design if text.startswith(d, rest)), None)
                if word is None:
                    break
                rest += len(word)
            if not text.startswith(nouns, rest):
                continue
        found.append(_Phase(m.start(), m.end(), normalise_phase(m.group("p")), m.group()))
    return found


_ENROLL_NUM = rf"(?P<n>\d+|[{CN_NUMERAL_CHARS}]+)"


@lru_cache(maxsize=1)
def _phase_field() -> re.Pattern[str]:
    fields = "|".join(sorted(map(re.escape, trial_words()["phase_fields"]), key=len, reverse=True))
    return re.compile(rf"(?:{fields})\s*[:：]\s*(?:第\s*)?(?P<p>{_PHASE_SEQ})(?:\s*期)?(?![A-Za-z0-9])")


@lru_cache(maxsize=1)
def _enrollment_rests() -> dict[int, str]:
    """What follows the number of the grammars that open with one (scan.number_starts)."""
    units, after = "|".join(trial_words()["enrollment_units"]), "|".join(trial_words()["enrollment_after_verbs"])
    counters, nouns = alternation("participant_counters"), alternation("participant_nouns")
    return {2: rf"\s*(?:{units})[^,;。;]{{0,12}}?(?:{after})", 4: rf"\s*(?:{counters})[^,;。;]{{0,10}}?(?:{nouns})"}


@lru_cache(maxsize=1)
def _enrollment_patterns() -> list[re.Pattern[str]]:
    w = trial_words()
    before = "|".join(sorted(w["enrollment_before"], key=len, reverse=True))
    units = "|".join(w["enrollment_units"])
    return [
        re.compile(rf"(?:{before})\s*(?:约|大约)?\s*{_ENROLL_NUM}\s*(?:{units})"),
        re.compile(r"(?<![\d.A-Za-z])[nN]\s*=\s*(?P<n>\d+)"),
        re.compile(rf"(?<![\d./:])(?P<n>\d+){_enrollment_rests()[2]}"),
        re.compile(rf"[和与及](?:[^,;。;]{{1,8}})各\s*{_ENROLL_NUM}\s*(?:{units})"),
        # "为12名晚期患者植入": a participant count counts only beside the registry id (same sentence).
        re.compile(rf"(?<![\d.])(?P<n>\d+){_enrollment_rests()[_SAME_SENTENCE_ONLY]}"),
        # registry fields: 样本量：60例, 受试者例数: 120
        re.compile(
            rf"(?:{'|'.join(sorted(map(re.escape, w['enrollment_fields']), key=len, reverse=True))})\s*[:：]\s*"
            rf"(?:约)?\s*(?P<n>\d+)(?![\d.])\s*(?:{units})?"
        ),
    ]


def _enrollment_matches(i: int, rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The grammars that open with a lookbehind run only where their match can begin (extractors/scan.py)."""
    if i == 1:  # n=18: at an n that opens a run of letters
        return matches_at(rx, text, [s for s in letter_run_starts(text) if text[s] in "nN"])
    if i in (2, _SAME_SENTENCE_ONLY):
        return matches_at(rx, text, number_starts(text, _enrollment_rests()[i]))
    return rx.finditer(text)


_SAME_SENTENCE_ONLY = 4
PHASE_LOOKBACK = 300  # characters; about one paragraph of a news article


@dataclass(frozen=True)
class _Enrollment:
    start: int
    end: int
    value: int
    text: str


def _enrollments(text: str, layout: Layout) -> list[tuple[_Enrollment, bool]]:
    blockers = tuple(trial_words()["enrollment_blockers"])
    found: dict[int, tuple[_Enrollment, bool]] = {}
    for i, rx in enumerate(_enrollment_patterns()):
        for m in _enrollment_matches(i, rx, text):
            if not layout.is_content(m.start()):
                continue
            clause_lo, _ = layout.clause_bounds(m.start())
            if any(b in text[clause_lo : m.start("n")] for b in blockers):
                continue
            n = parse_number(m.group("n"))
            if n is None or n <= 0 or n != int(n):
                continue
            value = int(n) * (2 if i == 3 else 1)  # 试验组和对照组各30例 = 60
            enrollment = _Enrollment(m.start(), m.end(), value, text[m.start() : m.end()])
            found.setdefault(m.start("n"), (enrollment, i == _SAME_SENTENCE_ONLY))
    return sorted(found.values(), key=lambda pair: pair[0].start)


def _same_sentence(layout: Layout, a: int, b: int) -> bool:
    return layout.sentence_bounds(a) == layout.sentence_bounds(b)


def _planned(text: str, layout: Layout, phase: _Phase) -> bool:
    lo, hi = layout.clause_bounds(phase.start)
    return any(w in text[lo:hi] for w in trial_words()["plan_words"])


def _other_study_sentence(text: str, layout: Layout, pos: int) -> bool:
    lo, hi = layout.sentence_bounds(pos)
    return any(w in text[lo:hi] for w in trial_words()["other_study_words"])


def _phase_for(hit: TrialHit, text: str, layout: Layout, hits: list[TrialHit]) -> _Phase | None:
    c_lo, c_hi = layout.clause_bounds(hit.start)
    _, s_hi = layout.sentence_bounds(hit.start)
    in_clause = _phases_in(text, c_lo, c_hi)
    if in_clause:
        return min(in_clause, key=lambda p: abs(p.start - hit.start))
    after = _phases_in(text, hit.end, s_hi)
    if after:
        return after[0]
    # "进行第二期试验，登录于……，编号KCT0005678", or the previous paragraph introduced the study:
    # the nearest phase before the id that no other trial's sentence holds and no plan describes.
    s_lo, _ = layout.sentence_bounds(hit.start)
    lo = s_lo if _other_study_sentence(text, layout, hit.start) else layout.section_at(hit.start).start
    lo = max(lo, hit.start - PHASE_LOOKBACK)
    before = [
        p for p in _phases_in(text, lo, hit.start) if layout.is_content(p.start) and not _planned(text, layout, p)
    ]
    if before and not any(
        before[-1].start < h.start < hit.start or _same_sentence(layout, before[-1].start, h.start)
        for h in hits
        if h is not hit
    ):
        return before[-1]
    # A section about one trial states its phase in the heading: 一、京都大学 (I/II期)
    section = layout.section_at(hit.start)
    if section.heading and sum(1 for h in hits if layout.section_at(h.start).index == section.index) == 1:
        heading_end = layout.line_at(section.start).end
        found = _phases_in(text, section.start, heading_end, loose=True)
        if found:
            return found[0]
    # "一、某产品(NCT05066646)" as a heading, "这是一项Ib/II期研究……" below it: the id's paragraph, or the
    # one after a heading, up to the next trial named.
    line = layout.line_at(hit.start)
    hi = line.end
    if line.kind == "heading":
        following = [ln for ln in layout.lines if ln.start > line.end and ln.kind == "body"]
        hi = following[0].end if following else hi
    hi = min([hi] + [h.start for h in hits if h.start > hit.end])
    ahead = [p for p in _phases_in(text, hit.end, hi) if not _planned(text, layout, p)]
    if ahead:
        return ahead[0]
    # a registry table: the field lines after the id's line, up to a blank line or the next id
    index = layout.line_index(hit.start)
    stop = min([h.start for h in hits if h.start > hit.end] + [len(text)])
    for ln in layout.lines[index + 1 : index + _FIELD_LINES + 1]:
        if ln.start >= stop or not text[ln.start : ln.end].strip():
            break
        field = _phase_field().search(text, ln.start, ln.end)
        if field is not None:
            return _Phase(field.start("p"), field.end(), normalise_phase(field.group("p")), field.group("p"))
    return None


_FIELD_LINES = 8


def _assign_enrollments(
    text: str, layout: Layout, hits: list[TrialHit], phases: dict[str, str | None]
) -> tuple[dict[str, _Enrollment], dict[str, list[_Enrollment]]]:
    """Each enrollment phrase goes to the trial named in its sentence, else to the trial whose phase its
    sentence names, else to the nearest trial before it in the same section. First phrase wins; the
    later ones of each trial are returned too (an actual count after a planned one replaces it)."""
    assigned: dict[str, _Enrollment] = {}
    later: dict[str, list[_Enrollment]] = {}
    unplaced: list[_Enrollment] = []
    for e, same_sentence_only in _enrollments(text, layout):
        s_lo, s_hi = layout.sentence_bounds(e.start)
        before_e = [h for h in hits if s_lo <= h.start <= e.start]
        after_e = [h for h in hits if e.start < h.start < s_hi]
        # "招募了二百名患者……并在注册中心登记（ChiCTR…）": the sentence's id may come after the count.
        in_sentence = before_e[-1:] or after_e[:1]
        target: str | None = in_sentence[0].registry_id if in_sentence else None
        if same_sentence_only:
            if target is not None and target not in assigned:
                assigned[target] = e
            continue
        if target is None:
            named = {p.value for p in _phases_in(text, s_lo, s_hi)}
            section_index = layout.section_at(e.start).index
            nearby = {h.registry_id for h in hits if layout.section_at(h.start).index == section_index}
            by_phase = {rid for rid, ph in phases.items() if rid in nearby and ph is not None and ph in named}
            if len(by_phase) == 1:
                target = by_phase.pop()
        if target is None:
            section = layout.section_at(e.start)
            before = [h for h in hits if section.start <= h.start < e.start]
            if before:
                target = before[-1].registry_id
        if target is None:
            unplaced.append(e)
        elif target not in assigned:
            assigned[target] = e
        else:
            later.setdefault(target, []).append(e)
    # A news piece about one registered trial often gives its size paragraphs away from its id: a
    # count no trial claimed goes to it, unless its sentence is about another study or phase.
    only = {h.registry_id for h in hits if layout.is_content(h.start)}
    if len(only) == 1 and (rid := next(iter(only))) not in assigned:
        for e in unplaced:
            s_lo, s_hi = layout.sentence_bounds(e.start)
            named = {p.value for p in _phases_in(text, s_lo, s_hi)}
            if not _other_study_sentence(text, layout, e.start) and named <= {phases.get(rid)}:
                assigned[rid] = e
                break
    return assigned, later


def _enrollment_type(text: str, layout: Layout, e: _Enrollment) -> Literal["anticipated", "actual"] | None:
    """计划纳入554名 is anticipated, 共入组了196人 actual; a bare count says neither."""
    w = trial_words()
    lo, _ = layout.clause_bounds(e.start)
    said = text[lo : e.end]
    if any(word in said for word in w["anticipated_words"]):
        return "anticipated"
    if any(word in said for word in w["actual_words"]):
        return "actual"
    return None


def trials_from(original: str, text: str, layout: Layout, hits: list[TrialHit]) -> list[Trial]:
    """One trial per registry id; phase and enrollment texts are quoted from the original script."""
    first: dict[str, TrialHit] = {}
    counts: dict[str, int] = {}
    for h in hits:
        first.setdefault(h.registry_id, h)
        counts[h.registry_id] = counts.get(h.registry_id, 0) + 1
    phase_of: dict[str, _Phase | None] = {}
    for rid in first:
        for h in (x for x in hits if x.registry_id == rid):
            phase_of[rid] = _phase_for(h, text, layout, hits)
            if phase_of[rid] is not None:
                break
    enrollments, later = _assign_enrollments(
        text, layout, hits, {k: (v.value if v else None) for k, v in phase_of.items()}
    )
    trials = []
    for rid, h in first.items():
        phase = phase_of.get(rid)
        enrol = enrollments.get(rid)
        planned = None
        if enrol is not None and _enrollment_type(text, layout, enrol) == "anticipated":
            # 原计划招募200名 … 最终186名患者被随机: the trial's size is the actual count, the plan kept beside it
            actual = [e for e in later.get(rid, []) if _enrollment_type(text, layout, e) != "anticipated"]
            if actual and not _other_study_sentence(text, layout, actual[0].start):
                planned, enrol = enrol, actual[0]
        digits = re.sub(r"\D", "", rid)
        trials.append(
            Trial(
                registry_id=rid,
                registry=h.registry.name,
                url=h.registry.url.format(id=rid, digits=digits),
                phase=phase.value if phase else None,
                phase_text=original[phase.start : phase.end] if phase else None,
                enrollment=enrol.value if enrol else None,
                enrollment_text=original[enrol.start : enrol.end] if enrol else None,
                enrollment_type="actual" if planned else _enrollment_type(text, layout, enrol) if enrol else None,
                enrollment_anticipated=planned.value if planned else None,
                mention_count=counts[rid],
            )
        )
    return trials
