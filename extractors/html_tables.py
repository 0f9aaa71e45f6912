"""HTML tables of three or more columns as pipe-table lines (| 组别 | 有效率 | 12个月生存率 |).

A results table's figure has no sentence around it: its column header and its row label say what it
measures, when, in which group. Written as a Markdown pipe table (header row, |---| rule, one line per
row), it is read by the same code as a Markdown article's table (table_text.py, table_columns.py).

The grid keeps its columns: a cell spanning columns is repeated in each, one spanning rows is repeated
down them, a short row is padded; header rows (<thead>, or leading rows of <th> only) are merged into
one, a column's distinct words joined. A bar in a cell's words becomes a full-width ｜.

Anything that is not a small data table is left to the page walk (None): a table holding a table, a
heading, a list or a chrome element (site layout done with a table, whose chrome the walk drops), a
cell of prose, unexpected markup between rows. Rows of label/value pairs (注册号： | NCT… | 分期： | 2期 |,
a registry record) become `label: value` lines instead. Each table's walk stops at its first nested
table, so every node is read by at most one table's walk: the page stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import CData, NavigableString, PageElement, Tag

_SECTIONS = ("thead", "tbody", "tfoot")
_CELL_TAGS = ("th", "td")
# a cell holding one of these is page layout, not a figure of a results table
_LAYOUT = frozenset(
    [
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "article",
        "section",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "form",
        "blockquote",
        "figure",
        "iframe",
        "button",
        "select",
        "textarea",
        "input",
    ]
)
_HIDDEN = frozenset(("script", "style", "noscript", "template", "svg", "head"))
_SPACED = frozenset(("br", "p", "div", "li", "dd", "dt"))  # their words are apart from the next ones
_PIPE = re.compile(r"[|｜]")  # a bar in a cell's words would split the cell
_MAX_SPAN = 50  # colspan="1000" is no real table's width
_MAX_CELL = 200  # characters: a longer cell is prose (an article laid out in a table)
_KEY_END = ("：", ":")


@dataclass(frozen=True)
class _Cell:
    text: str
    head: bool  # a <th>
    cols: int
    rows: int


class _NotData(Exception):
    """The table is layout or holds a table: the page walk reads it."""


def _span(cell: Tag, name: str) -> int:
    value = str(cell.get(name) or "1").strip()
    return min(int(value), _MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _words(tag: Tag, is_chrome: Callable[[Tag], bool]) -> tuple[str, int]:
    """A cell's (or caption's) words on one line, and the depth walked below it."""
    parts: list[str] = []
    stack: list[tuple[PageElement, int]] = [(c, 1) for c in reversed(tag.contents)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                parts.append(str(node))
            continue
        if not isinstance(node, Tag) or node.name in _HIDDEN:
            continue
        if node.name in _LAYOUT or is_chrome(node):
            raise _NotData
        deepest = max(deepest, depth)
        if node.name in _SPACED:
            parts.append(" ")
        stack.extend((c, depth + 1) for c in reversed(node.contents))
    text = re.sub(r"\s+", " ", _PIPE.sub("｜", "".join(parts))).strip()
    if len(text) > _MAX_CELL:
        raise _NotData
    return text, deepest


def _elements(tag: Tag, allowed: tuple[str, ...]) -> list[Tag]:
    """The child elements of a table part; text or any other element there is not a data table's."""
    found = []
    for child in tag.contents:
        if isinstance(child, Tag):
            if child.name not in allowed:
                raise _NotData
            found.append(child)
        elif type(child) is NavigableString and child.strip():
            raise _NotData
    return found


def _read(table: Tag, is_chrome: Callable[[Tag], bool]) -> tuple[str, list[list[_Cell]], int, int]:
    """Caption, rows (head rows first, foot rows last), number of <thead> rows, depth walked."""
    caption, deepest = "", 0
    parts: dict[str, list[Tag]] = {s: [] for s in _SECTIONS}
    for child in _elements(table, ("caption", "colgroup", "col", "tr", *_SECTIONS)):
        if child.name == "caption":
            caption, deepest = _words(child, is_chrome)
        elif child.name == "tr":
            parts["tbody"].append(child)
        elif child.name in _SECTIONS:
            parts[child.name] += _elements(child, ("tr",))
    rows = []
    for tr in parts["thead"] + parts["tbody"] + parts["tfoot"]:
        if is_chrome(tr):
            raise _NotData
        cells = []
        for cell in _elements(tr, _CELL_TAGS):
            text, depth = _words(cell, is_chrome)
            deepest = max(deepest, depth + 2)
            cells.append(_Cell(text, cell.name == "th", _span(cell, "colspan"), _span(cell, "rowspan")))
        if cells:
            rows.append(cells)
    return caption, rows, len(parts["thead"]), deepest


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """The rows with spanning cells repeated across and down, so that columns line up."""
    grid = []
    below: dict[int, tuple[str, int]] = {}  # column -> (words, rows still to fill) of a rowspan
    for row in rows:
        line: list[str] = []
        cells = iter(row)
        while True:
            if len(line) in below:
                words, left = below.pop(len(line))
                if left > 1:
                    below[len(line)] = (words, left - 1)
                line.append(words)
                continue
            cell = next(cells, None)
            if cell is None:
                if not below or max(below) < len(line):
                    break
                line.append("")  # a gap before a cell that spans down from above
                continue
            for col in range(len(line), len(line) + cell.cols):
                if cell.rows > 1:
                    below[col] = (cell.text, cell.rows - 1)
            line += [cell.text] * cell.cols
        grid.append(line)
    return grid


def _header(grid: list[list[str]], rows: list[list[_Cell]], head_rows: int) -> int:
    """How many leading rows make the header: the <thead> rows, else the leading rows of <th> only,
    at least one; never all of them while a row could be data."""
    n = head_rows or next((i for i, r in enumerate(rows) if not all(c.head for c in r)), len(rows))
    return max(1, n) if n < len(grid) else 1


def _merged(lines: list[list[str]]) -> list[str]:
    """Header rows as one: per column the distinct words, top first (有效率 over 6个月: 有效率 6个月)."""
    merged = []
    for col in range(len(lines[0])):
        words: list[str] = []
        for line in lines:
            if line[col] and line[col] not in words:
                words.append(line[col])
        merged.append(" ".join(words))
    return merged


def _pairs(grid: list[list[str]]) -> list[str] | None:
    """Rows of label/value pairs (each label ends with a colon): one `label: value` line per pair."""
    pairs = [(r[i], r[i + 1]) for r in grid for i in range(0, len(r), 2)] if len(grid[0]) % 2 == 0 else []
    if not any(label for label, _ in pairs) or any(
        not label.endswith(_KEY_END) and (label or value) for label, value in pairs
    ):
        return None  # an empty pair is a short row's padding
    return [f"{label[:-1]}: {value}" for label, value in pairs if label]


def pipe_table(table: Tag, is_chrome: Callable[[Tag], bool]) -> tuple[str, int] | None:
    """The table's text as lines (a caption line, then the pipe table) and the depth walked below it;
    None where the page walk should read the table (see the module's docstring)."""
    try:
        caption, rows, head_rows, deepest = _read(table, is_chrome)
    except _NotData:
        return None
    grid = _grid(rows)
    width = max((len(r) for r in grid), default=0)
    if width < 3:
        return None  # two columns: `label: value` rows, read by the walk
    grid = [r + [""] * (width - len(r)) for r in grid]
    pairs = _pairs(grid)
    if pairs is not None:
        lines = pairs
    else:
        n = _header(grid, rows, head_rows)
        body = [_merged(grid[:n]), *grid[n:]]
        lines = ["| " + " | ".join(body[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in body[1:]]
    return "\n" + "\n".join([caption, *lines] if caption else lines) + "\n", deepest
