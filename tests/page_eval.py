"""Score the page set (tests/fixtures/pages): extract every page, score with the shared scorer, and
check each page's title, date_published and `page` fields (where the gold gives them) against its gold file.

    .venv/bin/python -m tests.page_eval [-v]

`stemwire eval` reads .txt articles only; pages also come as .md and .html, whose record text is the
extracted text: offsets are checked against the raw file for .txt pages and against the record's text
for the others (written beside the records).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from stemwire import extract_file

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
PAGE_SUFFIXES = (".txt", ".md", ".html")


def page_paths() -> list[Path]:
    """Every page that has a gold file (the folder's README is not a page)."""
    return sorted(p for p in PAGES.iterdir() if p.suffix in PAGE_SUFFIXES and (PAGES / f"{p.name}.gold.json").exists())


def score_pages(out: Path, verbose: bool = False) -> tuple[dict[str, Any], list[str], str]:
    """(scorer's JSON, title/date mismatches, verbose listing) for the page set."""
    records, raw = out / "records", out / "raw"
    records.mkdir(parents=True, exist_ok=True)
    raw.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for path in page_paths():
        record = extract_file(path)
        (records / f"{path.name}.json").write_text(record.model_dump_json(), encoding="utf-8")
        (raw / path.name).write_text(
            path.read_text(encoding="utf-8") if path.suffix == ".txt" else record.text, "utf-8"
        )
        gold = json.loads((PAGES / f"{path.name}.gold.json").read_text(encoding="utf-8"))
        for key in ("title", "date_published"):
            if key in gold and getattr(record, key) != gold[key]:
                problems.append(f"{path.name}: {key} {getattr(record, key)!r}, gold {gold[key]!r}")
        page = record.page.model_dump() if record.page else {}
        for key, want in gold.get("page", {}).items():  # what the page says about itself
            if page.get(key) != want:
                problems.append(f"{path.name}: page.{key} {page.get(key)!r}, gold {want!r}")
    args = [sys.executable, str(SCORER), "--gold", str(PAGES), "--records", str(records), "--raw", str(raw)]
    scored = json.loads(subprocess.run([*args, "--json"], capture_output=True, text=True, check=True).stdout)
    listing = subprocess.run([*args, "-v"], capture_output=True, text=True, check=False).stdout if verbose else ""
    return scored, problems, listing


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        result, mismatches, text = score_pages(Path(tmp), verbose=True)
    print(text)
    print("\n".join(mismatches) or "titles and dates: all right")
