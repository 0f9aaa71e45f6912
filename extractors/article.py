"""One article file in, one record out: decode, convert script, run the pipeline, assemble facts."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from stemwire.extractors.cells import cell_entries
from stemwire.extractors.decode import MAX_BYTES, DecodedArticle, decode_article
from stemwire.extractors.pipeline import run_pipeline
from stemwire.extractors.script import to_analysis_text
from stemwire.extractors.studies import find_studies
from stemwire.extractors.trial_links import link_trials
from stemwire.schemas.models import Mention, Record, Source

_TITLE_CHARS = 200


def article_id(path: Path) -> str:
    """Stable id from the file name, so a re-run or a corrected article keeps its id."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return slug or "article-" + hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:12]


def extract_record(path: Path, record_id: str | None = None, max_bytes: int = MAX_BYTES) -> Record:
    return build_record(decode_article(path, max_bytes), record_id)


def build_record(article: DecodedArticle, record_id: str | None = None, published: dt.date | None = None) -> Record:
    """The record of a decoded article; `published`, when known, is its publication date (relative
    dates resolve against it, and it is the record's date_published)."""
    analysis = to_analysis_text(article.text)
    facts = run_pipeline(analysis, published)
    layout = facts["layout"]
    original = analysis.original

    trial_hits = facts["trial_mentions"]
    title_line = next((line for line in layout.lines if line.kind == "title"), None)
    title = original[title_line.start : title_line.end].strip()[:_TITLE_CHARS] if title_line else None
    positions = [f.start for f in facts["metrics"] + facts["durations"]]
    study_map = find_studies(original, analysis.text, layout, trial_hits, facts["references"], positions, title)
    trial_study = {s.trial_ids[0]: s.id for s in study_map.studies if s.trial_ids}
    for trial in facts["trials"]:
        trial.study = trial_study.get(trial.registry_id)
    for fact in facts["metrics"] + facts["durations"]:
        fact.study = study_map.study_for(fact.start, layout, trial_hits)
    link_trials(
        analysis.text,
        layout,
        facts["trials"],
        trial_hits,
        facts["condition_mentions"],
        facts["cell_mentions"],
        facts["durations"],
    )

    generic = {key for key, entry in cell_entries().items() if entry.generic}
    mentions = [  # generic words (细胞, 干细胞) only shadow shorter names; they are not mentions
        Mention(type="cell_type", key=h.key, start=h.start, end=h.end, text=original[h.start : h.end])
        for h in facts["cell_mentions"]
        if h.key not in generic
    ]
    mentions += [
        Mention(type="condition", key=h.key, start=h.start, end=h.end, text=original[h.start : h.end])
        for h in facts["condition_mentions"]
    ]
    mentions += [
        Mention(type="trial", key=h.registry_id, start=h.start, end=h.end, text=original[h.start : h.end])
        for h in trial_hits
    ]
    mentions += [
        Mention(type="measure", key=h.entry.key, start=h.start, end=h.end, text=original[h.start : h.end])
        for h in facts["measures"]
    ]
    dates = [d for d in facts["dates"] if d.value is not None]
    unresolved = [d for d in facts["dates"] if d.value is None]
    facts["dates"], facts["unresolved_dates"] = dates, unresolved
    families = (("dates", "date"), ("unresolved_dates", "date"), ("durations", "duration"), ("metrics", "metric"))
    for family, kind in families:
        mentions += [
            Mention(type=kind, key=f"{family}/{i}", start=f.start, end=f.end, text=f.text)  # type: ignore[arg-type]
            for i, f in enumerate(facts[family])
        ]
    mentions.sort(key=lambda m: (m.start, m.end, m.type))

    dateline = published or facts["dateline"]
    profile = analysis.profile
    return Record(
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
            normalised_sha256=hashlib.sha256(re.sub(r"\s+", "", analysis.text).encode("utf-8")).hexdigest(),
        ),
        title=title or None,
        text=original,
        date_published=dateline.isoformat() if dateline else None,
        cell_types=facts["cell_types"],
        conditions=facts["conditions"],
        trials=facts["trials"],
        dates=facts["dates"],
        unresolved_dates=facts["unresolved_dates"],
        durations=facts["durations"],
        metrics=facts["metrics"],
        references=facts["references"],
        studies=study_map.studies,
        mentions=mentions,
    )
