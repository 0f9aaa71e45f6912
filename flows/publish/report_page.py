"""The review page of one article (OUT/report/articles/<id>.html), for curators checking what was
extracted before they trust it: every mention highlighted, one colour per fact type, its normalised
value on hover or keyboard focus; a checkbox switches to the converted analysis text; a table per
fact family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from stemwire.flows.publish.html import escape as _e
from stemwire.flows.publish.html import fields as _fields
from stemwire.flows.publish.html import link as _link
from stemwire.flows.publish.html import page as _page
from stemwire.flows.publish.html import table as _table
from stemwire.schemas.families import BUILT_IN_NAMES, FactFamily, families, mention_colours
from stemwire.schemas.families import columns as family_columns

CL_PAGE = "http://purl.obolibrary.org/obo/"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    type: str
    value: str


def _mention_value(mention: dict[str, Any], record: dict[str, Any]) -> str:
    kind, key = mention["type"], mention["key"]
    family, _, index = key.partition("/")
    if index.isdigit() and isinstance(record.get(family), list):  # a fact by its position: "metrics/3"
        fact = record[family][int(index)]
        if kind == "metric":
            parts = [fact.get("qualifier"), fact["value"], fact.get("unit"), fact.get("measure"), fact.get("direction")]
            return " ".join(str(p) for p in parts if p not in (None, ""))
        return str(fact.get("value") or ("unresolved" if kind == "date" else fact.get("text", key)))
    if kind == "cell_type":
        cell = next((c for c in record["cell_types"] if c["key"] == key), None)
        return f"{cell['name']} ({cell['cl_id'] or 'no CL id'})" if cell else key
    if kind == "condition":
        cond = next((c for c in record["conditions"] if c["key"] == key), None)
        return f"{cond['name']} ({cond['icd10'] or 'no ICD-10'})" if cond else key
    if kind == "trial":
        trial = next((t for t in record["trials"] if t["registry_id"] == key), None)
        if trial:
            return f"{trial['registry']}: {key}, phase {trial['phase'] or '?'}, n={trial['enrollment'] or '?'}"
    return key


_HTML_SPECIAL = re.compile("[&<>\"']")


def _mark_tag(kind: str, value: str, colours: dict[str, tuple[str, str]]) -> str:
    label = colours.get(kind, (kind, ""))[0]
    shown = _e(f"{label}: {value}")
    return f'<mark class="hl t-{_e(kind)}" tabindex="0" title="{shown}" data-value="{shown}">'


def _mark(span: _Span) -> str:
    return _mark_tag(span.type, span.value, mention_colours())


def _by_position(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(start, end, opening tag) in the order highlighting opens them: by start, the longer first
    (two stable sorts: by end descending, then by start; equal spans keep their order)."""
    found = sorted(spans, key=itemgetter(1), reverse=True)
    found.sort(key=itemgetter(0))
    return found


def highlight(text: str, spans: list[_Span], marks: dict[_Span, str] | None = None) -> str:
    """The text with each span in a <mark>; spans may nest, and one that would cross another's end
    is cut there, so every span gets exactly one <mark> and every character is shown once.
    `marks`: each span's opening tag, when the caller already built them."""
    tags = marks if marks is not None else {span: _mark(span) for span in spans}
    return _highlight(text, _by_position([(s.start, s.end, tags[s]) for s in spans]))


def _highlight(text: str, ordered: list[tuple[int, int, str]]) -> str:
    """highlight, given the spans already in order (_by_position) with their tags."""
    return _render(text, *_plan(ordered, len(text)))


def _plan(ordered: list[tuple[int, int, str]], limit: int) -> tuple[list[tuple[int, int]], list[str]]:
    """Where the text is cut and what goes between: the output is piece 0, tag 0, piece 1, ..., the
    last piece, each piece a (start, end) range of the text and each tag an opening <mark> or
    </mark>. It depends on the spans and the text's length only, so a text and its converted twin
    (same length) share it."""
    pieces: list[tuple[int, int]] = []
    tags: list[str] = []
    pos = 0
    open_ends: list[int] = []
    for span_start, span_end, tag in ordered:
        while open_ends and open_ends[-1] <= span_start:  # close what ends before this one starts
            end = open_ends.pop()
            pieces.append((pos, end))
            tags.append("</mark>")
            pos = end
        start = max(span_start, pos)
        end = min(span_end, open_ends[-1]) if open_ends else span_end
        pieces.append((pos, start))
        tags.append(tag)
        pos = start
        open_ends.append(max(end, start))
    while open_ends and open_ends[-1] <= limit:
        end = open_ends.pop()
        pieces.append((pos, end))
        tags.append("</mark>")
        pos = end
    pieces.append((pos, limit))
    return pieces, tags


def _render(text: str, pieces: list[tuple[int, int]], tags: list[str]) -> str:
    cut = [text[a:b] for a, b in pieces]
    if _HTML_SPECIAL.search(text):  # most articles hold no character HTML escapes: pieces stay as cut
        cut = list(map(_e, cut))
    out = cut + tags
    out[0::2], out[1::2] = cut, tags  # piece, tag, piece, ..., piece
    return "".join(out)


def _spans(record: dict[str, Any], colours: dict[str, tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Every mention as (start, end, opening tag), in highlighting order; a tag is built once for all
    the mentions of one fact (its text depends on the mention's type and key only)."""
    tags: dict[tuple[str, str], str] = {}
    found = []
    for m in record["mentions"]:
        which = (m["type"], m["key"])
        tag = tags.get(which)
        if tag is None:
            tag = tags[which] = _mark_tag(m["type"], _mention_value(m, record), colours)
        found.append((m["start"], m["end"], tag))
    return _by_position(found)


def _warnings(record: dict[str, Any]) -> list[str]:
    notes = [f"date “{d['text']}” could not be resolved" for d in record.get("unresolved_dates", [])]
    notes += [f"metric “{m['text']}” names no measure" for m in record["metrics"] if not m.get("measure")]
    notes += [
        f"trial {t['registry_id']}: {' and '.join(k for k in ('phase', 'enrollment') if t[k] is None)} not found"
        for t in record["trials"]
        if t["phase"] is None or t["enrollment"] is None
    ]
    return notes


def article_page(record: dict[str, Any], converted: str) -> str:
    """The page of one record; `converted` is its text in the analysis script (same length)."""
    text = record["text"]
    colours = mention_colours()
    spans = _spans(record, colours)
    plan = _plan(spans, len(text))
    converted_text = _render(converted, *(plan if len(converted) == len(text) else _plan(spans, len(converted))))
    legend = "".join(f'<span class="t-{t}">{_e(label)}</span>' for t, (label, _) in colours.items())
    warnings = _warnings(record)
    parts = [
        f"<h1>{_e(record.get('title') or record['id'])}</h1>",
        f"<p>{_e(record['source']['path'])} · {_e(record['source']['language'])} ({_e(record['source']['script'])}) · "
        f"{_e(record['source']['encoding'])} · published {_e(record.get('date_published') or 'unknown')} · "
        f"{len(record['mentions'])} spans</p>",
        '<div class="warn"><strong>Check:</strong><ul>' + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul></div>"
        if warnings
        else "",
        f'<p class="legend">{legend}</p>',
        '<input type="checkbox" id="converted-toggle"> <label for="converted-toggle">show the converted '
        "(Simplified analysis) text</label>",
        f'<div class="text original" lang="{_e(record["source"]["language"])}">{_render(text, *plan)}</div>',
        f'<div class="text converted" lang="zh-Hans">{converted_text}</div>',
        "<h2>Trials</h2>",
        _table(
            ["registry id", "phase", "enrollment", "conditions", "interventions", "follow-up", "study"],
            [
                [
                    _link(t["url"], t["registry_id"]),
                    _e(t["phase"]),
                    _e(t["enrollment"]),
                    _e(", ".join(t["conditions"])),
                    _e(", ".join(t["interventions"])),
                    _e(t["follow_up"]),
                    _e(t["study"]),
                ]
                for t in record["trials"]
            ],
        ),
        "<h2>Metrics</h2>",
        _table(
            ["text", "value", "unit", "measure", "direction", "qualifier", "arm", "time point", "study"],
            _fields(
                record["metrics"],
                ["text", "value", "unit", "measure", "direction", "qualifier", "arm", "time_point", "study"],
            ),
            numeric={1},
        ),
        "<h2>Dates</h2>",
        _table(
            ["text", "value", "precision", "role"],
            _fields(
                record["dates"] + [{**d, "value": "unresolved"} for d in record.get("unresolved_dates", [])],
                ["text", "value", "precision", "role"],
            ),
        ),
        "<h2>Durations</h2>",
        _table(
            ["text", "value", "kind", "qualifier", "study"],
            _fields(record["durations"], ["text", "value", "kind", "qualifier", "study"]),
        ),
        "<h2>Cell types</h2>",
        _table(
            ["name", "Cell Ontology", "中文", "mentions"],
            [
                [
                    _e(c["name"]),
                    _link(CL_PAGE + c["cl_id"].replace(":", "_"), c["cl_id"]) if c["cl_id"] else "none in CL",
                    _e(f"{c['name_zh_hans']} / {c['name_zh_hant']}"),
                    _e(c["mention_count"]),
                ]
                for c in record["cell_types"]
            ],
            numeric={3},
        ),
        "<h2>Conditions</h2>",
        _table(
            ["name", "ICD-10", "as written", "mentions"],
            _fields(record["conditions"], ["name", "icd10", "name_zh", "mention_count"]),
            numeric={3},
        ),
        *[part for f in families() if f.name not in BUILT_IN_NAMES for part in _family_table(f, record)],
        "<h2>References</h2>",
        _table(
            ["#", "DOI", "PMID", "PMCID", "entry"],
            [
                [
                    _e(r["number"]),
                    _link(f"https://doi.org/{r['doi']}", r["doi"]) if r.get("doi") else "",
                    _link(f"https://pubmed.ncbi.nlm.nih.gov/{r['pmid']}/", r["pmid"]) if r.get("pmid") else "",
                    _e(r.get("pmcid")),
                    _e(r["text"]),
                ]
                for r in record["references"]
            ],
        ),
    ]
    return _page(record.get("title") or record["id"], "\n".join(p for p in parts if p), depth=1)


def _family_table(family: FactFamily, record: dict[str, Any]) -> list[str]:
    """The heading and table of a family that has no table of its own here: its CSV columns."""
    names = [c.name for c in family_columns(family)]
    return [f"<h2>{_e(family.label.capitalize())}</h2>", _table(names, _fields(record.get(family.name, []), names))]
