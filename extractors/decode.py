"""Read an article file into text, with a clear error for anything that is not UTF-8 text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import ArticleError

ARTICLE_SUFFIXES = (".txt",)
MAX_BYTES = 5_000_000  # far above any news article; guards against dumps dropped by mistake


@dataclass(frozen=True)
class DecodedArticle:
    path: Path
    text: str
    encoding: str
    sha256: str
    size: int


def decode_article(path: Path) -> DecodedArticle:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ArticleError(path, "file is empty")
    if len(data) > MAX_BYTES:
        raise ArticleError(path, f"file is {len(data)} bytes, over the {MAX_BYTES}-byte limit")
    if b"\x00" in data[:4096]:
        raise ArticleError(path, "file looks binary (NUL bytes), not an article")
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArticleError(path, f"not valid UTF-8 at byte {exc.start}") from exc
    # Offsets are code points into this exact string; line endings are normalised first so
    # that a CRLF file and its LF twin give the same offsets.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedArticle(
        path=path,
        text=text,
        encoding="utf-8" if encoding == "utf-8" else "utf-8 (BOM)",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
