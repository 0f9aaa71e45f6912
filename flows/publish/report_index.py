"""The review report's index (OUT/report/index.html): totals, charts per fact type and per article,
every published article and every failure. Written piece by piece from what it is handed (one row per
article), since a folder may hold tens of thousands.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stemwire.flows.publish.html import escape as _e
from stemwire.flows.publish.html import page_chunks as _page_chunks
from stemwire.flows.publish.html import table as _table
from stemwire.flows.publish.html import table_chunks as _table_chunks
from stemwire.schemas.families import families

MAX_CHART_ARTICLES = 60


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


@dataclass(frozen=True)
class Listed:
    """One published article, as the index lists it."""

    article_id: str
    title: str
    fact_counts: dict[str, int] = field(default_factory=dict)
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Failed:
    path: str
    reason: str


def index_chunks(published: list[Listed], failed: Iterable[Failed], withdrawn: int) -> Iterator[str]:
    """The index page, piece by piece: the article table has a row per published article (in the
    order given), and the folder may hold tens of thousands."""
    kinds = families()
    colours = {f.name: f.colour for f in kinds}
    totals: Counter[str] = Counter()
    for entry in published:
        totals.update(entry.fact_counts)
    failed = list(failed)
    duplicates = {e.article_id: e.duplicate_of for e in published if e.duplicate_of}
    summary = _table(
        ["", "count"],
        [
            ["articles published", str(len(published))],
            ["articles that failed", str(len(failed))],
            ["articles withdrawn (source deleted)", str(withdrawn)],
            ["duplicates (linked, counted once)", str(len(duplicates))],
            *[[_e(f.label), str(totals.get(f.name, 0))] for f in kinds],
        ],
        numeric={1},
    )
    legend = "".join(f'<span style="background:{f.colour}">{_e(f.label)}</span>' for f in kinds)
    per_type = _bar_chart(
        [(f.label, Counter({f.name: totals.get(f.name, 0)})) for f in kinds], list(colours), colours, "facts per type"
    )
    per_article = _bar_chart(
        [(e.article_id, Counter(e.fact_counts)) for e in published[:MAX_CHART_ARTICLES]],
        list(colours),
        colours,
        "facts per article",
    )
    article_rows = (
        [
            f'<a href="articles/{_e(e.article_id)}.html">{_e(e.article_id)}</a>'
            + (f" (repeats {_e(duplicates[e.article_id])})" if e.article_id in duplicates else ""),
            _e(e.title),
            *[str(e.fact_counts.get(f.name, 0)) for f in kinds],
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
    counts = set(range(2, 2 + len(kinds)))  # the columns after article and title
    body = itertools.chain(
        ["\n".join(head), "\n"],
        _table_chunks(["article", "title", *[f.label for f in kinds]], article_rows, counts),
        ["\n<h2>Failures</h2>\n", failures],
    )
    return _page_chunks("stemwire report", body)
