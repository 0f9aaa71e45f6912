"""The character tokenizer: one token per character, whitespace runs whole, a single space after a
character kept as that token's trailing space; Docs built from cached hashes stay valid inside
spaCy's memory zone."""

from __future__ import annotations

import random
import re

from stemwire.extractors.pipeline import build_pipeline

_REFERENCE_TOKEN = re.compile(r"[^\S\n]+|\n+|\S")


def _reference(text: str) -> tuple[list[str], list[bool]]:
    """The rule stated character by character, as the tokenizer first implemented it."""
    words: list[str] = []
    spaces: list[bool] = []
    for word in _REFERENCE_TOKEN.findall(text):
        if word == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
        else:
            words.append(word)
            spaces.append(False)
    return words, spaces


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    doc = build_pipeline().make_doc(text)
    return [t.text for t in doc], [bool(t.whitespace_) for t in doc]


def test_tokens_follow_the_rule_on_every_kind_of_whitespace() -> None:
    pieces = [" ", "  ", "\n", "\n\n", "\t", "\u3000", "\r", "\xa0", "\u2028", "a", "幹", "𠮷", "9", "。"]
    rng = random.Random(14)
    texts = ["", " ", "\n", " 幹細胞 NCT04631406 \n\n 18名 ", "a b  c\n d"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 24))) for _ in range(3000)]
    for text in texts:
        assert _tokens(text) == _reference(text), repr(text)


def test_the_doc_text_is_the_text() -> None:
    text = "标题\n\n2025年2月17日， NCT04631406试验  为18名患者\t输注𠮷神经干细胞。 "
    assert build_pipeline().make_doc(text).text == text


def test_a_doc_made_inside_a_memory_zone_leaves_no_hash_behind() -> None:
    nlp = build_pipeline()
    text = "\U000f0001\U000f0002 x"  # private-use characters no other test has met
    with nlp.memory_zone():
        assert [t.text for t in nlp.make_doc(text)] == ["\U000f0001", "\U000f0002", "x"]
    # outside the zone its transient lexemes are gone; a new Doc must not use their cached hashes
    assert [t.text for t in nlp.make_doc(text)] == ["\U000f0001", "\U000f0002", "x"]
