"""One article in, one record out: decode, convert script, run the pipeline, and build the record
from the span groups the components filled, in one loop over the registry of fact families."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from pathlib import Path

from stemwire.extractors.components import facts, mentions
from stemwire.extractors.decode import MAX_BYTES, DecodedArticle, decode_article
from stemwire.extractors.page_info import page_info
from stemwire.extractors.pipeline import run_pipeline
from stemwire.extractors.script import AnalysisText, to_analysis_text
from stemwire.schemas.families import EXTRA_MENTIONS, families, record_model
from stemwire.schemas.ids import article_id
from stemwire.schemas.models import Mention, Record, Source


def extract_record(path: Path, record_id: str | None = None, max_bytes: int = MAX_BYTES) -> Record:
    return build_record(decode_article(path, max_bytes), record_id)


def extract_article(path: Path, record_id: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[Record, str]:
    """The record of an article file, and its text in the analysis script (what the report shows
    beside the original), so that the text is converted once."""
    article = decode_article(path, max_bytes)
    analysis = to_analysis_text(article.text)
    return build_record(article, record_id, analysis=analysis), analysis.text


def build_record(
    article: DecodedArticle,
    record_id: str | None = None,
    published: dt.date | None = None,
    analysis: AnalysisText | None = None,
) -> Record:
    """The record of a decoded article; `published`, when known, is its publication date (relative
    dates resolve against it, and it is the record's date_published). `analysis`: the article's text
    already converted, when the caller has it."""
    analysis = analysis or to_analysis_text(article.text)
    caller = published is not None
    if published is None and article.meta is not None and article.meta.published:
        with contextlib.suppress(ValueError):  # a date no calendar has (2022-02-30) dates nothing
            published = dt.date.fromisoformat(article.meta.published)  # the page's metadata wins over body dates
    doc = run_pipeline(analysis, published)
    original = analysis.original

    groups = {f.name: f.mention_type for f in families() if f.mention_type} | EXTRA_MENTIONS
    found = [
        Mention(type=kind, key=key, start=start, end=end, text=original[start:end])  # type: ignore[arg-type]
        for group, kind in groups.items()
        for start, end, key in mentions(doc, group)
    ]
    found.sort(key=lambda m: (m.start, m.end, m.type))

    dateline = published or doc._.dateline
    date_published = dateline.isoformat() if dateline else None
    dates = facts(doc, "dates")
    page = page_info(article.meta, doc._.title, date_published, caller, dates, original, analysis.text, doc._.layout)
    profile = analysis.profile
    return record_model()(
        id=record_id or article_id(article.path),
        source=Source(
            path=str(article.path),
            sha256=article.sha256,
            encoding=article.encoding,
            format=article.format,  # type: ignore[arg-type]
            bytes=article.size,
            chars=len(original),
            script=profile.script,
            language=profile.language,  # type: ignore[arg-type]
            traditional_chars=profile.traditional_chars,
            simplified_chars=profile.simplified_chars,
            # str.split() drops what re's \s matches (both Py_UNICODE_ISSPACE) at a fifth of re.sub's cost
            normalised_sha256=hashlib.sha256("".join(analysis.text.split()).encode("utf-8")).hexdigest(),
        ),
        title=doc._.title,
        text=original,
        date_published=date_published,
        page=page,
        unresolved_dates=facts(doc, "unresolved_dates"),
        studies=facts(doc, "studies"),
        mentions=found,
        **{f.name: facts(doc, f.name) for f in families()},
    )
