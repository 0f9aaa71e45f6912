"""Registry records reposted as tables: rows such as `注册号: | NCT01297413 |` or `受试者例数: 35`.

Table rows are data, not headings: a block of registry rows is rewritten in the analysis text (same
length, values in place) into one sentence the trial grammar reads: labels become spaces, the rows'
line ends commas, a phase value gets 第 before it (第Ⅰ/Ⅱ期) and a size 入组…例 around it. The labels
are data (data/registry_rows.json).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from stemwire.extractors.resources import load_json
from stemwire.extractors.scan import line_starts, matches_at
from stemwire.extractors.table_text import rewrite_pipe_tables

_PHASE_START = re.compile(r"(?:IV|I{1,3}|[ⅠⅡⅢⅣ1-4一二三四])")


@dataclass(frozen=True)
class _Row:
    start: int  # of the line
    end: int  # of the line (its newline excluded)
    field: str
    value_start: int
    value_end: int


@lru_cache(maxsize=1)
def _row_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    fields: dict[str, list[str]] = load_json("registry_rows.json")["fields"]
    field_of = {label.lower(): field for field, labels in fields.items() for label in labels}
    labels = "|".join(re.escape(label) for label in sorted(field_of, key=len, reverse=True))
    rx = re.compile(
        rf"^[ \t|]*(?P<label>{labels})[ \t]*\|?[ \t]*[:：]?[ \t]*\|?[ \t]*(?P<value>[^|\n]*?)[ \t|]*$", re.I | re.M
    )
    return rx, field_of


def _rows(text: str) -> list[_Row]:
    rx, field_of = _row_pattern()
    rows = []
    for m in matches_at(rx, text, line_starts(text)):  # the pattern opens with ^ (re.MULTILINE)
        if not m.group("value"):
            continue
        rows.append(_Row(m.start(), m.end(), field_of[m.group("label").lower()], m.start("value"), m.end("value")))
    return rows


def _blocks(text: str, rows: list[_Row]) -> list[list[_Row]]:
    """Runs of rows separated by nothing but blank lines."""
    blocks: list[list[_Row]] = []
    for row in rows:
        if blocks and not text[blocks[-1][-1].end : row.start].strip():
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return [b for b in blocks if any(r.field == "id" for r in b) or len(b) >= 3]


def _rewrite_row(chars: list[str], text: str, row: _Row) -> None:
    for i in range(row.start, row.end):
        if not row.value_start <= i < row.value_end:
            chars[i] = " "
    vs, ve = row.value_start, row.value_end
    if row.field == "phase" and _PHASE_START.match(text, vs) and vs - row.start >= 1:
        chars[vs - 1] = "第"
    elif row.field == "enrollment" and re.fullmatch(r"\d+", text[vs:ve]):
        if ve == row.end:  # no room after the number: it moves one to the left
            vs, ve = vs - 1, ve - 1
            chars[vs:ve] = list(text[vs + 1 : ve + 1])
        if vs - row.start >= 2:
            chars[vs - 2 : vs] = ["入", "组"]
            chars[ve] = "例"
    elif row.field == "enrollment" and re.fullmatch(r"\d+\s*[例人名位]", text[vs:ve]) and vs - row.start >= 2:
        chars[vs - 2 : vs] = ["入", "组"]  # 样本量：60例 reads as 入组60例


def rewrite_registry_rows(text: str) -> str:
    """The analysis text with registry-table blocks read as one sentence each, and the rows of other
    pipe tables as clauses (table_text.py); same length."""
    if ":" not in text and "|" not in text:
        return text
    blocks = _blocks(text, _rows(text))
    if not blocks:
        return rewrite_pipe_tables(text)
    chars = list(text)
    for block in blocks:
        for row in block:
            _rewrite_row(chars, text, row)
        for a, b in pairwise(block):
            for i in range(a.end, b.start):
                chars[i] = "," if i == a.end else " "
    return rewrite_pipe_tables("".join(chars))
