"""Generate schemas/article.schema.json (the record) and schemas/run-summary.schema.json (what
`stemwire run --json` prints) from their pydantic models, or check that they are up to date.

python -m stemwire.schemas.export          # write the schema
python -m stemwire.schemas.export --check  # exit 1 with a fix-it message when the committed file has drifted
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from stemwire.schemas import SCHEMA_ID, SCHEMA_VERSION
from stemwire.schemas.families import record_model
from stemwire.schemas.run_summary import SUMMARY_ID, RunSummaryReport

SCHEMA_PATH = Path(__file__).parent / "article.schema.json"
SUMMARY_SCHEMA_PATH = Path(__file__).parent / "run-summary.schema.json"
FIX_IT = "schema is out of date: run `stemwire schema` (or `python -m stemwire.schemas.export`) to update it"


def generate_schema() -> dict[str, Any]:
    body = record_model().model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        **body,
    }


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_schema() -> str:
    return _render(generate_schema())


def render_summary_schema() -> str:
    body = RunSummaryReport.model_json_schema(mode="serialization")
    return _render({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SUMMARY_ID, **body})


def schema_is_current(path: Path = SCHEMA_PATH) -> bool:
    summary_current = (
        SUMMARY_SCHEMA_PATH.exists() and SUMMARY_SCHEMA_PATH.read_text(encoding="utf-8") == render_summary_schema()
    )
    return summary_current and path.exists() and path.read_text(encoding="utf-8") == render_schema()


def write_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(render_schema(), encoding="utf-8")
    SUMMARY_SCHEMA_PATH.write_text(render_summary_schema(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the committed schema differs")
    args = parser.parse_args(argv)
    if args.check:
        if not schema_is_current():
            print(FIX_IT, file=sys.stderr)
            return 1
        print(f"{SCHEMA_PATH} is up to date")
        return 0
    write_schema()
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
