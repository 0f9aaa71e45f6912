"""Pipe tables (| 组别 | 有效率 |) in the analysis text: where they are, and read as clauses.

A table row has no sentence marks, so the layout reads a row of short cells joined by | as a
navigation bar and drops its figures. In the analysis text (same length) each | of a table row
becomes a comma: every cell is a clause of its own, and the row a content line. The table's shape
is read again from the original text (table_columns.py), where the bars stay.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)


def pipe_table_lines(text: str) -> list[list[tuple[int, int]]]:
    """Runs of at least two consecutive lines that open and close with |, as (start, end) spans."""
    runs: list[list[tuple[int, int]]] = []
    for m in _LINE.finditer(text):
        if runs and text[runs[-1][-1][1] : m.start()] == "\n":
            runs[-1].append((m.start(), m.end()))
        else:
            runs.append([(m.start(), m.end())])
    return [r for r in runs if len(r) >= 2]


def rewrite_pipe_tables(text: str) -> str:
    """The text with each | of a pipe table's rows read as a comma (same length)."""
    if "|" not in text:
        return text
    chars = None
    for run in pipe_table_lines(text):
        chars = chars or list(text)
        for lo, hi in run:
            for i in range(lo, hi):
                if chars[i] == "|":
                    chars[i] = ","
    return "".join(chars) if chars else text
