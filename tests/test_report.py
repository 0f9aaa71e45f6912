"""The review report: pages render in real headless Chromium (Debian's package), every mention is
highlighted once, and an article's own markup never runs."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from stemwire.flows.publish.html import link as _link
from stemwire.flows.publish.report_page import _Span, highlight
from tests.helpers import FIXTURES, publish

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Chromium and sets this, so that a missing browser fails there instead of skipping.
REQUIRED = os.environ.get("STEMWIRE_REQUIRE_BROWSER") == "1"
needs_browser = pytest.mark.skipif(not CHROMIUM and not REQUIRED, reason="Debian's chromium is not installed")

PAYLOAD = (
    "干细胞新闻<script>alert(1)</script>\n2025年1月2日 编辑部\n\n"
    "研究（NCT01234567）纳入20名患者<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
    '<script>document.body.setAttribute("data-pwned","1");document.title="pwned"</script>，评分提升3分。\n'
    "链接：javascript:alert(2)\n"
)


@pytest.fixture(scope="module")
def report_out(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    for name in ("islet-t1d-hans", "sci-opc-hant-tw", "retina-rpe-mixed", "broken-empty"):
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    (raw / "xss.txt").write_text(PAYLOAD, encoding="utf-8")
    return publish(sorted(raw.glob("*.txt")), tmp_path_factory.mktemp("out"))


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "chromium is required here (STEMWIRE_REQUIRE_BROWSER=1)"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp / 'profile'}"]
    command += ["--virtual-time-budget=3000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def rendered(page: Path, tmp: Path) -> BeautifulSoup:
    """The DOM after Chromium loaded the page and let any script run."""
    return BeautifulSoup(chromium("--dump-dom", page.resolve().as_uri(), tmp=tmp).stdout, "html.parser")


@needs_browser
@pytest.mark.parametrize("article", ["islet-t1d-hans", "sci-opc-hant-tw", "retina-rpe-mixed"])
def test_every_mention_is_highlighted_once_in_chromium(report_out: Path, tmp_path: Path, article: str) -> None:
    record = json.loads((report_out / "records" / f"{article}.json").read_text(encoding="utf-8"))
    dom = rendered(report_out / "report" / "articles" / f"{article}.html", tmp_path)
    original = dom.select_one(".text.original")
    assert original is not None
    assert len(original.select("mark.hl")) == len(record["mentions"]) > 10
    assert original.get_text() == record["text"]  # every character shown once, in order
    converted = dom.select_one(".text.converted")
    assert converted is not None and len(converted.select("mark.hl")) == len(record["mentions"])


@needs_browser
def test_article_markup_is_shown_as_text_and_never_runs(report_out: Path, tmp_path: Path) -> None:
    dom = rendered(report_out / "report" / "articles" / "xss.html", tmp_path)
    assert dom.body is not None and not dom.body.has_attr("data-pwned")
    assert dom.title is not None and dom.title.get_text() != "pwned"
    assert dom.find("script") is None and dom.find("img") is None
    assert "<script>alert(1)</script>" in dom.select_one(".text.original").get_text()


@needs_browser
def test_index_and_a_phone_width_screenshot(report_out: Path, tmp_path: Path) -> None:
    dom = rendered(report_out / "report" / "index.html", tmp_path)
    links = {a["href"] for a in dom.select("a[href^='articles/']")}
    assert links == {f"articles/{p.stem}.html" for p in (report_out / "records").glob("*.json")}
    assert dom.find("svg") is not None and "file is empty" in dom.get_text()
    shot = tmp_path / "islet-t1d-hans-phone.png"
    page = (report_out / "report" / "articles" / "islet-t1d-hans.html").resolve().as_uri()
    chromium(f"--screenshot={shot}", "--window-size=390,1200", page, tmp=tmp_path)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_pages_forbid_scripts_and_reach_no_network(report_out: Path) -> None:
    for page in (report_out / "report").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "script-src" not in text or "default-src 'none'" in text
        assert "<script" not in text.replace("&lt;script", "")
        assert 'http-equiv="Content-Security-Policy"' in text
        assert 'src="http' not in text and "<link" not in text


def test_nested_spans_nest_and_crossing_spans_are_cut() -> None:
    text = "感光细胞层厚度增加28%"
    spans = [
        _Span(0, 7, "measure", "thickness"),
        _Span(0, 4, "cell_type", "photoreceptor"),
        _Span(9, 12, "metric", "28"),
    ]
    out = highlight(text, spans)
    assert out.count("<mark") == 3 and BeautifulSoup(out, "html.parser").get_text() == text
    crossing = highlight("abcdef", [_Span(0, 4, "date", "x"), _Span(2, 6, "metric", "y")])
    assert crossing.count("<mark") == 2 and BeautifulSoup(crossing, "html.parser").get_text() == "abcdef"


def test_only_web_links_become_links() -> None:
    assert _link("javascript:alert(1)", "x") == "x"
    assert _link("https://doi.org/10.1/x", "10.1/x").startswith('<a href="https://doi.org/10.1/x"')
