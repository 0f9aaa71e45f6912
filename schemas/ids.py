"""Article ids: stable, from the source's file name, and always matching the record's id pattern."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath


def article_id(path: PurePath | str) -> str:
    """Stable id from the file name, so a re-run or a corrected article keeps its id."""
    path = PurePath(path)
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return slug or "article-" + hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:12]
