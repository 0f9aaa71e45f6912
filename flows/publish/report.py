"""The review report: OUT/report/index.html and one page per article, for curators checking what was
extracted before they trust it.

Pages are self-contained (inline CSS and SVG, no script, no network) and carry a Content Security
Policy that forbids scripts, so article text (untrusted) can never run: every piece of it is escaped.
Spans are highlighted one colour per fact type, with the normalised value shown on hover or keyboard
focus; a checkbox switches between the original script and the converted analysis text.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stemwire.extractors.script import analysis_text
from stemwire.flows.publish.files import write_chunks_atomic, write_text_atomic
from stemwire.flows.state import Manifest

REPORT_DIR = "report"
TYPES = {  # mention type -> (label, colour)
    "cell_type": ("cell type", "#8ecae6"),
    "condition": ("condition", "#ffb4a2"),
    "trial": ("trial", "#b5e48c"),
    "measure": ("measure", "#e0c3fc"),
    "date": ("date", "#ffd166"),
    "duration": ("duration", "#f4a261"),
    "metric": ("metric", "#90e0ef"),
}
FACT_FAMILIES = ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "references")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CL_PAGE = "http://purl.obolibrary.org/obo/"
MAX_CHART_ARTICLES = 60

_CSS = """
*{box-sizing:border-box}body{font:15px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;
padding:1rem;max-width:70rem;margin-inline:auto;color:#1d1d1f}h1{font-size:1.4rem}h2{font-size:1.15rem;
margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}th,td{border-bottom:1px
solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}.scroll{overflow-x:auto}.num{text-align:right}
.legend span{display:inline-block;padding:0 .4rem;margin:.1rem;border-radius:.3rem}.text{white-space:pre-wrap;
word-break:break-word;background:#fafafa;border:1px solid #eee;padding:.8rem;border-radius:.4rem}
mark.hl{position:relative;border-radius:.2rem;padding:0 .05rem;color:inherit}
mark.hl:hover::after,mark.hl:focus::after{content:attr(data-value);position:absolute;left:0;top:1.6em;z-index:2;
background:#222;color:#fff;padding:.2rem .4rem;border-radius:.3rem;font-size:.8rem;white-space:nowrap}
mark.hl:focus{outline:2px solid #222}.warn{background:#fff3cd;border:1px solid #ffe08a;padding:.5rem;
border-radius:.4rem}.fail{color:#a4161a}#converted-toggle:checked~.text.original{display:none}
#converted-toggle:not(:checked)~.text.converted{display:none}nav a{margin-right:1rem}
@media (max-width:600px){body{padding:.5rem;font-size:14px}th,td{padding:.2rem}}
""" + "".join(f"mark.t-{t}{{background:{c}}}.legend .t-{t}{{background:{c}}}" for t, (_, c) in TYPES.items())


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None, label: Any) -> str:
    """A link only to http(s) addresses: an article may carry a javascript: or data: URL."""
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(label)}</a>'
    return _e(label)


def _page_chunks(title: str, body: Iterable[str], depth: int = 0) -> Iterator[str]:
    home = "../" * depth + "index.html"
    yield (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<nav><a href="{home}">stemwire report</a></nav>\n'
    )
    yield from body
    yield "\n</body>\n</html>\n"


def _page(title: str, body: str, depth: int = 0) -> str:
    return "".join(_page_chunks(title, [body], depth))


def _table_chunks(headers: list[str], rows: Iterable[list[str]], numeric: set[int] | None = None) -> Iterator[str]:
    """A table written row by row, so that a long one is never held whole."""
    numeric = numeric or set()
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        yield "<p>None.</p>"
        return
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers))
    yield f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
    for row in itertools.chain([first], rows):
        yield (
            "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        )
    yield "</tbody></table></div>"


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    return "".join(_table_chunks(headers, rows, numeric))


def _fields(items: list[dict[str, Any]], keys: list[str]) -> list[list[str]]:
    """Table rows of the given fields, escaped."""
    return [[_e(item.get(k)) for k in keys] for item in items]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    type: str
    value: str


def _mention_value(mention: dict[str, Any], record: dict[str, Any]) -> str:
    kind, key = mention["type"], mention["key"]
    if kind in ("date", "duration", "metric"):
        family, _, index = key.partition("/")
        fact = record[family][int(index)]
        if kind == "metric":
            parts = [fact.get("qualifier"), fact["value"], fact.get("unit"), fact.get("measure"), fact.get("direction")]
            return " ".join(str(p) for p in parts if p not in (None, ""))
        return str(fact.get("value") or "unresolved")
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


def _mark(span: _Span) -> str:
    label = TYPES.get(span.type, (span.type, ""))[0]
    value = _e(f"{label}: {span.value}")
    return f'<mark class="hl t-{_e(span.type)}" tabindex="0" title="{value}" data-value="{value}">'


def highlight(text: str, spans: list[_Span], marks: dict[_Span, str] | None = None) -> str:
    """The text with each span in a <mark>; spans may nest, and one that would cross another's end
    is cut there, so every span gets exactly one <mark> and every character is shown once.
    `marks`: each span's opening tag, when the caller already built them (two views share them)."""
    out: list[str] = []
    pos = 0
    open_ends: list[int] = []
    # Most articles hold no character HTML escapes; then their pieces are copied as they are.
    esc = _e if _HTML_SPECIAL.search(text) else str

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
        out.append(marks[span] if marks is not None else _mark(span))
        open_ends.append(end)
    close_to(len(text))
    out.append(esc(text[pos:]))
    return "".join(out)


def _warnings(record: dict[str, Any]) -> list[str]:
    notes = [f"date “{d['text']}” could not be resolved" for d in record.get("unresolved_dates", [])]
    notes += [f"metric “{m['text']}” names no measure" for m in record["metrics"] if not m.get("measure")]
    notes += [
        f"trial {t['registry_id']}: {' and '.join(k for k in ('phase', 'enrollment') if t[k] is None)} not found"
        for t in record["trials"]
        if t["phase"] is None or t["enrollment"] is None
    ]
    return notes


def article_page(record: dict[str, Any]) -> str:
    text = record["text"]
    spans = [_Span(m["start"], m["end"], m["type"], _mention_value(m, record)) for m in record["mentions"]]
    converted = analysis_text(text)
    marks = {span: _mark(span) for span in spans}
    legend = "".join(f'<span class="t-{t}">{_e(label)}</span>' for t, (label, _) in TYPES.items())
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
        f'<div class="text original" lang="{_e(record["source"]["language"])}">{highlight(text, spans, marks)}</div>',
        f'<div class="text converted" lang="zh-Hans">{highlight(converted, spans, marks)}</div>',
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
            ["text", "value", "unit", "measure", "direction", "qualifier", "study"],
            _fields(record["metrics"], ["text", "value", "unit", "measure", "direction", "qualifier", "study"]),
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


def _bar_chart(rows: list[tuple[str, Counter[str]]], keys: list[str], colours: dict[str, str], title: str) -> str:
    """A horizontal stacked bar per row, drawn as inline SVG."""
    width, label_w, bar_h = 640, 190, 18
    biggest = max((sum(c.values()) for _, c in rows), default=1) or 1
    height = bar_h * len(rows) + 30
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{_e(title)}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="11">'
    ]
    for i, (label, counts) in enumerate(rows):
        y = 20 + i * bar_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{_e(label[:32])}</text>')
        x = float(label_w)
        for key in keys:
            w = (width - label_w - 40) * counts.get(key, 0) / biggest
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" fill="{colours[key]}">'
                    f"<title>{_e(label)}: {_e(key)} {counts[key]}</title></rect>"
                )
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


_FAMILY_COLOURS = dict(
    zip(FACT_FAMILIES, ["#8ecae6", "#ffb4a2", "#b5e48c", "#ffd166", "#f4a261", "#90e0ef", "#cdb4db"], strict=True)
)


def index_chunks(manifest: Manifest) -> Iterator[str]:
    """The index page, piece by piece: the article table has a row per published article, and the
    folder may hold tens of thousands."""
    published = manifest.published()
    totals: Counter[str] = Counter()
    for entry in published:
        totals.update(entry.fact_counts)
    failed = sorted((e for e in manifest.entries.values() if e.status == "failed"), key=lambda e: e.name)
    withdrawn = sum(e.status == "withdrawn" for e in manifest.entries.values())
    duplicates = {e.article_id: e.duplicate_of for e in published if e.duplicate_of}
    summary = _table(
        ["", "count"],
        [
            ["articles published", str(len(published))],
            ["articles that failed", str(len(failed))],
            ["articles withdrawn (source deleted)", str(withdrawn)],
            ["duplicates (linked, counted once)", str(len(duplicates))],
            *[[_e(k.replace("_", " ")), str(totals.get(k, 0))] for k in FACT_FAMILIES],
        ],
        numeric={1},
    )
    legend = "".join(
        f'<span style="background:{c}">{_e(k.replace("_", " "))}</span>' for k, c in _FAMILY_COLOURS.items()
    )
    per_type = _bar_chart(
        [(k.replace("_", " "), Counter({k: totals.get(k, 0)})) for k in FACT_FAMILIES],
        list(FACT_FAMILIES),
        _FAMILY_COLOURS,
        "facts per type",
    )
    per_article = _bar_chart(
        [(e.article_id, Counter(e.fact_counts)) for e in published[:MAX_CHART_ARTICLES]],
        list(FACT_FAMILIES),
        _FAMILY_COLOURS,
        "facts per article",
    )
    article_rows = (
        [
            f'<a href="articles/{_e(e.article_id)}.html">{_e(e.article_id)}</a>'
            + (f" (repeats {_e(duplicates[e.article_id])})" if e.article_id in duplicates else ""),
            _e(e.title),
            *[str(e.fact_counts.get(k, 0)) for k in FACT_FAMILIES],
        ]
        for e in published
    )
    more = f"<p>First {MAX_CHART_ARTICLES} articles shown in the chart; all are listed below.</p>"
    head = [
        "<h1>stemwire: what was extracted</h1>",
        summary,
        "<h2>Facts per type</h2>",
        f'<p class="legend">{legend}</p>',
        per_type,
        "<h2>Facts per article</h2>",
        per_article,
        more if len(published) > MAX_CHART_ARTICLES else "",
        "<h2>Articles</h2>",
    ]
    failures = _table(["file", "reason"], [[_e(e.path), f'<span class="fail">{_e(e.reason)}</span>'] for e in failed])
    body = itertools.chain(
        ["\n".join(head), "\n"],
        _table_chunks(
            ["article", "title", *[k.replace("_", " ") for k in FACT_FAMILIES]], article_rows, set(range(2, 9))
        ),
        ["\n<h2>Failures</h2>\n", failures],
    )
    return _page_chunks("stemwire report", body)


def page_path(out_dir: Path, article_id: str) -> Path:
    return out_dir / REPORT_DIR / "articles" / f"{article_id}.html"


def write_report(out_dir: Path, manifest: Manifest, changed: set[str] | None = None) -> Path:
    """Write the index and the pages of the articles in `changed` (article ids; every article when
    None, and any whose page is missing); pages of articles no longer published are removed."""
    folder = out_dir / REPORT_DIR
    published = manifest.published()
    for entry in published:
        page = page_path(out_dir, entry.article_id)
        if changed is None or entry.article_id in changed or not page.exists():
            record = json.loads((out_dir / "records" / f"{entry.article_id}.json").read_text(encoding="utf-8"))
            write_text_atomic(page, article_page(record), durable=False)
            if not entry.fact_counts:  # a manifest from before counts were kept
                entry.fact_counts = {k: len(record[k]) for k in FACT_FAMILIES}
    kept = {f"{e.article_id}.html" for e in published}
    for page in (folder / "articles").glob("*.html"):
        if page.name not in kept:
            page.unlink()
    write_chunks_atomic(folder / "index.html", index_chunks(manifest))
    return folder / "index.html"
