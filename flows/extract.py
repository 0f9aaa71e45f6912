"""`stemwire extract`: records for articles given on the command line, through the public API, one JSON
record per line on standard output; nothing is written to disk and Prefect is not started.

Sources: an article file (.txt, .md, .html), standard input (one article's text), or JSON Lines (one
article per line: {"id": ..., "text": ..., "published": "YYYY-MM-DD"?, "format": "text"|"markdown"|"html"?}).
One bad article never stops the others: it is reported on standard error with its line and reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stemwire.api import InvalidRecord, extract_file, extract_text
from stemwire.extractors.errors import ArticleError
from stemwire.schemas.ids import article_id

FORMATS = ("text", "markdown", "html")


@dataclass
class Result:
    """One article's record as a JSON line, or why there is none (`where`: the file or line)."""

    where: str
    line: str | None = None
    error: str | None = None


def _dump(record: Any, pretty: bool) -> str:
    data = record.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, separators=None if pretty else (",", ":"))


def _one(where: str, make: Any, pretty: bool) -> Result:
    try:
        return Result(where, line=_dump(make(), pretty))
    except (ArticleError, InvalidRecord, ValueError) as exc:
        return Result(where, error=str(exc))


def from_file(path: Path, published: str | None, pretty: bool = False) -> Result:
    return _one(str(path), lambda: extract_file(path, published=published), pretty)


def from_text(text: str, published: str | None, kind: str = "text", pretty: bool = False) -> Result:
    return _one("<stdin>", lambda: extract_text(text, published=published, source_name="stdin", kind=kind), pretty)


def _article(line_no: int, line: str) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError('each line must be an object with a "text" string')
    if item.get("format", "text") not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return item


def from_json_lines(lines: Iterable[str], name: str) -> Iterator[Result]:
    """A record per article line (blank lines are skipped); ids default to the line number."""
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{line_no}"
        try:
            item = _article(line_no, line)
        except ValueError as exc:
            yield Result(where, error=str(exc))
            continue
        ident = str(item.get("id") or f"line-{line_no}")
        yield _one(
            where,
            lambda item=item, ident=ident: extract_text(
                item["text"],
                published=item.get("published"),
                source_name=ident,
                record_id=article_id(ident.replace("/", "-")),
                kind=item.get("format", "text"),
            ),
            False,
        )


def write(results: Iterable[Result], out: IO[str], err: IO[str]) -> int:
    """Each record on `out`, each failure on `err`; the number of failures."""
    failures = 0
    for result in results:
        if result.line is not None:
            out.write(result.line + "\n")
            out.flush()
        else:
            failures += 1
            err.write(f"error: {result.where}: {result.error}\n")
    return failures
