"""The one numeral reader every family uses: whole expressions or nothing."""

import random

import pytest

from stemwire.extractors.numerals import parse_chinese_numeral, parse_number, plain_decimal
from tests.helpers import both_scripts, facts_of

DIGITS = "零一二三四五六七八九"


def _section(n: int, use_liang: bool) -> str:
    """n (1..9999) in Chinese, 零 for each run of skipped places."""
    out, pending_zero = "", False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit_value % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        word = "两" if use_liang and d == 2 and unit in ("千", "百") else DIGITS[d]
        out += ("" if (unit == "十" and d == 1 and not out and n < 20) else word) + unit
    return out


def write_chinese(n: int, use_liang: bool = False) -> str:
    """A non-negative integer written out as an article would (一万零三百, 四千万零六千, 二十万亿)."""
    if n == 0:
        return "零"
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            head, rest = divmod(n, size)
            out = write_chinese(head, use_liang) + unit
            if rest:
                tail = write_chinese(rest, use_liang)
                if rest < size // 10:
                    out += "零" + ("一" + tail if tail.startswith("十") else tail)
                else:
                    out += tail
            return out
    return _section(n, use_liang)


def test_generated_integers_round_trip() -> None:
    rng = random.Random(15)
    for _ in range(3000):
        n = rng.choice([rng.randrange(10**k) for k in (2, 4, 5, 8, 9, 12, 16)])
        for liang in (False, True):
            text = write_chinese(n, liang)
            assert parse_chinese_numeral(text) == n, text  # exact, as int
            if n < 2**53:  # a float holds every integer up to here
                assert parse_number(text) == n, text


def test_generated_decimals_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        whole = rng.randrange(10 ** rng.choice([1, 3, 5, 9]))
        fraction = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4)))
        text = write_chinese(whole) + "点" + "".join(DIGITS[int(c)] for c in fraction)
        assert parse_number(text) == float(f"{whole}.{fraction}"), text


def test_generated_mixed_digit_and_unit_numerals_round_trip() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        wan, rest = rng.randrange(1, 10_000), rng.randrange(10_000)
        text = f"{wan}万" + (f"{rest:04d}" if rest >= 1000 else (f"零{rest}" if rest else ""))
        assert parse_number(text) == wan * 10_000 + rest, text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二百五", 250),
        ("一万三", 13000),
        ("九十二万四", 924000),
        ("千三", 1300),
        ("百三", 130),
        ("两千三百五", 2350),
        ("廿", 20),
        ("卅六", 36),
        ("四万亿", 4 * 10**12),
        ("四万万", 4 * 10**8),
        ("一万五千亿", 15 * 10**11),
        ("一万零十二", 10012),
        ("一万零一十二", 10012),
        ("零十", 10),
        ("十五点七", 15.7),
        ("零点五", 0.5),
        ("一千六点五", 1600.5),
        ("四百亿点零五零", 40000000000.05),
        ("5万4千6百", 54600),
        ("3万4000", 34000),
        ("1千零1", 1001),
        ("2千零30万", 20300000),
        ("1,100万", 11000000),
        ("4.78万亿", 4780000000000),
        ("一百 五 十 二", 152),
        ("7 万5 千4 百", 75400),
        ("半", 0.5),
    ],
)
def test_colloquial_decimal_and_mixed_forms(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["一万一万", "二十三十", "3万4", "3万400", "万", "1 2", "两三", "三四", "五十千", "十点"]
)
def test_what_does_not_read_in_full_gives_no_value(text: str) -> None:
    assert parse_number(text) is None


def test_years_still_read_digit_by_digit() -> None:
    assert parse_chinese_numeral("二〇二五") == 2025
    assert parse_chinese_numeral("零八") == 8


def test_very_long_numeral_reads_quickly() -> None:
    text = "四千五百六十九万八千三百一十一亿" * 40 + "四千八百七十二万五千三百八十二"
    assert parse_number(text) is None or parse_number(text) > 0


def test_plain_decimal_never_uses_an_exponent() -> None:
    assert plain_decimal(4569831148725382.0) == "4569831148725382"
    assert plain_decimal(2.5) == "2.5"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("随访二百五个月。", ["P250M"]),
        ("随访十五点七个月。", ["P15.7M"]),
        ("随访两三个月。", []),  # two or three months: no single value
    ],
)
def test_numerals_inside_durations(body: str, expected: list[str]) -> None:
    for text in both_scripts("标题\n" + body):
        assert [d.value for d in facts_of(text)["durations"]] == expected
