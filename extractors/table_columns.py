"""Figures in a pipe table (| 组别 | 有效率 | 12个月生存率 |, a registry's results table in Markdown).

A table's figure is not in a sentence, so the clause rules of measures.py and attribution.py see
nothing around it. Its header and its row's first cell say what the sentence would have: one names
the measure (the vocabulary's label where it has one, else the header as written), one may name the
group (安慰剂组: control), one may name the time (12个月, 基线). Precision first: a group is an arm
only where the table itself names a comparator, and a figure whose labels say nothing keeps none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from stemwire.extractors.measures import MeasureHit, measures_in
from stemwire.extractors.table_text import pipe_table_lines
from stemwire.extractors.time_points import alt, length_value, one_time_in, patterns, words
from stemwire.schemas.models import Metric

_RULE = re.compile(r"^[\s|:\-—–]+$")  # |---|:---:| separates the header from the rows


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int  # stripped of spaces


@dataclass(frozen=True)
class _Table:
    header: list[_Cell]
    rows: list[list[_Cell]]


def _cells(text: str, lo: int, hi: int) -> list[_Cell]:
    bars = [i for i in range(lo, hi) if text[i] == "|"]
    cells = []
    for a, b in itertools.pairwise(bars):
        s, e = a + 1, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        cells.append(_Cell(s, e))
    return cells


def _tables(original: str) -> list[_Table]:
    """Pipe tables of the original text (the analysis text reads their bars as commas): the first
    row is the header, a |---| rule is skipped."""
    tables = []
    for run in pipe_table_lines(original):
        rows = [_cells(original, lo, hi) for lo, hi in run if not _RULE.match(original[lo:hi])]
        if len(rows) >= 2:
            tables.append(_Table(rows[0], rows[1:]))
    return tables


_GROUP_LABEL = re.compile(r"组\s*(?:[（(][^）)]*[)）])?$")


def _arm_of(label: str) -> str | None:
    """安慰剂组 / 对照 (n=60): control; 细胞治疗组 (n=60): intervention; a measure or a time: none."""
    if any(w in label for w in words()["control_words"]):
        return "control"
    return "intervention" if _GROUP_LABEL.search(label) else None


def _time_of(label: str) -> tuple[str, int, int] | None:
    """The one time a label names (12个月, 第24周, 基线), with its span in the label."""
    base = re.search(alt("baseline_words"), label)
    found = list(patterns()["bare"].finditer(label))
    if len(found) == 1 and base is None:
        value = length_value(found[0])
        return (value, found[0].start(), found[0].end()) if value else None
    if base is not None and not found:
        return "P0D", base.start(), base.end()
    return None


def _without_time_words(rest: str) -> str:
    """What a time label (术后3个月, 随访第12周时) says besides its time: nothing, once its words go."""
    w = words()
    for word in sorted({*w["after_treatment"], *w["follow_up"], *w["point_after"], "第", "后", "时间"}, key=len)[::-1]:
        rest = rest.replace(word, "")
    return rest


def _caption_measure(text: str, table: _Table) -> tuple[int, MeasureHit] | None:
    """The one measure named by the line that introduces the table with a colon (疼痛VAS改善见下表：),
    with the offset of that line."""
    end = text.rfind("\n", 0, table.header[0].start)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line:
            hits = [h for h in measures_in(text[start:end]) if h.entry.specific]
            # one name, or names written as one (疼痛VAS: the scale the last one names)
            one = all(a.end == b.start for a, b in itertools.pairwise(hits))
            return (start, hits[-1]) if line.endswith((":", "：")) and hits and one else None
        end = start - 1
    return None


_MAX_CAPTION = 60  # characters: a longer line before a table is prose, not its title


def _caption_time(text: str, table: _Table) -> tuple[str, int, int] | None:
    """The one time named by the line just above the table (表1 治疗12个月后两组主要指标, the caption of
    an HTML table), for the figures whose labels name none."""
    end = text.rfind("\n", 0, table.header[0].start)
    start = text.rfind("\n", 0, max(end, 0)) + 1
    if end > 0 and not text[start:end].strip():  # one blank line between them
        end = start - 1
        start = text.rfind("\n", 0, max(end, 0)) + 1
    line = text[start:end] if end > 0 else ""
    if not line.strip() or len(line) > _MAX_CAPTION:
        return None
    found = one_time_in(line)
    return (found[0], start + found[1], start + found[2]) if found else None


def attribute_table_figures(metrics: list[Metric], original: str, text: str) -> None:
    """Measure, arm and time point of each figure in a pipe table's cell, from its header and row label,
    else the measure from the table's caption line."""
    if "|" not in original or not metrics:
        return
    for table in _tables(original):
        holding = {c: [m for m in metrics if c.start <= m.start < c.end] for r in table.rows for c in r}
        labels = [text[c.start : c.end] for c in table.header]
        labels += [text[c.start : c.end] for r in table.rows for i, c in enumerate(r) if i == 0 or not holding[c]]
        compared = any(_arm_of(label) == "control" for label in labels)
        caption = _caption_measure(text, table)
        caption_time = _caption_time(text, table)
        for row in table.rows:
            for col, cell in enumerate(row[1:], start=1):
                if col >= len(table.header):
                    break
                inside = holding[cell]
                if len(inside) != 1:
                    continue  # an empty cell, or two figures the labels cannot tell apart
                _apply(inside[0], original, text, (table.header[col], row[0]), compared, caption)
                _from_label_columns(inside[0], original, text, table, row, col, holding, compared)
                if inside[0].time_point is None and caption_time is not None:
                    value, lo, hi = caption_time
                    inside[0].time_point, inside[0].time_point_text = value, original[lo:hi]


def _label_columns(
    text: str, table: _Table, row: list[_Cell], col: int, holding: dict[_Cell, list[Metric]]
) -> Iterator[tuple[str, str, _Cell]]:
    """The row's other cells that hold no figure, with their column's header (| 组别 | 评估时间 | 有效率 |)."""
    for i, cell in enumerate(row[1:], start=1):
        if i != col and i < len(table.header) and not holding[cell]:
            yield text[table.header[i].start : table.header[i].end], text[cell.start : cell.end], cell


def _from_label_columns(
    m: Metric,
    original: str,
    text: str,
    table: _Table,
    row: list[_Cell],
    col: int,
    holding: dict[_Cell, list[Metric]],
    compared: bool,
) -> None:
    """A group or a time the header and the row's first cell left unsaid, from a column of the row that
    the table heads as one (组别, 评估时间) and whose cell says only that: one such cell, else nothing."""
    w = words()
    times, arms = [], []
    for head, label, cell in _label_columns(text, table, row, col, holding):
        t = _time_of(label)
        if t is not None and any(h in head for h in w["table_time_headers"]):
            rest = _without_time_words(label[: t[1]] + label[t[2] :])
            if not re.search(r"[\u4e00-\u9fffA-Za-z]{2}", rest):
                times.append((t[0], cell.start + t[1], cell.start + t[2]))
        group = _arm_of(label)
        if group is not None and any(h in head for h in w["table_group_headers"]):
            arms.append(group)
    if m.time_point is None and len(times) == 1:
        value, lo, hi = times[0]
        m.time_point, m.time_point_text = value, original[lo:hi]
    if m.arm is None and compared and len(arms) == 1:
        m.arm = arms[0]  # type: ignore[assignment]


def _apply(
    m: Metric,
    original: str,
    text: str,
    labels: tuple[_Cell, _Cell],
    compared: bool,
    caption: tuple[int, MeasureHit] | None,
) -> None:
    arm: str | None = None
    time: tuple[str, int, int] | None = None
    measure: tuple[int, int, MeasureHit | None] | None = None
    for cell in labels:  # the column's header first: it names the measure where both could
        label = text[cell.start : cell.end]
        group = _arm_of(label)
        if group is not None:
            arm = arm or (group if compared else None)
            continue  # a group's label names no measure
        t = _time_of(label)
        if time is None and t is not None:
            time = (t[0], cell.start + t[1], cell.start + t[2])
        hit = next(iter(measures_in(label)), None)
        rest = _without_time_words(label[: t[1]] + label[t[2] :]) if t else label
        if measure is None and (hit is not None or re.search(r"[\u4e00-\u9fffA-Za-z]{2}", rest)):
            measure = (cell.start, cell.end, hit)
    if measure is None and caption is not None:
        at, hit = caption
        measure = (at + hit.start, at + hit.end, hit)
    m.arm = arm  # type: ignore[assignment]
    m.time_point, m.time_point_text = (time[0], original[time[1] : time[2]]) if time else (None, None)
    if measure is None:  # the clause rules see no sentence here: what they found is not the cell's
        m.measure = m.measure_text = m.measure_key = None
        return
    lo, hi, hit = measure
    m.measure_text = original[lo:hi]
    m.measure_key = hit.entry.key if hit else None
    m.measure = hit.entry.label if hit else m.measure_text
