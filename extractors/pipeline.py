"""The spaCy pipeline: a blank Chinese language object, a character tokenizer and the registered
components of extractors/components.py, in data-flow order.

A Doc carries the original text and the analysis text (doc._.original, doc._.text: same length, so
offsets agree), the caller's publication date, and what the components assign: layout, claims, title
and dateline as extension values, every family's facts and mentions in doc.spans.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache, partial
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from stemwire.extractors import components
from stemwire.extractors.script import AnalysisText
from stemwire.schemas.families import EXTRA_MENTIONS, families

COMPONENTS = (
    "stemwire_layout",
    "stemwire_references",
    "stemwire_trials",
    "stemwire_dates",
    "stemwire_cell_types",
    "stemwire_measures",
    "stemwire_conditions",
    "stemwire_metrics",
    "stemwire_durations",
)
LINKING = ("stemwire_studies", "stemwire_trial_links")  # last: they relate what the others found

# `text`: the analysis text, kept as a string: spaCy's Doc.text rebuilds it from every token on each
# access, which cost more than all our extractors together.
_VALUES = (
    ("original", ""),
    ("text", ""),
    ("published", None),
    ("layout", None),
    ("claims", None),
    ("title", None),
    ("dateline", None),
    ("trials_linked", False),
)
for _name, _default in _VALUES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def span_groups() -> tuple[str, ...]:
    """Every span group a full pipeline fills: each family's, mention-only groups, and the studies."""
    return (*(f.name for f in families()), *EXTRA_MENTIONS, "studies")


def _declare_groups() -> None:
    """doc._.<group>: a read-only view of doc.spans[<group>], the name components' contracts use."""
    for group in span_groups():
        if not Doc.has_extension(group):
            Doc.set_extension(group, getter=partial(_group, group))


def _group(name: str, doc: Doc) -> Any:
    return doc.spans.get(name)


# One token per character (runs of spaces or of line breaks stay whole): the vocabulary of token
# strings is then bounded by the character set, where words and numbers would add new strings to
# spaCy's StringStore with every article for as long as a scheduled process lives.
_WHITESPACE_RUN = re.compile(r"([^\S\n]+|\n+)")
_WHITESPACE = re.compile(r"\s\s*")  # either kind of run: re skips ahead to it, not to an alternation


_BMP = 0x10000


class _Orths(dict[str, "int | str"]):
    """Token string -> its hash in the vocabulary, filled as tokens are met: a Doc built from hashes
    skips spaCy's per-word string hashing and lookup (0.4 ms instead of 1.1 ms for 5,000 tokens)."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        self.vocab = vocab

    def __missing__(self, token: str) -> int | str:
        if self.vocab.in_memory_zone:  # type: ignore[attr-defined]  # spaCy 3.8 has it, its stubs not
            return token  # a lexeme made inside spaCy's memory zone dies with it: never cached
        orth: int = self.vocab[token].orth
        self[token] = orth
        return orth


class CharTokenizer:
    """One token per character, built from the text's whitespace runs (a few per line) rather than
    character by character in Python, which cost more than most of our extractors."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._orths = _Orths(vocab)
        # Code point -> the hash _Orths holds for that character, as a Python int (listing an object
        # array copies no numbers), and whether it has been looked up.
        self._bmp_orths = np.zeros(_BMP, dtype=object)
        self._known = np.zeros(_BMP, dtype=bool)

    def _char_orths(self, text: str) -> list[int | str]:
        """Each character's hash, by one table lookup over the text's code points: looking each
        character up in _Orths made a string object per character (~0.6 ms per article)."""
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        except UnicodeEncodeError:  # a lone surrogate (a file decoded with surrogateescape)
            codes = None
        if codes is None or (codes.size and codes.max() >= _BMP):
            return list(map(self._orths.__getitem__, text))
        missing = codes[~self._known[codes]]
        if missing.size:
            for code in np.unique(missing).tolist():
                orth = self._orths[chr(code)]
                if isinstance(orth, str):  # inside a memory zone: nothing is cached
                    return list(map(self._orths.__getitem__, text))
                self._bmp_orths[code], self._known[code] = orth, True
        return self._bmp_orths[codes].tolist()

    def __call__(self, text: str) -> Doc:
        orth = self._orths.__getitem__
        chars = self._char_orths(text)
        words: list[int | str] = []
        trailing: list[int] = []  # the tokens a single space follows
        pos = 0
        # Whitespace runs are found by a pattern re skips ahead to (the alternation of the two kinds
        # tried every position, 0.14 ms per article), then split into the kinds: a run of line breaks
        # and one of other spaces are a token each, except one space after a character, which is that
        # character's trailing space. Every other character is a token.
        for m in _WHITESPACE.finditer(text):
            start, end = m.span()
            words += chars[pos:start]
            run = m.group()
            for k, piece in enumerate(_WHITESPACE_RUN.findall(run) if end - start > 1 else (run,)):
                if k == 0 and piece == " " and start > pos:
                    trailing.append(len(words) - 1)
                else:
                    words.append(orth(piece))
            pos = end
        words += chars[pos:]
        spaces = [False] * len(words)
        for i in trailing:
            spaces[i] = True
        return Doc(self.vocab, words=words, spaces=spaces)  # type: ignore[arg-type]  # hashes are words too


def component_names() -> list[str]:
    """The pipeline's components in order: a registered family's own component (FactFamily.component)
    runs after the built-in extractors and before the linking steps."""
    extra = [f.component for f in families() if f.component and f.component not in COMPONENTS]
    return [*COMPONENTS, *extra, *LINKING]


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """spaCy's blank Chinese pipeline (no model download) with a character tokenizer, plus our components."""
    _declare_groups()
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    for name in component_names():
        nlp.add_pipe(name)
    return nlp


def run_pipeline(analysis: AnalysisText, published: dt.date | None = None) -> Doc:
    nlp = build_pipeline()
    # spaCy's own length guard (E088) is for parsers that need memory per token; ours do not, and the
    # size of an article is already bounded by --max-bytes before it is read.
    nlp.max_length = max(nlp.max_length, len(analysis.text) + 1)
    doc = nlp.make_doc(analysis.text)
    doc._.original = analysis.original
    doc._.text = analysis.text
    doc._.published = published
    result: Doc = nlp(doc)  # spaCy accepts a prepared Doc and runs every component on it
    return result


def facts_of(doc: Doc) -> dict[str, Any]:
    """Every family's facts by name, and the dateline: a view of a processed Doc for tests and tools."""
    found: dict[str, Any] = {f.name: components.facts(doc, f.name) for f in families()}
    # dates: every date found, resolved or not, in text order (as the grammar reads them)
    found["dates"] = sorted(found["dates"] + components.facts(doc, "unresolved_dates"), key=lambda d: d.start)
    found["dateline"] = doc._.dateline
    found["layout"] = doc._.layout
    return found
