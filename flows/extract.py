"""`stemwire extract`: records for articles given on the command line, through the public API, one JSON
record per line on standard output; nothing is written to disk and Prefect is not started.

Sources: article files (.txt, .md, .html), printed in the order given; standard input (one article's
text); or JSON Lines files (one article per line: {"id": ..., "text": ..., "published": "YYYY-MM-DD"?,
"format": "text"|"markdown"|"html"?}). One bad article never stops the others: it is reported on
standard error with its file (and line) and reason, and the command's exit status is 1.
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


def _reason(exc: Exception) -> str:
    """The reason alone: the line already names the file (or line) it is about."""
    if isinstance(exc, ArticleError):
        return exc.reason
    if isinstance(exc, InvalidRecord):
        return str(exc).removeprefix(f"{exc.source}: ")
    if isinstance(exc, OSError):
        return f"cannot read file ({exc.strerror or exc})"
    return str(exc)


def _one(where: str, make: Any, pretty: bool) -> Result:
    try:
        return Result(where, line=_dump(make(), pretty))
    except (ArticleError, InvalidRecord, ValueError, OSError) as exc:
        return Result(where, error=_reason(exc))


def usage_error(sources: list[str], jsonl: bool, published: str | None, pretty: bool) -> str | None:
    """What is wrong with this combination of sources and options, if anything."""
    if "-" in sources and len(sources) > 1:
        return "- (standard input) is read alone: give it as the only SOURCE"
    if jsonl and (published or pretty):
        return "--published and --pretty are for a single article; JSON Lines carry their own"
    if len(sources) > 1 and (published or pretty):
        return "--published and --pretty are for a single article; with several files each has its own dateline"
    return None


def from_file(path: Path, published: str | None, pretty: bool = False) -> Result:
    return _one(str(path), lambda: extract_file(path, published=published), pretty)


def from_files(sources: Iterable[str], published: str | None = None, pretty: bool = False) -> Iterator[Result]:
    """A record per article file, in the order given (one at a time: each is printed as it is done)."""
    for source in sources:
        yield from_file(Path(source), published, pretty)


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


def _decoded(line_no: int, line: bytes | str) -> str:
    if isinstance(line, str):
        return line
    try:  # a byte-order mark may open the file
        return line.decode("utf-8-sig" if line_no == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start + 1} of the line)") from None


def from_json_lines(lines: Iterable[bytes | str], name: str) -> Iterator[Result]:
    """A record per article line (blank lines are skipped); ids default to the line number. Lines are
    decoded one by one, so a line that is not UTF-8 fails alone."""
    for line_no, raw_line in enumerate(lines, start=1):
        where = f"{name}:{line_no}"
        try:
            line = _decoded(line_no, raw_line)
            if not line.strip():
                continue
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


def from_json_line_files(sources: Iterable[str]) -> Iterator[Result]:
    """The records of each JSON Lines file in turn; a file that cannot be opened is one failure."""
    for source in sources:
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed below, after streaming
        except OSError as exc:
            yield Result(source, error=f"cannot read file ({exc.strerror or exc})")
            continue
        with handle:
            try:
                yield from from_json_lines(handle, source)
            except OSError as exc:  # a read that fails part-way (a disk error): the lines before it stand
                yield Result(source, error=f"cannot read file ({exc.strerror or exc})")


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
