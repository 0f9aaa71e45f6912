"""Article ids: stable, from the source's file name, and always matching the record's id pattern."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

MAX_SLUG = 100  # an id names files (records/<id>.json): a long name keeps its start and gets a hash


def article_id(path: PurePath | str) -> str:
    """Stable id from the file name, so a re-run or a corrected article keeps its id."""
    path = PurePath(path)
    digest = hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-._") + "-" + digest
    return slug or "article-" + digest
