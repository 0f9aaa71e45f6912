"""Numbers as Chinese articles write them: ASCII digits, Chinese numerals, 万/亿 multipliers.

One reader for every fact family. It reads the whole expression or nothing: 二百五 = 250, 一万三 =
13000, 四万亿 = 4 x 10^12, 5万4千6百 = 54600, 3万4000 = 34000, 十五点七 = 15.7, 一百 五 十 二 = 152;
an expression it cannot read in full (一万一万, 五零, 二十三十) gives None, never a number built
from part of it. Arithmetic is decimal, so 4.78万亿 is exactly 4780000000000. The characters live in
data/numerals.json.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from stemwire.extractors.resources import load_json


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_json("numerals.json")


def _digits() -> dict[str, int]:
    return _words()["digits"]


def _small_units() -> dict[str, int]:
    return _words()["small_units"]


def _big_units() -> dict[str, int]:
    return _words()["big_units"]


_W = load_json("numerals.json")
CN_NUMERAL_CHARS = "".join([*_W["digits"], *_W["small_units"], *_W["big_units"]])
# Every character a Chinese numeral may begin or continue with (CN_NUMERAL_CHARS plus 廿/卅/卌).
NUMERAL_CHARS = CN_NUMERAL_CHARS + "".join(_W["tens_words"])
_FRACTION_DIGITS = "".join(ch for ch in _W["digits"] if ch not in _W["fraction_digits_exclude"])
_POINT = _W["decimal_point"]
# A number as it appears in analysis text (digits already folded to ASCII), or in Chinese numerals.
NUMBER = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"
# A number as the duration and metric grammars read it: digits (with thousands separators) and
# numerals mixed (5万4千6百, 3万4000), a Chinese decimal (十五点七), one or two spaces between pieces
# where one side is a numeral character (一百 五 十 二, 1000 万). parse_number decides whether it reads.
_ASCII = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_CN_PIECE = rf"[{NUMERAL_CHARS}]"
_PIECE = rf"(?:{_ASCII}|{_CN_PIECE})"
_GAP = "[ ]{0,2}"
# Atomic: a number never gives back characters, so a failing match costs one pass over it instead
# of trying every way of splitting its digits into pieces.
MIXED_NUMBER = rf"(?>{_PIECE}(?:{_GAP}{_PIECE})*(?:{_GAP}{_W['decimal_point']}{_GAP}[{_FRACTION_DIGITS}](?:{_GAP}[{_FRACTION_DIGITS}])*)?)"
_ASCII_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _section(tokens: list[str]) -> Decimal | None:
    """Value of a section below 万 (千百十 places), or of a run of ASCII digits standing alone."""
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0][0].isdigit():
        return Decimal(tokens[0])
    digits, units, zero = _digits(), _small_units(), _words()["zero"]
    value = Decimal(0)
    digit: int | None = None
    last_unit = 10_000
    after_zero = False
    for i, tok in enumerate(tokens):
        if tok in zero:
            if digit is not None:
                return None  # 五零: digit-by-digit strings are read elsewhere
            after_zero = True
        elif tok in digits or tok.isdigit():
            if digit is not None:
                return None  # two digits in a row
            if tok.isdigit():
                n = int(tok)
                if i == len(tokens) - 1:  # a trailing ASCII number (1千零20) fills the places below
                    return value + n if after_zero and n < last_unit < 10_000 else None
                if not 1 <= n <= 9:
                    return None
                digit = n
            else:
                digit = digits[tok]
        elif tok in units:
            unit = units[tok]
            if unit >= last_unit or digit == 0:
                return None
            value += (1 if digit is None else digit) * unit
            last_unit, digit, after_zero = unit, None, False
        else:
            return None
    if digit is not None:
        if after_zero or last_unit in (10, 10_000):
            value += digit
        elif _words()["colloquial_next_place"]:
            value += digit * last_unit // 10  # 二百五 = 250, 千三 = 1300
        else:
            return None
    return value


def _read(tokens: list[str], digit_strings: bool = False) -> Decimal | None:
    """Value of an integer expression: sections closed by 万/亿, which may stack (四万亿, 四万万).
    `digit_strings`: read a run of digits digit by digit (二〇二五, as years are written); elsewhere
    两三 and 三四 say "two or three", never 23."""
    big = _big_units()
    zero = _words()["zero"]
    for unit_char in sorted(big, key=lambda u: -big[u]):
        if unit_char not in tokens:
            continue
        at = len(tokens) - 1 - tokens[::-1].index(unit_char)  # the last one: 四万亿 is (四万)亿
        left, right = tokens[:at], tokens[at + 1 :]
        if unit_char in left and left[-1] != unit_char:
            return None  # 四万万 stacks; 一万一万 is two numbers
        head = _read(left)
        if head is None or head == 0:
            return None
        total = head * big[unit_char]
        if not right:
            return total
        stripped = right[1:] if right[0] in zero else right
        tail = _read(stripped) if stripped else None
        if tail is None or tail >= big[unit_char]:
            return None
        if right[0] not in zero and len(right) == 1:
            if right[0] in _digits():
                return total + tail * big[unit_char] // 10  # 一万三 = 13000, 九十二万四 = 924000
            if len(right[0]) != len(str(big[unit_char])) - 1:
                return None  # 3万4000 fills every place; 3万4 or 3万400 is not read
        return total + tail
    if digit_strings and len(tokens) > 1 and all(t in _digits() for t in tokens):
        return Decimal("".join(str(_digits()[t]) for t in tokens))  # 二〇二五, 零八
    if len(tokens) > 1 and tokens[0] in zero:
        tokens = tokens[1:]  # 零十 = 10
    return _section(tokens)


def _tokens(text: str) -> list[str] | None:
    tokens = _TOKEN.findall(text)
    return tokens if "".join(tokens) == text else None


def _decimal(text: str, digit_strings: bool = False) -> Decimal | None:
    """Value of a number written in any of the forms this module reads, as an exact decimal."""
    if re.search(r"\d\s+\d", text):
        return None  # "1 2" is two numbers
    text = re.sub(r"\s+", "", _THOUSANDS.sub("", text))
    for word, value in _words()["tens_words"].items():
        if word in text:
            text = text.replace(word, parse_words_of(value))
    if not text:
        return None
    if text == _words()["half"]:
        return Decimal("0.5")
    if _ASCII_NUMBER.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None
    whole, point, fraction = text.partition(_POINT)
    if point:
        if not fraction or any(ch not in _FRACTION_DIGITS for ch in fraction) or not whole:
            return None
        head = _decimal(whole)
        if head is None or head != head.to_integral_value():
            return None
        return head + Decimal("0." + "".join(str(_digits()[ch]) for ch in fraction))
    tokens = _tokens(text)
    return None if tokens is None else _read(tokens, digit_strings)


@lru_cache(maxsize=16)
def parse_words_of(value: int) -> str:
    """The numeral characters of a multiple of ten below 100 (20 -> 二十), for 廿 and 卅."""
    names = {v: k for k, v in reversed(_digits().items()) if k not in _words()["zero"]}
    return names[value // 10] + next(k for k, v in _small_units().items() if v == 10)


def parse_chinese_numeral(text: str) -> int | None:
    """Value of a whole Chinese numeral such as 十二, 二十五, 一百零八, 三千万, 二百五, or digit-by-digit
    二〇二五; None unless every character is a numeral character and the whole reads."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    value = _decimal(text, digit_strings=True)
    return None if value is None or value != value.to_integral_value() else int(value)


def parse_number(text: str) -> float | None:
    """Value of an ASCII or Chinese number, or both mixed: 2.5万 = 25000, 5万4千6百 = 54600,
    1,100万 = 11000000, 十五点七 = 15.7, 半 = 0.5. None when the whole does not read."""
    value = _decimal(text.strip())
    return None if value is None else float(value)


def parse_exponent(text: str) -> int:
    """Exponent digits written plainly (6) or as superscripts (⁹)."""
    return int(text.translate(_SUPERSCRIPTS))


def clean_number(value: float) -> float | int:
    """Whole numbers as int, so 5000000.0 publishes as 5000000."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)


def plain_decimal(value: float) -> str:
    """A number written out in plain decimal notation, never with an exponent (4.5e+15 -> 4500000000000000)."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
