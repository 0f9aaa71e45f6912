"""Numbers as Chinese articles write them: ASCII digits, Chinese numerals, 万/亿 multipliers."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"
# A number as it appears in analysis text (digits already folded to ASCII), or in Chinese numerals.
NUMBER = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"
_ASCII_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def parse_chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 十二, 二十五, 一百零八, 三千万, or digit-by-digit 二〇二五."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[ch]
            digit = 0
        else:
            section += digit
            total += (section or 1) * _BIG_UNITS[ch]
            section = digit = 0
    return total + section + digit


def parse_number(text: str) -> float | None:
    """Value of an ASCII or Chinese number, with a trailing 万/亿 multiplier (2.5万 = 25000)."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    if text == "半":
        return 0.5
    multiplier = 1
    while text and text[-1] in _BIG_UNITS and _ASCII_NUMBER.fullmatch(text[:-1].strip() or "x"):
        multiplier *= _BIG_UNITS[text[-1]]
        text = text[:-1].strip()
    if _ASCII_NUMBER.fullmatch(text):
        return float(text) * multiplier
    value = parse_chinese_numeral(text)
    return None if value is None else float(value * multiplier)


def parse_exponent(text: str) -> int:
    """Exponent digits written plainly (6) or as superscripts (⁹)."""
    return int(text.translate(_SUPERSCRIPTS))


def clean_number(value: float) -> float | int:
    """Whole numbers as int, so 5000000.0 publishes as 5000000."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)
