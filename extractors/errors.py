"""Errors that name the article and the reason, so a batch can report and carry on."""

from __future__ import annotations

from pathlib import Path


class ArticleError(Exception):
    """An input file that cannot be turned into a record."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
