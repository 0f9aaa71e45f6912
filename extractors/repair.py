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

Each rule is a regular expression in data/repairs.json; `Repair` records what was changed where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stemwire.extractors.resources import load_json


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
    )


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
        found = list(rx.finditer(text))
        if not found:
            continue
        chars = list(text)
        for m in found:
            chars[m.start() : m.end()] = fill * (m.end() - m.start()) if fill == " " else fill
            repairs.append(Repair(kind, m.start(), m.end()))
        text = "".join(chars)
    return text, repairs
