"""What publishing derives once instead of per row or per cell gives what deriving it each time gave:
cells by their fast paths, the families' columns and the tables, which follow the registry when a
family is registered or removed."""

from __future__ import annotations

import random
from decimal import Decimal

from pydantic import Field

from stemwire.flows.publish import tables
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
