"""Study groups the text names: labels ending in 组 (安慰剂组, MSC组, 高剂量组, 两组), comparators named
without 组 (接受安慰剂的患者), groups named by what they received (接受干细胞治疗的患者), and where in the
article a comparator is stated at all. Read by attribution.py; the words are data/attribution_words.json.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from stemwire.extractors.layout import Layout
from stemwire.extractors.lexicon import alternation
from stemwire.extractors.time_points import alt as _alt
from stemwire.extractors.time_points import words as _words

GroupArm = Literal["intervention", "control", "cohort", "both"]
_LABEL_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-+]")
_LABEL_STOPS = set("组的在和与及、而但为是有比较了从其仅只共各中将到入至按即被给经予用把让向于")
_LABEL_MAX = 10


@dataclass(frozen=True)
class Group:
    start: int
    end: int
    arm: GroupArm


def find_groups(text: str, layout: Layout) -> list[Group]:
    """Group labels (安慰剂组, MSC组, 高剂量组, 两组) and bare comparator words (接受安慰剂的患者)."""
    w = _words()
    control = tuple(sorted(w["control_words"], key=len, reverse=True))  # longest first
    not_group = tuple(w["not_group"])
    two = tuple(w["two_groups"])
    found: list[Group] = []
    for i in (m.start() for m in re.finditer("组", text)):
        if not layout.is_content(i) or text.startswith(("组间", "组别", "组成", "组织", "组合", "组建"), i):
            continue
        # which word ends here is looked for only where one does (one endswith over the tuple)
        both = next((b for b in two if text.endswith(b, 0, i + 1)), None) if text.endswith(two, 0, i + 1) else None
        if both is not None:
            found.append(Group(i + 1 - len(both), i + 1, "both"))
            continue
        start = i
        while start > 0 and i - start < _LABEL_MAX and _LABEL_CHAR.match(text[start - 1]):
            if text[start - 1] in _LABEL_STOPS and not text.endswith(control, 0, i):
                break
            start -= 1
        label = text[start:i]
        # 比安慰剂组: the comparison word is no part of the label; 对照 keeps its 对
        cut = next((k for k in range(len(label) - 1, -1, -1) if label[k] in _LABEL_STOPS and label[k] != "组"), -1)
        control_hit = next((c for c in control if label.endswith(c)), None) if label.endswith(control) else None
        if control_hit is not None:
            found.append(Group(i - len(control_hit), i + 1, "control"))
            continue
        if cut >= 0:
            label, start = label[cut + 1 :], start + cut + 1
        # 强度超过急性移植组: what precedes a comparison word is no part of the label
        opener = max(((label.rfind(c), c) for c in w["compare_words"] if c in label[:-1]), default=None)
        if opener is not None:
            cut_at = opener[0] + len(opener[1])
            label, start = label[cut_at:], start + cut_at
        if not label:
            continue
        if label.endswith(not_group):
            continue
        if label in w["comparator_labels"] or any(c in label for c in control):
            found.append(Group(start, i + 1, "control"))
        elif any(c in label for c in w["cohort_words"]):
            found.append(Group(start, i + 1, "cohort"))
        elif re.search(r"[A-Za-z]", label) or any(c in label for c in w["intervention_words"]):
            found.append(Group(start, i + 1, "intervention"))
    # 接受安慰剂的患者, 安慰剂为27.7%: a comparator named without 组
    for m in rx("bare").finditer(text):
        if layout.is_content(m.start()) and not any(g.start <= m.start() < g.end for g in found):
            found.append(Group(m.start(), m.end(), "control"))
    # 接受干细胞治疗的患者: a treated group named by what it received
    for m in rx("received").finditer(text):
        if layout.is_content(m.start()) and not any(g.start <= m.start() < g.end for g in found):
            arm: GroupArm = "control" if any(c in m.group() for c in control) else "intervention"
            found.append(Group(m.start(), m.end(), arm))
    # 没有对照组, 未设对照组: a group said not to exist is none
    denied = [(m.start(), m.end() + 1) for m in rx("no_control").finditer(text)] if denies_control(text) else []
    found = [g for g in found if not any(lo <= g.start < hi for lo, hi in denied)]
    return sorted(found, key=lambda g: g.start)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "bare": re.compile(
            rf"(?:{_alt('control_words')})(?=者|患者|受试者|的患者|的受试者|治疗的|注射的|为|是|则|仅|只|中|群|臂)"
        ),
        "received": re.compile(
            rf"接受[^，,。；;]{{1,12}}?(?:{_alt('delivery_nouns')})的?(?:{alternation('participant_nouns')})"
        ),
        "no_control": re.compile(_alt("no_control")),
        "control_words": re.compile(_alt("control_words")),
        "compare_before": re.compile(
            rf"(?:{_alt('compare_words')})\s*(?:接受|使用)?[\u4e00-\u9fffA-Za-z0-9\-]{{0,4}}$"
        ),
        "with_before": re.compile(rf"(?:{_alt('compare_with')})\s*(?:接受|使用)?$"),
        "compare_after": re.compile(_alt("compare_after")),
        "compare_control": re.compile(rf"(?:{_alt('compare_words')})\s*(?:{_alt('control_words')})"),
        "with_control": re.compile(
            rf"(?:{_alt('compare_with')})[^，,。；;]{{0,12}}?(?:{_alt('control_words')})[^，,。；;]{{0,8}}?(?:{_alt('compare_after')})"
        ),
        "ratio_of_groups": re.compile(_alt("ratio_of_groups")),
        "compare_end": re.compile(rf"(?:{_alt('compare_words')})$"),
        "versus": re.compile(rf"^\s*(?:{_alt('versus')})\s*$"),
    }


def denies_control(text: str) -> bool:
    """Whether a phrase denying a comparator (没有对照组) is in the text: substring tests find none faster
    than the alternation's scan, and most articles have none."""
    return any(word in text for word in _words()["no_control"])


def rx(name: str) -> re.Pattern[str]:
    return _patterns()[name]


class Comparators:
    """Where the text names a comparator (a control word, or a control group's label), outside the
    phrases that deny one (没有对照组): found once per article, looked up per figure."""

    def __init__(self, text: str, groups: list[Group]) -> None:
        masked = rx("no_control").sub(lambda m: "\0" * len(m.group()), text) if denies_control(text) else text
        named = [m.start() for m in rx("control_words").finditer(masked)]
        named += [g.start for g in groups if g.arm == "control" and masked[g.start] != "\0"]
        self.positions = sorted(named)

    def any_between(self, lo: int, hi: int) -> bool:
        k = bisect.bisect_left(self.positions, lo)
        return k < len(self.positions) and self.positions[k] < hi
