"""A bounded, seeded fuzz of the extractor API over the project's own fixtures (the text articles, and
the HTML and Markdown pages mutated as markup, tags included): spans inserted, deleted and duplicated,
odd characters (astral, control, bidi), huge numbers, odd brackets and ranges like the crashers
fuzzing once found. Every mutant gives a record valid under the committed JSON Schema, or an
ArticleError (the documented "not an article"); any other exception is a bug.

ROUNDS x PER_ROUND is the budget: 400 mutants, 5 to 13 s here (2 cores shared with other work). A
failure names the seed; FUZZ_SEED=<seed> replays it.
"""

from __future__ import annotations

import json
import os
import random

import jsonschema
import pytest

import stemwire
from stemwire.schemas.export import SCHEMA_PATH
from tests.helpers import FIXTURES

BASE_SEED = int(os.environ.get("FUZZ_SEED", "20251302"))
ROUNDS = 20  # one test per round; each mutates every fixture it draws once
PER_ROUND = 20
KINDS = {".txt": "text", ".html": "html", ".md": "markdown"}
ARTICLES = sorted(p for p in (FIXTURES / "articles").glob("*.txt") if p.stat().st_size > 40) + sorted(
    p for p in (FIXTURES / "pages").iterdir() if p.suffix in (".html", ".md") and p.name != "README.md"
)
# Tokens of the kinds that once cost a whole article, and relatives of them.
ODD_TOKENS = [
    "[1-2-3]",
    "[2–]",
    "［1，,3］",
    "(（(",
    "】】【",
    "2022-02-30",
    "2023年13月45日",
    "民国0年",
    "民國101/05/25",
    "2~0×10^6个细胞/kg",
    "0~0万个",
    "1×10^999个细胞",
    "99999999999999999999999",
    "随访99999999999999999999999个月",
    "一万亿亿亿亿",
    "-0.0%",
    "1e309",
    "NCT",
    "NCT0000000000001",
    "n=0",
    "HR=0.0（95%CI 0-0）",
    "P<0",
    "9999年",
    "第0期",
    "Ⅱ/Ⅲ/Ⅳ期",
    "1/0",
    "%%%",
    "～～～",
    "12周后12周后",
    "去年前年上半年",
    "²³⁴",
    "½",
]
ODD_CHARS = [
    "\u0000",
    "\u0001",
    "\u001b",
    "\u007f",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "\u3000",
]

SCHEMA = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _random_char(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(ODD_CHARS)
    if roll < 0.6:
        return chr(rng.randint(0x10000, 0x10FFFF) if rng.random() < 0.5 else rng.randint(0x20000, 0x2A6DF))  # astral
    return chr(rng.randint(0x20, 0xD7FF))


def mutate(text: str, rng: random.Random) -> str:
    """A few random edits of `text`: each one insert, delete, duplicate, odd token or odd characters."""
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(text) + 1)
        j = min(len(text), i + rng.randint(1, 40))
        kind = rng.randrange(5)
        if kind == 0:
            text = text[:i] + text[j:]
        elif kind == 1:
            text = text[:i] + text[i:j] * rng.randint(2, 5) + text[i:]
        elif kind == 2:
            k = rng.randrange(len(text) + 1)
            text = text[:k] + text[i:j] + text[k:]
        elif kind == 3:
            text = text[:i] + rng.choice(ODD_TOKENS) + text[i:]
        else:
            text = text[:i] + "".join(_random_char(rng) for _ in range(rng.randint(1, 8))) + text[i:]
    return text


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_fuzzed_articles_give_a_valid_record_or_an_article_error(round_: int) -> None:
    from stemwire import ArticleError

    seed = BASE_SEED + round_
    rng = random.Random(seed)
    for n in range(PER_ROUND):
        source = rng.choice(ARTICLES)
        text = mutate(source.read_text(encoding="utf-8"), rng)
        try:
            record = stemwire.extract_text(text, kind=KINDS[source.suffix])
        except ArticleError:
            continue
        except Exception as exc:  # the point: name any other exception, and how to replay it
            pytest.fail(f"FUZZ_SEED={seed} mutant {n} of {source.name}: {exc.__class__.__name__}: {exc}")
        problems = [e.message for e in SCHEMA.iter_errors(record.model_dump(mode="json"))]
        assert not problems, f"FUZZ_SEED={seed} mutant {n} of {source.name}: {problems[:3]}"
