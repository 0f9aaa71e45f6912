"""Run a pattern only at the places where one of its matches can begin.

Python's `re` skips ahead quickly when a pattern opens with a literal or a character class, but tries
every position of the text when it opens with a lookbehind or an optional group, as our number,
year and registry-id grammars do (`(?<![\\d.])\\d+…`). On a 5,000-character article each such
pattern cost ~0.3 ms. Anchoring the same pattern at the starts of digit or letter runs gives the
same matches for a small fraction of that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np

from stemwire.extractors.first_chars import first_chars


def single_first(source: str) -> str:
    """The same pattern, opening with one character instead of a repeat: `[...]+rest` or `\\d+rest`
    becomes `[...][...]*rest` (the same matches, greedy either way). re skips ahead to a possible
    first character only when a pattern opens with a character or a class, not with a repeat of
    one: a scan of a 5,000-character article took 50-70 us with `+`, 12-40 us without."""
    head = _LEADING_ATOM.match(source)
    if head is None or source[head.end() : head.end() + 1] in ("?", "+"):
        return source  # no leading atom repeated once or more, or a lazy or possessive repeat
    atom = head.group("atom")
    return atom + atom + "*" + source[head.end() :]


# A leading character class (escapes inside, "]" first taken literally) or escape, then "+".
_LEADING_ATOM = re.compile(r"(?P<atom>\[\^?\]?(?:\\.|[^\]\\])*\]|\\[dDwWsS])\+")

_DIGIT_RUN = re.compile(single_first(r"\d+"))
_ALNUM_RUN = re.compile(single_first(r"[A-Za-z0-9]+"))
_LETTER_RUN = re.compile(single_first(r"[A-Za-z]+"))
_SIGNS = "-−"
_SIGN_CODES = np.array([ord(c) for c in _SIGNS], dtype=np.uint32)
_ONE_DIGIT = re.compile(r"\d")
_LINE_BREAK = re.compile("\n")
_BMP = 0x10000


def _code_points(text: str) -> np.ndarray | None:
    """The text's code points, or None for a text with a lone surrogate (decoded with surrogateescape)."""
    try:
        return np.frombuffer(text.encode("utf-32-le"), np.uint32)
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=8)  # the article's text and its lowered copy, and short labels between them
def bmp_code_points(text: str) -> np.ndarray | None:
    """The text's code points where all are in the Basic Multilingual Plane (what the tables cover),
    else None: found once per article for every table lookup."""
    codes = _code_points(text)
    return None if codes is None or (codes.size and int(codes.max()) >= _BMP) else codes


@lru_cache(maxsize=1)
def _bmp_digits() -> np.ndarray:
    """Which characters of the Basic Multilingual Plane re's \\d matches (the Unicode decimal digits)."""
    return np.array([bool(_ONE_DIGIT.match(chr(c))) for c in range(_BMP)], dtype=bool)


def _run_heads(member: np.ndarray) -> np.ndarray:
    """Where each run of True begins."""
    heads = member.copy()
    heads[1:] &= ~member[:-1]
    return np.flatnonzero(heads)


@lru_cache(maxsize=4)
def digit_run_starts(text: str) -> tuple[int, ...]:
    """Where each run of digits begins, and the sign before it when there is one: every match of
    a pattern that opens with an optional sign, then a number not preceded by a digit, begins here.
    Found by a table of re's digits over the code points: a loop over the runs' matches cost ~0.09 ms
    per article."""
    codes = bmp_code_points(text)
    if codes is None:  # astral digits exist, or a lone surrogate: ask re
        return _digit_run_starts(text)
    heads = _run_heads(np.take(_bmp_digits(), codes))  # take: a third faster than indexing
    signed = heads[heads > 0] - 1
    before = codes[signed]
    signed = signed[(before == _SIGN_CODES[0]) | (before == _SIGN_CODES[1])]
    return tuple(np.sort(np.concatenate((heads, signed))).tolist())


def _digit_run_starts(text: str) -> tuple[int, ...]:
    """digit_run_starts by re: the reference, and the way for texts the table cannot read."""
    starts: list[int] = []
    for m in _DIGIT_RUN.finditer(text):
        s = m.start()
        if s and text[s - 1] in _SIGNS:
            starts.append(s - 1)
        starts.append(s)
    return tuple(starts)


@lru_cache(maxsize=4)
def line_starts(text: str) -> tuple[int, ...]:
    """Where each line begins: every match of a pattern opening with ^ under re.MULTILINE begins here
    (re tries such a pattern at every position of the text)."""
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


def _ascii_run_starts(text: str, run: re.Pattern[str], chars: np.ndarray) -> tuple[int, ...]:
    """Where each run of some ASCII characters begins, by a table over the code points (`run`, the
    same runs by re, for a text with a lone surrogate)."""
    codes = _code_points(text)
    if codes is None:
        return tuple(m.start() for m in run.finditer(text))
    return tuple(_run_heads(np.take(chars, np.minimum(codes, 127))).tolist())  # 127 (DEL) is in no table


def _ascii_table(chars: str) -> np.ndarray:
    table = np.zeros(128, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_LETTERS = _ascii_table(_LETTERS)
_ASCII_ALNUM = _ascii_table(_LETTERS + "0123456789")


@lru_cache(maxsize=4)
def alnum_run_starts(text: str) -> tuple[int, ...]:
    """Where each run of ASCII letters and digits begins (registry ids start no other place)."""
    return _ascii_run_starts(text, _ALNUM_RUN, _ASCII_ALNUM)


@lru_cache(maxsize=4)
def letter_run_starts(text: str) -> tuple[int, ...]:
    return _ascii_run_starts(text, _LETTER_RUN, _ASCII_LETTERS)


# The number every _NUM-led grammar opens with (extractors/metrics.py), sign included, at its longest.
_SIGNED_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?")


@lru_cache(maxsize=64)  # keyed by a grammar's source, once per grammar
def number_followers(rest: str) -> frozenset[str] | None:
    """What can follow the number a grammar opens with, as number_starts reads it: the characters
    `rest` can begin with, where none is a digit or "."; None where that is not known."""
    chars = first_chars(rest)
    if chars is None or any(ch == "." or ch.isdecimal() for ch in chars):  # isdecimal: re's \d
        return None
    return chars


# A grammar opening with a lookbehind, then a group of digits alone: (?P<d>\d{1,2}), (?P<d>[0-3]?\d)
_DIGITS_LEAD = re.compile(r"(?:\(\?<!(?:\\.|[^()\\])*\))?\(\?P<\w+>(?:\[\d-\d\]\?)?\\d(?:\+|\{\d+(?:,\d+)?\})?\)")


@lru_cache(maxsize=64)  # keyed by a grammar's source, once per grammar
def digits_led_rest(source: str) -> str | None:
    """What follows the digits a grammar opens with (_DIGITS_LEAD), for number_starts; None for a
    grammar that opens otherwise."""
    lead = _DIGITS_LEAD.match(source)
    return source[lead.end() :] if lead else None


@lru_cache(maxsize=4)
def _numbers_followed(text: str) -> tuple[str, ...]:
    """For each of digit_run_starts(text), the character after the longest signed number there ("" at
    the end of the text)."""
    found = []
    for start in digit_run_starts(text):
        m = _SIGNED_NUMBER.match(text, start)
        end = start if m is None else m.end()
        found.append(text[end : end + 1])
    return tuple(found)


def number_starts(text: str, rest: str) -> Sequence[int]:
    """Where a grammar that opens with a number at a digit run (after a lookbehind, an optional sign:
    `(?P<num>\\d+(?:\\.\\d+)?)`, `(?P<n>\\d+)`), then `rest`, can match: the digit run starts whose
    longest signed number is followed by a character `rest` can begin with (number_followers). A match
    that reads less than the longest number is impossible: its rest would begin with the digit or "."
    after what it read. Every digit run start where the characters are not known."""
    follows = number_followers(rest)
    if follows is None:
        return digit_run_starts(text)
    return [s for s, after in zip(digit_run_starts(text), _numbers_followed(text), strict=True) if after in follows]


# One class of plain characters ([首次], \\d allowed first), or a run of one as single_first writes it.
_CLASS_OR_RUN = re.compile(r"\[(?P<chars>(?:\\d)?(?:\\[^\w\s]|[^\]\\^\-\[])+)\](?P<run>\[(?P=chars)\]\*)?")
_ESCAPED = re.compile(r"\\([^\w\s])")  # an escaped punctuation mark (re.escape's), read as itself


@lru_cache(maxsize=64)  # keyed by compiled grammars, once per grammar
def _class_shape(pattern: re.Pattern[str]) -> tuple[np.ndarray, bool] | None:
    """For a pattern that is one class of plain characters or a run of one: its characters as a table
    over the Basic Multilingual Plane, and whether it is a run; None for any other pattern."""
    m = _CLASS_OR_RUN.fullmatch(pattern.pattern)
    if m is None or pattern.flags & ~re.UNICODE:
        return None
    chars = m.group("chars")
    table = _bmp_digits().copy() if chars.startswith("\\d") else np.zeros(_BMP, dtype=bool)
    table[[ord(ch) for ch in _ESCAPED.sub(r"\1", chars.removeprefix("\\d"))]] = True
    return table, m.group("run") is not None


def starts_of(pattern: re.Pattern[str], text: str) -> list[int]:
    """Where `pattern.finditer(text)` finds its matches. A class of CJK characters is tested by re at
    ~10 ns a character (40-60 us per article); one or a run of one is read from a table instead."""
    shape = _class_shape(pattern)
    codes = None if shape is None else bmp_code_points(text)
    if shape is None or codes is None:
        return [m.start() for m in pattern.finditer(text)]
    table, run = shape
    member = np.take(table, codes)
    found: list[int] = (_run_heads(member) if run else np.flatnonzero(member)).tolist()
    return found


# Characters other than a letter's own cases that re.IGNORECASE equates with an ASCII letter (re's docs).
_IGNORECASE_EXTRA = "\u0130\u0131\u017f\u212a"  # İ ı ſ K


def case_variants(chars: Iterable[str]) -> str:
    """Every character re.IGNORECASE equates with one of `chars` (tests/test_speed_invariants.py checks
    this against re over all code points): a class of them, compiled without the flag, finds where a
    case-blind pattern can begin; the same class with the flag searched 7x slower."""
    found: set[str] = set()
    for ch in chars:
        found |= {v for v in (ch, ch.lower(), ch.upper(), ch.casefold()) if len(v) == 1}
        found |= {x for x in _IGNORECASE_EXTRA if re.fullmatch(re.escape(ch), x, re.I)}
    return "".join(sorted(found))


def merged(*starts: Iterable[int]) -> list[int]:
    return sorted(set().union(*starts))


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], lo: int = 0, hi: int | None = None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, lo, hi)` for a pattern whose every match begins at one of `starts`
    (ascending): tried at each start in turn, skipping those inside the previous match."""
    hi = len(text) if hi is None else hi
    match = pattern.match  # bound once: this loop runs a few thousand times per article
    resume = lo
    for start in starts:
        if start < resume:
            continue
        if start >= hi:
            break
        m = match(text, start, hi)
        if m is not None and m.end() > start:
            yield m
            resume = m.end()


def with_leading_space(text: str, starts: Iterable[int]) -> list[int]:
    """`starts` plus every position in the run of whitespace just before each: where a pattern that
    opens with a lookbehind and then `\\s*` can begin."""
    found: set[int] = set()
    for start in starts:
        found.add(start)
        p = start
        while p > 0 and text[p - 1].isspace():
            p -= 1
            found.add(p)
    return sorted(found)


def top_level_branches(source: str) -> list[str] | None:
    """The alternatives of a pattern's top-level alternation (the whole pattern when it has none);
    None where it cannot be split safely (inline flags for the whole pattern, an alternative that does
    not compile on its own)."""
    if re.match(r"\(\?[aiLmsux]+\)", source):
        return None
    branches: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            j = i + 1 + (source[i + 1 : i + 2] == "^")
            if source[j : j + 1] == "]":  # a ']' first in a class is the character itself
                i = j
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(source[start:i])
            start = i + 1
        i += 1
    branches.append(source[start:])
    try:
        for branch in branches:
            re.compile(branch)
    except re.error:
        return None
    return branches


_ESCAPE = re.compile(r"\\.")
_SPECIAL = set("\\[](){}.*+?^$|")


def _literal_first(branch: str) -> str | None:
    """The character every match of an alternative begins with, where it opens with a plain one."""
    if not branch or branch[0] in _SPECIAL or branch[1:2] in ("*", "?", "{"):
        return None
    return branch[0]


class CueSearch:
    """Whether a cue pattern (an alternation of cue phrases) matches a line, at its start or anywhere.
    A search of the whole alternation tries every alternative at every position of the line; grouped,
    re skips ahead in each group: the alternatives anchored with ^ are tried at the start only, those
    with no cased character are compiled without IGNORECASE (it changes nothing for them, but keeps re
    from skipping to their first characters), and case-blind ones opening with a letter are tried only
    where one of its cases stands."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = re.compile(source, flags)
        self._anchored: list[re.Pattern[str]] = []
        self._anywhere: list[re.Pattern[str]] = []
        self._at: list[tuple[re.Pattern[str], re.Pattern[str]]] = []  # (where it can begin, pattern)
        branches = top_level_branches(source)
        if branches is None:
            self._anywhere = [self.pattern]
            return

        def cased(branch: str) -> bool:
            return bool(flags & re.I) and any(ch.lower() != ch.upper() for ch in _ESCAPE.sub("", branch))

        anchored = [b for b in branches if b.startswith("^")]
        rest = [b for b in branches if not b.startswith("^")]
        plain = [b for b in rest if not cased(b)]
        led = [b for b in plain if _literal_first(b)]  # together re still skips to their first characters
        blind = [b for b in rest if cased(b) and _literal_first(b)]
        other = [b for b in rest if b not in plain and b not in blind]
        if anchored:
            self._anchored = [re.compile("|".join(anchored), flags)]
        self._anywhere = [re.compile("|".join(led), flags & ~re.I)] if led else []
        self._anywhere += [re.compile(b, flags & ~re.I) for b in plain if b not in led]
        self._anywhere += [re.compile("|".join(other), flags)] if other else []
        if blind:
            firsts = case_variants({_literal_first(b) or "" for b in blind})
            self._at = [(re.compile(f"[{re.escape(firsts)}]"), re.compile("|".join(blind), flags))]

    def search(self, text: str) -> bool:
        # loops, not any() over generators: this runs for every short line, and most find nothing
        for rx in self._anchored:
            if rx.match(text):
                return True
        for rx in self._anywhere:
            if rx.search(text):
                return True
        for at, rx in self._at:
            for m in at.finditer(text):
                if rx.match(text, m.start()):
                    return True
        return False

    def match(self, text: str) -> bool:
        # At one position the whole alternation is quickest: re tests each alternative's first
        # character there (the groups, one call each, cost ~2 us a line more).
        return self.pattern.match(text) is not None
