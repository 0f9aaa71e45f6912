"""What publishing derives once, or by a faster path, gives what it gave before: cells by their fast
paths, the families' columns and the tables (which follow the registry when a family is registered
or removed), highlighted text and escaping."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from html import escape as html_escape

from pydantic import Field

from stemwire.flows.publish import report_page, tables
from stemwire.flows.publish.html import escape
from stemwire.flows.publish.report_page import _Span
from stemwire.flows.publish.tables import cell, layout, table_fragment
from stemwire.schemas.families import FactFamily, column_specs, columns, family, register, unregister
from stemwire.schemas.models import Span


def _slow_cell(value: object) -> str:
    """tables.cell as it was written before its fast paths."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list):
        value = "|".join(map(str, value))
    text = str(value)
    return "'" + text if text.startswith(tables.FORMULA_STARTS) else text


def test_cells_by_their_fast_paths_are_the_cells_of_the_general_one() -> None:
    rng = random.Random(3)
    values: list[object] = [0, -1, 7, 100, 10**27, -(10**27), 10**28 - 1, 10**28, 10**40 + 1, -(10**35) - 7]
    values += [rng.randint(-(10**30), 10**30) for _ in range(2000)] + [rng.randint(-1000, 1000) for _ in range(200)]
    values += [True, False, None, 1.0, -0.0, 2.5e-7, 1e16, ["a", "b"], ["=x"], ""]
    values += ["text", "=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "中文", "'quoted"]
    for value in values:
        assert cell(value) == _slow_cell(value), value


class _Note(Span):
    note: str = Field(description="A note.")
    size: int | None = Field(default=None, description="A size.")


def test_columns_and_tables_follow_the_registry() -> None:
    metrics = family("metrics")
    assert column_specs(metrics) is column_specs(metrics)
    assert list(columns(metrics)) == list(column_specs(metrics))
    before, before_layout = tables.tables(), layout()
    note = FactFamily("test_notes", _Note, "notes", "#000000", ("note", "size", "start", "end", "text"))
    register(note)
    try:
        found = tables.tables()
        assert [c.name for c in found["test_notes"]] == ["article_id", "index", "note", "size", "start", "end", "text"]
        assert [c.datatype for c in found["test_notes"]][3] == "integer"
        assert layout() != before_layout
        record = {
            "id": "a1",
            "source": {"language": "zh-Hans", "script": "simplified", "path": "a1.txt", "sha256": "0" * 64},
            "test_notes": [{"note": "=x", "size": 3, "start": 0, "end": 1, "text": "x"}],
        }
        fragment = table_fragment(record)
        assert fragment["rows"]["test_notes"] == [["a1", "0", "'=x", "3", "0", "1", "x"]]
        assert fragment["layout"] == layout()
    finally:
        unregister("test_notes")
    assert tables.tables() == before and layout() == before_layout
    found = tables.tables()
    found["articles"].clear()  # a caller's copy: the derived tables are not changed through it
    assert tables.tables() == before


def _old_highlight(text: str, spans: list[_Span], marks: dict[_Span, str]) -> str:
    """report_page.highlight as it was written before its plan was shared by both views."""
    out: list[str] = []
    pos = 0
    open_ends: list[int] = []
    esc = html_escape if re.search("[&<>\"']", text) else str

    def close_to(limit: int) -> None:
        nonlocal pos
        while open_ends and open_ends[-1] <= limit:
            end = open_ends.pop()
            out.append(esc(text[pos:end]) + "</mark>")
            pos = end

    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        close_to(span.start)
        start = max(span.start, pos)
        end = min(span.end, open_ends[-1]) if open_ends else span.end
        end = max(end, start)
        out.append(esc(text[pos:start]))
        pos = start
        out.append(marks[span])
        open_ends.append(end)
    close_to(len(text))
    out.append(esc(text[pos:]))
    return "".join(out)


def test_highlighting_cuts_the_text_as_it_did() -> None:
    rng = random.Random(11)
    for trial in range(3000):
        size = rng.randint(0, 40)
        text = "".join(rng.choice("ab中文&<>\"' \n") for _ in range(size))
        spans = []
        for i in range(rng.randint(0, 12)):
            start = rng.randint(0, size)
            end = min(size, start + rng.randint(0, 12))
            spans.append(_Span(start, end, rng.choice(["metric", "date", "measure"]), f"v{i % 4}&"))
        if trial % 5 == 0 and spans:
            spans.append(spans[0])  # the same span twice
        marks = {span: report_page._mark(span) for span in spans}
        assert report_page.highlight(text, spans, marks) == _old_highlight(text, spans, marks)
        assert report_page.highlight(text, spans) == _old_highlight(text, spans, marks)


def test_escaping_is_html_escape() -> None:
    for value in [None, "", "a&b<c>d\"e'f", "中文", 3, -2.5, 1e-7, True, ["<x>"], "&amp;"]:
        assert escape(value) == html_escape("" if value is None else str(value), quote=True)
