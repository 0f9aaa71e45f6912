"""Script detection and conversion to the analysis script (Simplified) with offsets kept.

Every extractor reads `AnalysisText.text`, which has exactly one code point per code point of the
original: OpenCC's character-level `t2s` maps one character to one character, and width folding
(full-width digits and punctuation to ASCII) is applied only where it also maps one to one.
So an offset into the analysis text is the same offset into the original text, and
`original[start:end]` is always the surface text a fact was read from.

Damage left by converters and copy-paste (inserted pinyin readings, characters lost as '?', image
remnants, registry tables) is neutralised in the analysis text by same-length rewrites
(extractors/repair.py, extractors/registry_rows.py), recorded in `AnalysisText.repairs`; the original
is never changed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
import opencc

from stemwire.extractors.registry_rows import rewrite_registry_rows
from stemwire.extractors.repair import Repair, repair_analysis_text

Script = Literal["traditional", "simplified", "mixed", "unknown"]

# Superscript digits stay as they are: folding "10⁹" to "109" would destroy the exponent.
_KEEP_WIDTH = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
# Below this share of the minority script's characters, a text counts as written in one script.
MIXED_MINORITY_SHARE = 0.05


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


class _WidthFold(dict[int, str]):
    """str.translate table folding full-width and compatibility forms one character for one, built
    as characters are met, so the per-character work runs inside str.translate."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if ch.isascii() or ch in _KEEP_WIDTH else unicodedata.normalize("NFKC", ch)
        self[code] = folded if len(folded) == 1 else ch
        return self[code]


_FOLD = _WidthFold()
_BMP = 0x10000


@lru_cache(maxsize=1)
def _bmp_fold() -> np.ndarray:
    """_FOLD for every character of the Basic Multilingual Plane, as a code point table. Only a
    character not in NFKC form can fold, so only those (~3,000) are looked up (~10 ms, once)."""
    table = np.arange(_BMP, dtype=np.uint32)
    for code in range(0x80, _BMP):
        if not 0xD800 <= code < 0xE000 and not unicodedata.is_normalized("NFKC", chr(code)):
            table[code] = ord(_FOLD[code])
    return table


def fold_width(text: str) -> str:
    """`text.translate(_FOLD)`, as one table lookup over the text's code points in numpy: str.translate
    looks each character up in Python's dict (~0.3 ms per article)."""
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    except UnicodeEncodeError:  # a lone surrogate (a file decoded with surrogateescape)
        return text.translate(_FOLD)
    if codes.size == 0 or codes.max() >= _BMP:
        return text.translate(_FOLD)
    folded = _bmp_fold()[codes]
    return text if np.array_equal(folded, codes) else folded.tobytes().decode("utf-32-le")


@dataclass(frozen=True)
class ScriptProfile:
    script: Script
    traditional_chars: int  # characters that only Traditional writing uses
    simplified_chars: int  # characters that only Simplified writing uses

    @property
    def language(self) -> str:
        return "zh-Hans" if self.script == "simplified" else "zh-Hant"


@dataclass(frozen=True)
class AnalysisText:
    original: str
    text: str
    profile: ScriptProfile
    repairs: tuple[Repair, ...] = field(default=())


def _differences(a: str, b: str) -> int:
    """How many characters differ between two texts of equal length (compared as UTF-32 code units
    in numpy: a per-character Python loop cost ~0.6 ms per article)."""
    return int(
        np.count_nonzero(
            np.frombuffer(a.encode("utf-32-le"), np.uint32) != np.frombuffer(b.encode("utf-32-le"), np.uint32)
        )
    )


def detect_script(text: str, simplified: str | None = None) -> ScriptProfile:
    """Count characters specific to each script; both present in strength means machine-mixed text.
    `simplified`: the text already through t2s, when the caller has it."""
    trad = _differences(text, simplified if simplified is not None else _t2s().convert(text))
    simp = _differences(text, _s2t().convert(text))
    if trad == 0 and simp == 0:
        return ScriptProfile("unknown", 0, 0)
    minority = min(trad, simp) / max(trad, simp)
    if minority >= MIXED_MINORITY_SHARE and min(trad, simp) >= 5:
        script: Script = "mixed"
    else:
        script = "traditional" if trad > simp else "simplified"
    return ScriptProfile(script, trad, simp)


def _convert_same_length(text: str) -> str:
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length somewhere: convert line by line, and character by
    # character in the lines that still differ, so offsets stay aligned.
    lines = []
    for line in text.split("\n"):
        out = _t2s().convert(line)
        if len(out) != len(line):
            out = "".join(c if len(c) == 1 else ch for ch in line for c in [_t2s().convert(ch)])
        lines.append(out)
    return "\n".join(lines)


def analysis_text(original: str) -> str:
    """The analysis text alone, without the script profile (for display)."""
    return _repaired(fold_width(_convert_same_length(original)))[0]


def _repaired(folded: str) -> tuple[str, list[Repair]]:
    text, repairs = repair_analysis_text(folded)
    return rewrite_registry_rows(text), repairs


def to_analysis_text(original: str) -> AnalysisText:
    converted = _convert_same_length(original)
    folded, repairs = _repaired(fold_width(converted))
    if len(folded) != len(original):  # pragma: no cover - guarded by construction above
        raise AssertionError("analysis text must keep the original's length")
    return AnalysisText(
        original=original, text=folded, profile=detect_script(original, converted), repairs=tuple(repairs)
    )
