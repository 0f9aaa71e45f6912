"""The public API: one text or file in, one validated record out (stable for 1.x)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stemwire.extractors.article import build_record
from stemwire.extractors.decode import MAX_BYTES, decode_article, decoded_text
from stemwire.schemas.ids import article_id
from stemwire.schemas.models import Record
from stemwire.schemas.validation import record_errors

DEFAULT_SOURCE = "text"


class InvalidRecord(ValueError):
    """The record built from an input does not match the committed JSON Schema (a bug: report it)."""

    def __init__(self, source: str, errors: list[str]) -> None:
        super().__init__(f"{source}: record does not match the schema: " + "; ".join(errors[:5]))
        self.source = source
        self.errors = errors


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"published date {value!r} is not an ISO 8601 calendar date (YYYY-MM-DD)") from exc


def _validated(record: Record) -> Record:
    errors = record_errors(record.model_dump(mode="json"))
    if errors:
        raise InvalidRecord(record.source.path, errors)
    return record


def extract_text(
    text: str,
    *,
    published: dt.date | str | None = None,
    source_name: str | None = None,
    record_id: str | None = None,
    kind: str = "text",
) -> Record:
    """The validated record of one article given as text.

    published: the article's publication date (a date or "YYYY-MM-DD"); relative dates (去年, 上周五)
        resolve against it, and it becomes the record's date_published. Without it the article's own
        dateline is used, where it prints one.
    source_name: what the record names as its source (a file name, a URL, a wire id); default "text".
    record_id: the record's id; default derived from source_name.
    kind: "text", "markdown" or "html": how to read `text`.
    Raises ArticleError when the text holds nothing to read, InvalidRecord if the schema rejects the record.
    """
    name = source_name or DEFAULT_SOURCE
    data = text.encode("utf-8")
    article = decoded_text(Path(name), text, "utf-8", data, kind)
    return _validated(build_record(article, record_id or article_id(Path(name)), _date(published)))


def extract_file(
    path: Path | str,
    *,
    published: dt.date | str | None = None,
    record_id: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Record:
    """The validated record of one article file (.txt, .md, .html in any common Chinese encoding)."""
    article = decode_article(Path(path), max_bytes)
    return _validated(build_record(article, record_id, _date(published)))
