"""Web pages in GB18030/GBK and Big5 whose head is a long run of ASCII script (trafilatura #541): the
Chinese body decides the encoding, with or without a charset declaration."""

from __future__ import annotations

from pathlib import Path

import pytest

from stemwire.extractors.decode import decode_bytes
from tests.helpers import both_scripts

_BODY = "<p>研究纳入30名患者，神经干细胞移植后3个月评分改善20%。这是一段正文，讲述干细胞疗法的进展。</p>"


@pytest.mark.parametrize("declared", [True, False])
@pytest.mark.parametrize("filler_chars", [1_000, 60_000])
def test_a_long_ascii_head_does_not_hide_the_chinese_body(declared: bool, filler_chars: int) -> None:
    filler = "<script>" + "var a = 1; // ascii filler\n" * (filler_chars // 27) + "</script>"
    for body, codec in zip(both_scripts(_BODY), ("gb18030", "big5"), strict=True):
        meta = f'<meta charset="{"gb2312" if codec == "gb18030" else "big5"}">' if declared else ""
        data = f"<html><head>{meta}{filler}</head><body>{body * 3}</body></html>".encode(codec)
        text, encoding = decode_bytes(Path("page.html"), data)
        assert encoding.replace("_", "-") == codec
        assert body in text


def test_latin_text_is_still_refused() -> None:
    from stemwire.extractors.errors import ArticleError

    with pytest.raises(ArticleError):
        decode_bytes(Path("latin.txt"), "caf\xe9 r\xe9sum\xe9 na\xefve ".encode("latin-1") * 30)
