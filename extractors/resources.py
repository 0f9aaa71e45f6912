"""Load the data files under extractors/data (gazetteers, vocabularies, grammar word lists)."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


@cache
def load_json(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV whose '#' lines are comments and whose first other line is the header."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        body = [line for line in fh if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]
