"""Read an article file into text: plain text, Markdown or HTML, in any common Chinese encoding.

Offsets everywhere count code points of the text this module returns (for HTML and Markdown, the
extracted text, which the record keeps). Anything that is not an article gets an ArticleError that
names the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from stemwire.extractors.errors import ArticleError
from stemwire.extractors.markup import html_page, markdown_to_text
from stemwire.extractors.page_meta import PageMeta

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
ARTICLE_SUFFIXES = tuple(FORMATS)
MAX_BYTES = 5_000_000  # far above any news article; guards against dumps dropped by mistake
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8 (BOM)"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)
# Encodings Chinese articles arrive in; detection chooses among these only, so a short article is not
# read as some unrelated single-byte code page.
_CANDIDATES = ["utf_8", "gb18030", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be"]
_MIN_HAN_SHARE = 0.05
# A page whose head is a long run of ASCII script and style: Han characters are then a small share of
# the whole but most of what is not ASCII (a wrong decoding gives Latin or box-drawing debris instead).
_MIN_HAN_OF_NON_ASCII = 0.5
_MIN_HAN_CHARS = 20
# <meta charset="gb2312"> or content="text/html; charset=big5" near the top of an HTML page
_DECLARED = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]{3,20})", re.I)
_DECLARED_CODECS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
}


@dataclass(frozen=True)
class DecodedArticle:
    path: Path
    text: str
    encoding: str
    sha256: str
    size: int
    format: str = "text"
    # An HTML page's own metadata (title, published/modified dates and where they came from, site name,
    # author, canonical URL, language); None for text and Markdown.
    meta: PageMeta | None = None


def _han_share(text: str) -> float:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) / max(1, len(text))


def _chinese_enough(text: str) -> bool:
    if _han_share(text) >= _MIN_HAN_SHARE:
        return True
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    non_ascii = sum(not ch.isascii() for ch in text)
    return han >= _MIN_HAN_CHARS and han / max(1, non_ascii) >= _MIN_HAN_OF_NON_ASCII


_LONG_ASCII = re.compile(rb"[\x00-\x7f]{256,}")


def _without_long_ascii(data: bytes) -> bytes:
    """The bytes detection should look at: a long ASCII run (a page's scripts and styles) drowns the
    Chinese text in detection (trafilatura #541), so each is cut to its first byte (which may end a
    two-byte character) and a line break."""
    return _LONG_ASCII.sub(lambda m: m.group()[:1] + b"\n", data)


def _declared(data: bytes) -> tuple[str, str] | None:
    """A page's own charset declaration, where the bytes decode under it without error."""
    m = _DECLARED.search(data[:8192])
    codec = _DECLARED_CODECS.get(m.group(1).decode("ascii").lower()) if m else None
    if codec is None:
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def decode_bytes(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a file's bytes."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise ArticleError(path, f"starts with a {name} byte-order mark but is not {name}") from exc
    if b"\x00" in data[:4096]:
        text16 = _utf16_without_bom(data)
        if text16 is None:
            raise ArticleError(path, "file looks binary (NUL bytes), not an article")
        return text16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if (declared := _declared(data)) is not None and _chinese_enough(declared[0]):
        return declared
    best = charset_normalizer.from_bytes(_without_long_ascii(data), cp_isolation=_CANDIDATES).best()
    if best is None:
        raise ArticleError(path, "cannot tell its encoding (tried UTF-8, UTF-16, GB18030 and Big5)")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    if not _chinese_enough(text):
        raise ArticleError(path, f"decodes as {best.encoding} but holds almost no Chinese text")
    return text, best.encoding.replace("_", "-")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: the byte order that decodes to Chinese text with no controls."""
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(ord(ch) < 32 and ch not in "\r\n\t" for ch in text)
        if controls == 0 and _chinese_enough(text):
            return text, codec
    return None


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, read only if it is a regular file within the size limit: a FIFO or device
    put in its place never blocks the read, and a huge file is refused before it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ArticleError(path, f"cannot read file ({exc.strerror or exc})") from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # checked before the descriptor is a file object: a folder is none
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO, socket or device"
        raise ArticleError(path, f"not a regular file ({kind})")
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > max_bytes:
            raise ArticleError(path, f"file is {st.st_size} bytes, over the {max_bytes}-byte limit (--max-bytes)")
        data = fh.read(max_bytes + 1)  # it may have grown since
    if len(data) > max_bytes:
        raise ArticleError(path, f"file is over the {max_bytes}-byte limit (--max-bytes)")
    return data


def decode_article(path: Path, max_bytes: int = MAX_BYTES) -> DecodedArticle:
    data = read_limited(path, max_bytes)
    if not data.strip():
        raise ArticleError(path, "file is empty")
    text, encoding = decode_bytes(path, data)
    return decoded_text(path, text, encoding, data, FORMATS.get(path.suffix.lower(), "text"))


def decoded_text(path: Path, text: str, encoding: str, data: bytes, kind: str = "text") -> DecodedArticle:
    """An article from text already decoded (`data` are the bytes it came from, for the hash)."""
    if (nul := text.find("\x00")) >= 0:  # anywhere, not only in the first 4 KB decode_bytes looks at
        raise ArticleError(path, f"holds a NUL character (at character {nul}), so it is not a text article")
    # Line endings are normalised first so that a CRLF file and its LF twin give the same offsets.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta = None
    if kind == "html":
        text, meta = html_page(text)
    elif kind == "markdown":
        text = markdown_to_text(text)
    if not text.strip():
        raise ArticleError(path, f"no text in the {kind} file")
    return DecodedArticle(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=kind,
        meta=meta,
    )
