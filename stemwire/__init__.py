"""stemwire: validated structured facts from Chinese stem-cell and regenerative-medicine news.

The public API, stable for every 1.x release (see the README, "Python API"):

    from stemwire import extract_text, extract_file, InvalidRecord, ArticleError

    record = extract_text("……2025年2月17日……", published="2025-03-01", source_name="wire-123")
    record.trials[0].registry_id

Both functions return a `stemwire.schemas.models.Record` that the committed JSON Schema accepts, or
raise `ArticleError` (the input is not an article) or `InvalidRecord` (a record the schema rejects:
a bug, never published). The installed packages `stemwire.extractors`, `stemwire.flows` and
`stemwire.schemas` are the project's own folders; their other names may change between releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["ArticleError", "InvalidRecord", "__version__", "extract_file", "extract_text"]

if TYPE_CHECKING:  # the names below import spaCy and OpenCC: loaded on first use, not by `stemwire --help`
    from stemwire.api import InvalidRecord, extract_file, extract_text
    from stemwire.extractors.errors import ArticleError


def __getattr__(name: str) -> Any:
    if name in ("extract_text", "extract_file", "InvalidRecord"):
        from stemwire import api

        return getattr(api, name)
    if name == "ArticleError":
        from stemwire.extractors.errors import ArticleError

        return ArticleError
    raise AttributeError(f"module 'stemwire' has no attribute {name!r}")
