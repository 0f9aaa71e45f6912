"""Score extracted records against gold facts (the gold format of the shared evaluation README).

Per fact type: true positives, false positives, false negatives, precision, recall, F1. A prediction
matching a required gold fact counts once; one matching only an optional fact, or repeating an
already matched one, is not counted against us. Offsets of every span are checked against the text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stemwire.api import InvalidRecord, extract_file
from stemwire.extractors.decode import ARTICLE_SUFFIXES
from stemwire.extractors.errors import ArticleError

# The fact types of the gold format (../shared/eval/README.md): the record's families the gold scores,
# with references scored by the identifiers they cite.
FACT_TYPES = ("cell_types", "trials", "dates", "durations", "metrics", "identifiers")
_UNIT_ALIASES = {"points": "point", "分": "point", "%": "percent", "倍": "fold", "cell": "cells"}
_DURATION = re.compile(
    r"^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$"
)
_DAYS_PER = (365.2425, 30.436875, 7, 1, 1 / 24, 1 / 1440, 1 / 86400)


def _norm(text: Any) -> str:
    return re.sub(r"[\s\-_]+", " ", unicodedata.normalize("NFKC", str(text or "")).lower()).strip()


def _days(value: Any) -> float | None:
    m = _DURATION.match(str(value or ""))
    if not m or not any(m.groups()):
        return None
    return sum(float(g) * k for g, k in zip(m.groups(), _DAYS_PER, strict=True) if g)


def _unit(value: Any) -> str | None:
    return None if value in (None, "") else _UNIT_ALIASES.get(_norm(value), _norm(value))


def _registry(value: Any) -> str:
    return re.sub(r"^(eudract|euctr)", "", _norm(value).replace(" ", ""))


def _same_cell(g: dict[str, Any], p: dict[str, Any]) -> bool:
    if g.get("cl_id") and p.get("cl_id") and g["cl_id"] == p["cl_id"]:
        return True
    return _norm(p.get("name")) in {_norm(g.get("name"))} | {_norm(a) for a in g.get("aliases", [])}


def _same_metric(g: dict[str, Any], p: dict[str, Any]) -> bool:
    try:
        if abs(abs(float(g["value"])) - abs(float(p["value"]))) > 1e-6 * max(1.0, abs(float(g["value"]))):
            return False
    except (KeyError, TypeError, ValueError):
        return False
    gu, pu = _unit(g.get("unit")), _unit(p.get("unit"))
    return gu is None or pu is None or gu == pu


def _same_duration(g: Any, p: Any) -> bool:
    gd, pd = _days(g), _days(p)
    return gd is not None and pd is not None and abs(gd - pd) <= max(1e-9, gd * 0.005)


MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "cell_types": _same_cell,
    "trials": lambda g, p: _registry(g.get("registry_id")) == _registry(p.get("registry_id")),
    "dates": lambda g, p: str(g).strip() == str(p or "").strip(),
    "durations": _same_duration,
    "metrics": _same_metric,
    "identifiers": lambda g, p: str(g).lower() == str(p).lower(),
}


def _measure_ok(g: dict[str, Any], p: dict[str, Any]) -> bool:
    named = _norm(p.get("measure"))
    return bool(named) and any(a and (a in named or named in a) for a in map(_norm, g.get("measure_aliases", [])))


def _attributes(kind: str, g: Any, p: Any) -> tuple[int, int]:
    """(right, checked) attributes of a matched fact: a trial's phase and enrollment, a metric's measure."""
    if kind == "trials":
        checked = [a for a in ("phase", "enrollment") if g.get(a) is not None]
        return sum(_norm(g[a]) == _norm(p.get(a)) for a in checked), len(checked)
    if kind == "metrics" and g.get("measure_aliases"):
        return int(_measure_ok(g, p)), 1
    return 0, 0


def predictions(record: dict[str, Any]) -> dict[str, list[Any]]:
    ids = [
        f"{k}:{r[k].lower() if k == 'doi' else r[k]}"
        for r in record.get("references", [])
        for k in ("doi", "pmid", "pmcid")
        if r.get(k)
    ]
    return {
        "cell_types": record.get("cell_types", []),
        "trials": record.get("trials", []),
        # As the shared scorer does: a date without a value is a prediction that matches nothing.
        "dates": [d.get("value") for d in record.get("dates", [])],
        "durations": [d["value"] for d in record.get("durations", [])],
        "metrics": record.get("metrics", []),
        "identifiers": ids,
    }


@dataclass
class TypeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_ok: int = 0
    attr_total: int = 0
    missed: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(not self.fn)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _shown(article: str, fact: Any) -> str:
    if isinstance(fact, dict):
        fact = {k: v for k, v in fact.items() if k not in ("mentions", "start", "end")}
    return f"{article}: {json.dumps(fact, ensure_ascii=False)}"


def score_facts(kind: str, gold: dict[str, list[Any]], predicted: list[Any], score: TypeScore, article: str) -> None:
    same = MATCHERS[kind]
    required, optional = gold.get("required", []), gold.get("optional", [])
    matched = [False] * len(required)
    for p in predicted:
        free = next((i for i, g in enumerate(required) if not matched[i] and same(g, p)), None)
        if free is not None:
            matched[free] = True
            score.tp += 1
            ok, total = _attributes(kind, required[free], p)
            score.attr_ok += ok
            score.attr_total += total
        elif not any(same(g, p) for g in required + optional):
            score.fp += 1
            score.unexpected.append(_shown(article, p))
    score.fn += matched.count(False)
    score.missed += [_shown(article, g) for g, m in zip(required, matched, strict=True) if not m]


@dataclass
class Evaluation:
    scores: dict[str, TypeScore]
    offsets_checked: int
    offsets_wrong: int
    missing_records: list[str]

    @property
    def micro(self) -> TypeScore:
        return TypeScore(
            *(sum(getattr(s, k) for s in self.scores.values()) for k in ("tp", "fp", "fn", "attr_ok", "attr_total"))
        )


def evaluate(gold_dir: Path, records: dict[str, dict[str, Any]], raw_dir: Path | None) -> Evaluation:
    """`records` maps an article file name to its record."""
    scores = {kind: TypeScore() for kind in FACT_TYPES}
    checked = wrong = 0
    missing = []
    for gold_file in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        record = records.get(gold["article"])
        if record is None:
            missing.append(gold["article"])
            record = {}
        predicted = predictions(record)
        for kind in FACT_TYPES:
            score_facts(kind, gold.get(kind, {}), predicted[kind], scores[kind], gold["article"])
        if raw_dir is not None and record and (raw_dir / gold["article"]).exists():
            # Offsets of a page count in the text taken from its markup, which the record keeps.
            plain = record.get("source", {}).get("format", "text") == "text"
            text = (raw_dir / gold["article"]).read_text(encoding="utf-8") if plain else record["text"]
            for key in ("mentions", "dates", "durations", "metrics"):
                for span in record.get(key, []):
                    checked += 1
                    wrong += text[span["start"] : span["end"]] != span["text"]
    return Evaluation(scores, checked, wrong, missing)


def extract_folder(raw_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Records of the folder's articles through the public API, by file name, and what was skipped."""
    records, skipped = {}, []
    for path in sorted(p for p in raw_dir.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES):
        try:
            records[path.name] = extract_file(path).model_dump(mode="json")
        except (ArticleError, InvalidRecord) as exc:
            skipped.append(str(exc))
    return records, skipped
