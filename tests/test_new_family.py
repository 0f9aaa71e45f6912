"""A fact family registered beyond the built-ins reaches every output without touching them: the
record, the JSON-LD, the CSV tables with their CSVW metadata, and the report."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field
from spacy.language import Language
from spacy.tokens import Doc

from stemwire.extractors.components import put
from stemwire.extractors.pipeline import build_pipeline
from stemwire.schemas import export, validation
from stemwire.schemas.families import FactFamily, register, unregister
from stemwire.schemas.models import Span
from tests.helpers import publish

ARTICLE = "试验报告\n2025年3月，NCT04631406试验中2名患者出现发热，1名患者出现头痛，均为轻度不良事件。\n"


class AdverseEvent(Span):
    event: str = Field(description="The adverse event, as the vocabulary names it.")
    grade: str | None = Field(default=None, description="Severity, where the text gives it.")


_EVENTS = re.compile("发热|头痛")


@Language.factory("test_adverse_events", requires=["doc._.layout"], assigns=["doc._.adverse_events"])
def make_adverse_events(nlp: Language, name: str) -> Any:
    def adverse_events(doc: Doc) -> Doc:
        found = [
            AdverseEvent(start=m.start(), end=m.end(), text=doc._.original[m.start() : m.end()], event=m.group())
            for m in _EVENTS.finditer(doc._.text)
        ]
        put(doc, "adverse_events", found, [(f.start, f.end, f"adverse_events/{i}") for i, f in enumerate(found)])
        return doc

    return adverse_events


@pytest.fixture
def adverse_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    register(
        FactFamily(
            "adverse_events",
            AdverseEvent,
            "adverse events",
            "#ff99c8",
            ("event", "grade", "start", "end", "text"),
            component="test_adverse_events",
        )
    )
    schema = tmp_path / "article.schema.json"
    schema.write_text(export.render_schema(), encoding="utf-8")  # the schema `stemwire schema` would write
    monkeypatch.setattr(validation, "SCHEMA_PATH", schema)
    validation.clear_validators()
    build_pipeline.cache_clear()
    try:
        yield
    finally:
        unregister("adverse_events")
        validation.clear_validators()
        build_pipeline.cache_clear()


def test_a_registered_family_reaches_every_output(tmp_path: Path, adverse_events: None) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ae.txt").write_text(ARTICLE, encoding="utf-8")
    out = publish([raw / "ae.txt"], tmp_path / "out")

    record = json.loads((out / "records" / "ae.json").read_text(encoding="utf-8"))
    assert [(e["event"], e["text"]) for e in record["adverse_events"]] == [("发热", "发热"), ("头痛", "头痛")]
    assert all(ARTICLE[e["start"] : e["end"]] == e["text"] for e in record["adverse_events"])
    assert record["trials"][0]["registry_id"] == "NCT04631406"  # the built-ins are untouched

    document = json.loads((out / "jsonld" / "ae.jsonld").read_text(encoding="utf-8"))
    assert [n["sw:event"] for n in document["sw:adverse_events"]] == ["发热", "头痛"]
    assert document["sw:adverse_events"][0]["@type"] == "sw:AdverseEvent"

    table = (out / "csv" / "adverse_events.csv").read_text(encoding="utf-8").splitlines()
    assert table[0] == "article_id,index,event,grade,start,end,text"
    assert table[1].startswith("ae,0,发热,,")
    assert "adverse_events_count" in (out / "csv" / "articles.csv").read_text(encoding="utf-8").splitlines()[0]
    metadata = json.loads((out / "csv" / "csv-metadata.json").read_text(encoding="utf-8"))
    described = next(t for t in metadata["tables"] if t["url"] == "adverse_events.csv")
    columns = {c["name"]: c for c in described["tableSchema"]["columns"]}
    assert columns["event"]["dc:description"] == "The adverse event, as the vocabulary names it."
    assert described["tableSchema"]["primaryKey"] == ["article_id", "index"]

    page = (out / "report" / "articles" / "ae.html").read_text(encoding="utf-8")
    assert "<h2>Adverse events</h2>" in page and "<td>头痛</td>" in page
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "<td>adverse events</td><td class=num>2</td>" in index


def test_the_committed_schema_is_back_to_the_built_ins_afterwards() -> None:
    assert export.schema_is_current()
