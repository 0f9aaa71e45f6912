"""Shared test helpers: run the extractors on a snippet, in Simplified and in Traditional script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opencc

from stemwire.extractors.pipeline import facts_of as doc_facts
from stemwire.extractors.pipeline import run_pipeline
from stemwire.extractors.script import to_analysis_text
from stemwire.flows.batch import process_article, publish_article
from stemwire.flows.finalize import finalize
from stemwire.flows.outcome import remember
from stemwire.flows.output.inventory import Inventory
from stemwire.flows.output.manifest import Manifest
from stemwire.schemas.ids import article_id

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
CL_TERMS = SHARED / "ontology" / "cl-terms.tsv"

_S2T = opencc.OpenCC("s2t")


def both_scripts(simplified: str) -> list[str]:
    """The snippet as written (Simplified) and converted to Traditional by OpenCC."""
    return [simplified, _S2T.convert(simplified)]


def facts_of(text: str) -> dict[str, Any]:
    return doc_facts(run_pipeline(to_analysis_text(text)))


def publish(raw_paths: list[Path], out: Path, bom: bool = False) -> Path:
    """What a run does, without Prefect: publish each article, then the tables and the catalog."""
    manifest = Manifest()
    for path in raw_paths:
        outcome = process_article(path, article_id(path))
        publish_article(outcome, out)
        remember(manifest, outcome)
    finalize(out, manifest, Inventory(), bom=bom)
    return out
